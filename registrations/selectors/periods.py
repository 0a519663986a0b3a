"""Activity periods a staff member works by: the admin's "when" filter and the admin index's
work panel use the same boundaries (Asia/Jakarta days; the week runs Monday to Sunday)."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

ACTIVITY_PERIODS = ("today", "week", "upcoming")


def activity_period_bounds(period: str, *, now=None) -> tuple[dt.datetime, dt.datetime | None]:
    """[start, end) of "today", "week" or "upcoming" (no end) in Asia/Jakarta."""
    now = timezone.localtime(now or timezone.now())
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "today":
        return today, today + dt.timedelta(days=1)
    if period == "week":
        monday = today - dt.timedelta(days=today.weekday())
        return monday, monday + dt.timedelta(days=7)
    if period == "upcoming":
        return now, None
    raise ValueError(period)


def activities_in_period(queryset: QuerySet, period: str, *, now=None) -> QuerySet:
    start, end = activity_period_bounds(period, now=now)
    queryset = queryset.filter(starts_at__gte=start)
    return queryset if end is None else queryset.filter(starts_at__lt=end)
