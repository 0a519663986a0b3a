"""Reads of mentoring and monthly reports, and the scoping layer of the growth app.

The selectors other apps build on (financing, marketing, reports):

- `reports_of(entrepreneur)`: their monthly reports, newest month first;
- `reported_months(entrepreneur, last=12)`: which of the last `last` months they reported;
- `mentor_of(entrepreneur)`: the mentor (a User) of their active assignment, or None;
- `entrepreneurs_of_mentor(user)`: the mentor's current caseload.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, JSONField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject
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


def me_panel_context(entrepreneur: Entrepreneur) -> dict:
    """The growth panel of /me/: the mentor and contact, sessions, the last report. One query
    (the sessions) when the entrepreneur was read with `me_panel_annotations`, else three."""
    contact = _me_mentor_contact(entrepreneur) or {}
    # The name entrepreneurs know their mentor by, as mentor_name() gives it.
    full_name = f"{contact.get('first_name') or ''} {contact.get('last_name') or ''}".strip()
    return {
        "mentor": bool(contact),
        "mentor_name": (contact.get("display_name") or full_name or contact.get("email")) if contact else "",
        "mentor_phone": contact.get("phone") or "",
        "mentor_email": contact.get("email") or "",
        "sessions": me_sessions(entrepreneur),
        "last_report": _me_last_report(entrepreneur),
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

    @property
    def progress_percent(self) -> int:
        return round(100 * self.active / self.target) if self.target else 0

    @property
    def flagged(self) -> int:
        return sum(1 for row in self.rows if row.no_recent_report or row.next_step_overdue)


def caseload_of(mentor: User, *, today: dt.date | None = None) -> Caseload:
    """One mentor's caseload with each person's last report month, last session and flags
    (no report for two months, next step overdue): three queries whatever its size."""
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
    )


@dataclass
class MentorSummary:
    mentor: User
    name: str
    kecamatan: str
    target: int
    active: int
    reported_last_month: int

    @property
    def progress_percent(self) -> int:
        return round(100 * self.active / self.target) if self.target else 0

    @property
    def reporting_percent(self) -> int:
        return round(100 * self.reported_last_month / self.active) if self.active else 0


MENTORS_SHOWN = 500


def mentor_summaries(user: User, *, today: dt.date | None = None) -> list[MentorSummary]:
    """The mentors a staff member may see with their target, caseload and how many of their
    people reported last month: two queries whatever the number of mentors."""
    last_month = add_months(current_period(today), -1)
    reported = MonthlyReport.objects.filter(entrepreneur=OuterRef("entrepreneur_id"), period=last_month)
    counts = {
        row["mentor"]: row
        for row in MentorAssignment.objects.active()
        .filter(mentor__in=mentors_visible_to(user).values("pk"))
        .annotate(reported=Exists(reported))
        .values("mentor")
        .annotate(active=Count("id"), reported_last_month=Count("id", filter=Q(reported=True)))
    }
    mentors = (
        mentors_visible_to(user)
        .select_related("mentor_profile")
        .annotate(kecamatan_name=Min("kecamatan_scope__name"))
        .order_by("kecamatan_name", "email")[:MENTORS_SHOWN]
    )
    summaries = []
    for mentor in mentors:
        profile = getattr(mentor, "mentor_profile", None)
        row = counts.get(mentor.pk, {})
        summaries.append(
            MentorSummary(
                mentor=mentor,
                name=(
                    profile.display_name if profile and profile.display_name else mentor.get_full_name() or mentor.email
                ),
                kecamatan=mentor.kecamatan_name or "",
                target=profile.recruitment_target if profile else DEFAULT_RECRUITMENT_TARGET,
                active=row.get("active", 0),
                reported_last_month=row.get("reported_last_month", 0),
            )
        )
    return summaries


# --- outcomes (the progress snapshot's outcome step) ----------------------------------------


@dataclass
class OutcomeCounts:
    """Outcome counts per kecamatan (they add up to kota and Jakarta) and each reporting
    entrepreneur's turnover growth by kecamatan (for medians, which do not add up)."""

    counts: dict[str, Counter]
    growth: dict[str, list[float]]


OUTCOME_KEYS = (
    "counted",  # entrepreneurs counted (not rejected): the reporting rate's denominator
    "reporting",  # with at least one report
    "reported_last_month",
    "classified",  # with a size class (at least 3 reported months)
    "wirausaha_baru",
    "naik_kelas",
    "jobs_created",
    "omzet_last_month",  # total turnover reported for last month (Rp)
)


def outcomes_by_kecamatan(*, today: dt.date | None = None, chunk_size: int = 20_000) -> OutcomeCounts:
    """Apply growth.rules.outcome_of to every counted entrepreneur's reports, per kecamatan:
    two queries (the counted entrepreneurs per kecamatan; every report in entrepreneur and
    month order, streamed), whatever the data size."""
    from growth import rules

    last_month = add_months(current_period(today), -1)
    counts: dict[str, Counter] = {}
    growth: dict[str, list[float]] = {}
    for row in Entrepreneur.objects.counted().values("kecamatan_id").annotate(n=Count("id")).order_by():
        counts.setdefault(row["kecamatan_id"], Counter())["counted"] = row["n"]
    rows = (
        MonthlyReport.objects.filter(entrepreneur__in=Entrepreneur.objects.counted().values("pk"))
        .order_by("entrepreneur_id", "period")
        .values_list(
            "entrepreneur_id", "entrepreneur__kecamatan_id", "entrepreneur__track", "period", "turnover", "workers"
        )
        .iterator(chunk_size=chunk_size)
    )

    def close(kecamatan: str, track: str, turnovers: list[int], workers: list[int], last: tuple) -> None:
        outcome = rules.outcome_of(track=track, turnovers=turnovers, workers=workers)
        bucket = counts.setdefault(kecamatan, Counter())
        bucket["reporting"] += 1
        if last[0] == last_month:
            bucket["reported_last_month"] += 1
            bucket["omzet_last_month"] += last[1]
        bucket["classified"] += outcome.current_class is not None
        bucket["wirausaha_baru"] += outcome.wirausaha_baru
        bucket["naik_kelas"] += outcome.naik_kelas
        bucket["jobs_created"] += outcome.jobs_created
        if outcome.growth is not None:
            growth.setdefault(kecamatan, []).append(outcome.growth)

    current, kecamatan, track, turnovers, workers, last = None, "", "", [], [], (None, 0)
    for entrepreneur_id, row_kecamatan, row_track, period, turnover, worker_count in rows:
        if entrepreneur_id != current:
            if current is not None:
                close(kecamatan, track, turnovers, workers, last)
            current, kecamatan, track, turnovers, workers = entrepreneur_id, row_kecamatan, row_track, [], []
        turnovers.append(turnover)
        workers.append(worker_count)
        last = (period, turnover)
    if current is not None:
        close(kecamatan, track, turnovers, workers, last)
    return OutcomeCounts(counts=counts, growth=growth)
