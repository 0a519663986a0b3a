"""Reads of mentoring and monthly reports, and the scoping layer of the growth app.

The selectors other apps build on (financing, marketing, reports):

- `reports_of(entrepreneur)`: their monthly reports, newest month first;
- `reported_months(entrepreneur, last=12)`: which of the last `last` months they reported;
- `mentor_of(entrepreneur)`: the mentor (a User) of their active assignment, or None;
- `entrepreneurs_of_mentor(user)`: the mentor's current caseload.
"""

import datetime as dt
from typing import Protocol

from django.db.models import F, JSONField, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from growth.models import (
    MentorAssignment,
    MentoringSession,
    MentorProfile,
    MonthlyReport,
)
from jakpreneur.access import PENDAMPING
from jakpreneur.lookups import AnyOf
from registrations.models import Entrepreneur, User
from registrations.selectors import kecamatan_codes_for


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(period: dt.date, months: int) -> dt.date:
    index = period.year * 12 + period.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def current_period(today: dt.date | None = None) -> dt.date:
    return month_start(today or timezone.localdate())


def reports_of(entrepreneur: Entrepreneur) -> QuerySet:
    """An entrepreneur's monthly reports, newest month first."""
    return MonthlyReport.objects.filter(entrepreneur=entrepreneur).order_by("-period")


def reported_months(entrepreneur: Entrepreneur, *, last: int = 12, today: dt.date | None = None) -> list[dt.date]:
    """The months among the last `last` (the current month included) that the entrepreneur
    reported, newest first, as first days of the month."""
    end = current_period(today)
    start = add_months(end, -(last - 1))
    return list(reports_of(entrepreneur).filter(period__gte=start, period__lte=end).values_list("period", flat=True))


def active_assignment(entrepreneur: Entrepreneur) -> MentorAssignment | None:
    return (
        MentorAssignment.objects.active()
        .filter(entrepreneur=entrepreneur)
        .select_related("mentor__mentor_profile")
        .first()
    )


def mentor_of(entrepreneur: Entrepreneur) -> User | None:
    """The entrepreneur's current mentor (with `mentor_profile` loaded when there is one)."""
    assignment = active_assignment(entrepreneur)
    return assignment.mentor if assignment else None


def entrepreneurs_of_mentor(user: User) -> QuerySet:
    """The entrepreneurs in a mentor's caseload now (their active assignments)."""
    if user is None or not user.is_authenticated:
        return Entrepreneur.objects.none()
    return Entrepreneur.objects.filter(mentor_assignments__mentor=user, mentor_assignments__ended_at__isnull=True)


# --- staff scoping --------------------------------------------------------------------------
# Deny by default: the Dinas (and superusers) see every row, centre staff the rows of the
# kecamatan in their `kecamatan_scope`, a mentor the people in their own caseload (and their
# own assignments), anyone else nothing. Admin lists, change views, actions, uploads, the
# caseload page and the services all go through these functions.

ALL_ROWS = "all"
KECAMATAN = "kecamatan"
CASELOAD = "caseload"
NOTHING = "nothing"

_MENTOR_ATTR = "_growth_is_mentor"


def is_mentor(user: User | None) -> bool:
    """A signed-in, active staff account with the pendamping role (cached on the user)."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if not hasattr(user, _MENTOR_ATTR):
        setattr(user, _MENTOR_ATTR, user.groups.filter(name=PENDAMPING).exists())
    return getattr(user, _MENTOR_ATTR)


def growth_scope(user: User | None) -> tuple[str, frozenset[str] | None]:
    """(kind, kecamatan codes) of what a user sees in the growth tables."""
    codes = kecamatan_codes_for(user)
    if codes is None:
        return ALL_ROWS, None
    if codes and not is_mentor(user):
        return KECAMATAN, codes
    if is_mentor(user):
        return CASELOAD, None
    return NOTHING, frozenset()


def _by_entrepreneur(queryset: QuerySet, user: User | None, prefix: str, kecamatan: str = "") -> QuerySet:
    """Rows of the entrepreneurs in the user's growth scope (`prefix`: the path to the
    entrepreneur); `kecamatan`: the row's own copy of the entrepreneur's kecamatan, where it
    carries one, filtered instead of the entrepreneur's (no join)."""
    kind, codes = growth_scope(user)
    if kind == ALL_ROWS:
        return queryset
    if kind == KECAMATAN:
        return queryset.filter(**{f"{kecamatan or prefix + 'kecamatan_id'}__in": sorted(codes)})
    if kind == CASELOAD:
        return queryset.filter(
            **{f"{prefix}mentor_assignments__mentor": user, f"{prefix}mentor_assignments__ended_at__isnull": True}
        )
    return queryset.none()


