"""A mentor's caseload and the mentors' list (the caseload pages of growth/admin/caseload.py):
each person's last report and session and flags, each mentor's recruitment target, and the
outcome indicators of a caseload (growth.outcomes)."""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Min, OuterRef, Subquery
from django.utils import timezone

from growth.models import DEFAULT_RECRUITMENT_TARGET, MentorAssignment, MentoringSession, MentorProfile, MonthlyReport
from growth.selectors import (
    add_months,
    current_period,
    mentors_visible_to,
)
from registrations.models import Entrepreneur, User

if TYPE_CHECKING:
    from growth.outcomes import OutcomeFigures


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
