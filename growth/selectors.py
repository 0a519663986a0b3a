"""Reads of mentoring and monthly reports, and the scoping layer of the growth app.

The selectors other apps build on (financing, marketing, reports):

- `reports_of(entrepreneur)`: their monthly reports, newest month first;
- `reported_months(entrepreneur, last=12)`: which of the last `last` months they reported;
- `mentor_of(entrepreneur)`: the mentor (a User) of their active assignment, or None;
- `entrepreneurs_of_mentor(user)`: the mentor's current caseload.
"""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Min, OuterRef, QuerySet, Subquery
from django.utils import timezone

from growth.models import (
    DEFAULT_RECRUITMENT_TARGET,
    MentorAssignment,
    MentoringSession,
    MentorProfile,
    MonthlyReport,
)
from jakpreneur.access import PENDAMPING
from registrations.models import Entrepreneur, User
from registrations.selectors import kecamatan_codes_for

if TYPE_CHECKING:  # growth.outcomes builds on this module's month helpers
    from growth.outcomes import OutcomeFigures


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


def _by_entrepreneur(queryset: QuerySet, user: User | None, prefix: str) -> QuerySet:
    kind, codes = growth_scope(user)
    if kind == ALL_ROWS:
        return queryset
    if kind == KECAMATAN:
        return queryset.filter(**{f"{prefix}kecamatan_id__in": sorted(codes)})
    if kind == CASELOAD:
        return queryset.filter(
            **{f"{prefix}mentor_assignments__mentor": user, f"{prefix}mentor_assignments__ended_at__isnull": True}
        )
    return queryset.none()


def growth_entrepreneurs_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    """The entrepreneurs a staff member may mentor, file reports for or assign."""
    qs = Entrepreneur.objects.all() if queryset is None else queryset
    return _by_entrepreneur(qs, user, "")


def reports_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    qs = MonthlyReport.objects.all() if queryset is None else queryset
    return _by_entrepreneur(qs, user, "entrepreneur__")


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


def me_sessions(entrepreneur: Entrepreneur, *, limit: int = 5) -> list[MentoringSession]:
    """The entrepreneur's latest sessions, without the mentor's internal notes."""
    return list(
        MentoringSession.objects.filter(entrepreneur=entrepreneur).defer("notes").order_by("-date", "-id")[:limit]
    )


def mentor_name(mentor: User) -> str:
    """The name entrepreneurs know their mentor by (their profile's, else the account's)."""
    profile = getattr(mentor, "mentor_profile", None)
    return (profile.display_name if profile else "") or mentor.get_full_name() or mentor.email


def me_panel_context(entrepreneur: Entrepreneur) -> dict:
    """The growth panel of /me/: the mentor and contact, sessions, the last report (3 queries)."""
    assignment = active_assignment(entrepreneur)
    mentor = assignment.mentor if assignment else None
    profile = getattr(mentor, "mentor_profile", None) if mentor else None
    return {
        "mentor": mentor,
        "mentor_name": mentor_name(mentor) if mentor else "",
        "mentor_phone": profile.phone if profile else "",
        "mentor_email": mentor.email if mentor else "",
        "sessions": me_sessions(entrepreneur),
        "last_report": reports_of(entrepreneur).first(),
    }


# --- caseloads ------------------------------------------------------------------------------

CASELOAD_ROWS_SHOWN = 500  # a caseload is ~60 people; past this the page says so


@dataclass
class CaseloadRow:
    entrepreneur: Entrepreneur
    assigned_at: dt.datetime
    last_report: dt.date | None
    last_session: dt.date | None
    next_step: str
    next_step_due: dt.date | None
    no_recent_report: bool  # nothing reported for the last two months
    next_step_overdue: bool


@dataclass
class Caseload:
    mentor: User
    target: int
    active: int  # people in the caseload now
    rows: list[CaseloadRow]
    truncated: bool
    outcomes: "OutcomeFigures"  # of the whole caseload's counted people (growth.outcomes)

    @property
    def progress_percent(self) -> int:
        return round(100 * self.active / self.target) if self.target else 0

    @property
    def flagged(self) -> int:
        return sum(1 for row in self.rows if row.no_recent_report or row.next_step_overdue)