def growth_entrepreneurs_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    """The entrepreneurs a staff member may mentor, file reports for or assign."""
    qs = Entrepreneur.objects.all() if queryset is None else queryset
    return _by_entrepreneur(qs, user, "")


class SheetPerson(Protocol):
    """What the monthly sheet needs of a person it names (a row of `sheet_people`)."""

    nik: str
    id: int
    started_year: int | None  # of their business: no month before it


def sheet_people(user: User | None, niks) -> dict[str, SheetPerson]:
    """NIK → the people a sheet names whom `user` may report for, in one query whatever the
    sheet's size. A NIK outside the scope is absent, exactly like one that does not exist.
    The rows are the query's own named tuples: one object per person."""
    rows = (
        growth_entrepreneurs_visible_to(user)
        .filter(AnyOf(F("nik"), sorted(niks)))
        .annotate(started_year=F("business__started_year"))
        .values_list("nik", "id", "started_year", named=True)
    )
    return {row.nik: row for row in rows}


def reports_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    """Centre staff: by the report's own kecamatan (kept equal to its entrepreneur's), which
    monthlyreport_kecamatan_idx serves in the list's order; a mentor: their caseload's."""
    qs = MonthlyReport.objects.all() if queryset is None else queryset
    return _by_entrepreneur(qs, user, "entrepreneur__", kecamatan="kecamatan_id")


def sessions_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    qs = MentoringSession.objects.all() if queryset is None else queryset
    return _by_entrepreneur(qs, user, "entrepreneur__")


def assignments_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    """Centre staff: the assignments of their kecamatan's people; a mentor: their own."""
    qs = MentorAssignment.objects.all() if queryset is None else queryset
    kind, codes = growth_scope(user)
    if kind == ALL_ROWS:
        return qs
    if kind == KECAMATAN:
        return qs.filter(entrepreneur__kecamatan_id__in=sorted(codes))
    if kind == CASELOAD:
        return qs.filter(mentor=user)
    return qs.none()


def mentors_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    """Mentor accounts: all for the Dinas, those of their kecamatan for centre staff, a
    mentor themself."""
    qs = User.objects.all() if queryset is None else queryset
    qs = qs.filter(groups__name=PENDAMPING, is_active=True)
    kind, codes = growth_scope(user)
    if kind == ALL_ROWS:
        return qs
    if kind == KECAMATAN:
        return qs.filter(kecamatan_scope__in=sorted(codes)).distinct()
    if kind == CASELOAD:
        return qs.filter(pk=user.pk)
    return qs.none()


def mentor_profiles_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    qs = MentorProfile.objects.all() if queryset is None else queryset
    return qs.filter(user__in=mentors_visible_to(user).values("pk"))


def mentors_of_kecamatan(kecamatan_id: str) -> QuerySet:
    return User.objects.filter(groups__name=PENDAMPING, is_active=True, kecamatan_scope=kecamatan_id)


def kecamatan_of_mentor(user: User) -> set[str]:
    """The kecamatan an active mentor works for (none for any other account)."""
    return set(
        User.objects.filter(pk=user.pk, groups__name=PENDAMPING, is_active=True)
        .exclude(kecamatan_scope=None)
        .values_list("kecamatan_scope", flat=True)
    )


# --- the entrepreneur's own pages (/me/) ----------------------------------------------------

ME_REPORT_MONTHS = 36  # /me/reports/ lists and charts at most the latest three years


def me_reports(entrepreneur: Entrepreneur, *, limit: int = ME_REPORT_MONTHS) -> list[MonthlyReport]:
    """The latest reports, oldest first (for the chart and the table), one query."""
    return list(
        reversed(
            reports_of(entrepreneur).only(
                "id", "entrepreneur_id", "period", "turnover", "assets", "workers", "filed_by", "updated_at"
            )[:limit]
        )
    )


