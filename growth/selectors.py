"""Reads of mentoring and monthly reports, and the scoping layer of the growth app.

The selectors other apps build on (financing, marketing, reports):

- `reports_of(entrepreneur)`: their monthly reports, newest month first;
- `reported_months(entrepreneur, last=12)`: which of the last `last` months they reported;
- `mentor_of(entrepreneur)`: the mentor (a User) of their active assignment, or None;
- `entrepreneurs_of_mentor(user)`: the mentor's current caseload.
"""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from growth.models import MentorAssignment, MonthlyReport
from registrations.models import Entrepreneur, User


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