def caseload_of(mentor: User, *, today: dt.date | None = None) -> Caseload:
    """One mentor's caseload with each person's last report month, last session and flags
    (no report for two months, next step overdue), and the caseload's outcome indicators:
    four queries (five past CASELOAD_ROWS_SHOWN people) whatever its size."""
    from growth.outcomes import figures_by_mentor

    today = today or timezone.localdate()
    recent = add_months(current_period(today), -2)
    latest_session = MentoringSession.objects.filter(entrepreneur=OuterRef("entrepreneur_id")).order_by("-date", "-id")
    assignments = (
        MentorAssignment.objects.active()
        .filter(mentor=mentor)
        .select_related("entrepreneur")
        .annotate(
            last_report=Subquery(
                MonthlyReport.objects.filter(entrepreneur=OuterRef("entrepreneur_id"))
                .order_by("-period")
                .values("period")[:1]
            ),
            last_session=Subquery(latest_session.values("date")[:1]),
            next_step=Subquery(latest_session.values("next_step")[:1]),
            next_step_due=Subquery(latest_session.values("next_step_due")[:1]),
        )
        .order_by("entrepreneur__full_name", "entrepreneur_id")
    )
    fetched = list(assignments[: CASELOAD_ROWS_SHOWN + 1])
    rows = [
        CaseloadRow(
            entrepreneur=a.entrepreneur,
            assigned_at=a.assigned_at,
            last_report=a.last_report,
            last_session=a.last_session,
            next_step=a.next_step or "",
            next_step_due=a.next_step_due,
            no_recent_report=a.last_report is None or a.last_report < recent,
            next_step_overdue=a.next_step_due is not None and a.next_step_due < today,
        )
        for a in fetched[:CASELOAD_ROWS_SHOWN]
    ]
    active = len(fetched) if len(fetched) <= CASELOAD_ROWS_SHOWN else assignments.count()
    profile = MentorProfile.objects.filter(user=mentor).values_list("recruitment_target", flat=True).first()
    return Caseload(
        mentor=mentor,
        target=DEFAULT_RECRUITMENT_TARGET if profile is None else profile,
        active=active,
        rows=rows,
        truncated=len(fetched) > CASELOAD_ROWS_SHOWN,
        outcomes=figures_by_mentor([mentor.pk], today=today)[mentor.pk],
    )


@dataclass
class MentorSummary:
    mentor: User
    name: str
    kecamatan: str
    target: int
    active: int
    outcomes: "OutcomeFigures"  # of the caseload's counted people (growth.outcomes)

    @property
    def progress_percent(self) -> int:
        return round(100 * self.active / self.target) if self.target else 0

    @property
    def reported_last_month(self) -> int:
        return self.outcomes.reported_last_month

    @property
    def reporting_percent(self) -> float | None:
        return self.outcomes.reporting_rate


MENTORS_SHOWN = 500


def mentor_summaries(user: User, *, today: dt.date | None = None) -> list[MentorSummary]:
    """The mentors a staff member may see with their target, caseload and the outcome
    indicators of their caseload: four queries whatever the number of mentors."""
    from growth.outcomes import figures_by_mentor

    mentors = list(
        mentors_visible_to(user)
        .select_related("mentor_profile")
        .annotate(kecamatan_name=Min("kecamatan_scope__name"))
        .order_by("kecamatan_name", "email")[:MENTORS_SHOWN]
    )
    ids = [mentor.pk for mentor in mentors]
    active = dict(
        MentorAssignment.objects.active()
        .filter(mentor__in=ids)
        .values("mentor")
        .annotate(n=Count("id"))
        .values_list("mentor", "n")
        .order_by()
    )
    figures = figures_by_mentor(ids, today=today)
    summaries = []
    for mentor in mentors:
        profile = getattr(mentor, "mentor_profile", None)
        summaries.append(
            MentorSummary(
                mentor=mentor,
                name=(
                    profile.display_name if profile and profile.display_name else mentor.get_full_name() or mentor.email
                ),
                kecamatan=mentor.kecamatan_name or "",
                target=profile.recruitment_target if profile else DEFAULT_RECRUITMENT_TARGET,
                active=active.get(mentor.pk, 0),
                outcomes=figures[mentor.pk],
            )
        )
    return summaries