def me_sessions(entrepreneur: Entrepreneur, *, limit: int = 20) -> list[MentoringSession]:
    """The entrepreneur's latest sessions, without the mentor's internal notes."""
    return list(
        MentoringSession.objects.filter(entrepreneur=entrepreneur).defer("notes").order_by("-date", "-id")[:limit]
    )


def mentor_name(mentor: User) -> str:
    """The name entrepreneurs know their mentor by (their profile's, else the account's)."""
    profile = getattr(mentor, "mentor_profile", None)
    return (profile.display_name if profile else "") or mentor.get_full_name() or mentor.email


# /me/ reads the mentor and the last report with the entrepreneur's own row (one round trip
# fewer each; registrations/me_panels.py), as JSON objects of plain values.
ME_MENTOR = "growth_mentor"
ME_LAST_REPORT = "growth_last_report"


def me_panel_annotations() -> dict:
    """The growth panel's single values as subqueries on the entrepreneur's row: the current
    mentor's contact (None without one) and the latest monthly report (None before the first)."""
    mentor = (
        MentorAssignment.objects.active()
        .filter(entrepreneur=OuterRef("pk"))
        .values(
            contact=JSONObject(
                email="mentor__email",
                first_name="mentor__first_name",
                last_name="mentor__last_name",
                display_name="mentor__mentor_profile__display_name",
                phone="mentor__mentor_profile__phone",
            )
        )[:1]
    )
    last_report = (
        MonthlyReport.objects.filter(entrepreneur=OuterRef("pk"))
        .order_by("-period")
        .values(report=JSONObject(period="period", turnover="turnover"))[:1]
    )
    return {
        ME_MENTOR: Subquery(mentor, output_field=JSONField()),
        ME_LAST_REPORT: Subquery(last_report, output_field=JSONField()),
    }


def _me_mentor_contact(entrepreneur: Entrepreneur) -> dict | None:
    if hasattr(entrepreneur, ME_MENTOR):
        return getattr(entrepreneur, ME_MENTOR)
    assignment = active_assignment(entrepreneur)
    if assignment is None:
        return None
    mentor = assignment.mentor
    profile = getattr(mentor, "mentor_profile", None)
    return {
        "email": mentor.email,
        "first_name": mentor.first_name,
        "last_name": mentor.last_name,
        "display_name": profile.display_name if profile else "",
        "phone": profile.phone if profile else "",
    }


def _me_last_report(entrepreneur: Entrepreneur) -> MonthlyReport | None:
    if not hasattr(entrepreneur, ME_LAST_REPORT):
        return reports_of(entrepreneur).first()
    values = getattr(entrepreneur, ME_LAST_REPORT)
    if values is None:
        return None
    # What the panel shows of it: the month and the turnover.
    return MonthlyReport(
        entrepreneur=entrepreneur, period=dt.date.fromisoformat(values["period"]), turnover=values["turnover"]
    )


def me_mentor(entrepreneur: Entrepreneur) -> dict:
    """The current mentor as the entrepreneur knows them: `mentor` (bool), `mentor_name`,
    `mentor_phone`, `mentor_email`. No query when the entrepreneur was read with
    `me_panel_annotations`, else one."""
    contact = _me_mentor_contact(entrepreneur) or {}
    # The name entrepreneurs know their mentor by, as mentor_name() gives it.
    full_name = f"{contact.get('first_name') or ''} {contact.get('last_name') or ''}".strip()
    return {
        "mentor": bool(contact),
        "mentor_name": (contact.get("display_name") or full_name or contact.get("email")) if contact else "",
        "mentor_phone": contact.get("phone") or "",
        "mentor_email": contact.get("email") or "",
    }


def me_panel_context(entrepreneur: Entrepreneur) -> dict:
    """The growth lines of /me/: the mentor and the last report (the sessions are on
    /me/mentoring/). No query when the entrepreneur was read with `me_panel_annotations`,
    else two."""
    return {**me_mentor(entrepreneur), "last_report": _me_last_report(entrepreneur)}


def me_p6_note(entrepreneur: Entrepreneur) -> dict | None:
    """P6's row on /me/ (registrations.me_panels.FacilityNote): filing the monthly reports is
    P6, so once the person has reported, the row says so and links to their reports instead of
    offering to "request" P6. None before the first report: the row as usual."""
    last = _me_last_report(entrepreneur)
    if last is None:
        return None
    return {"last_report": last}
