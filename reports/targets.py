"""Targets in a progress snapshot: what each counts, and its progress.

A target's `achieved` counts from its period start, inside its area (all of Jakarta, a kota
or a kecamatan); `reached_on` is the first month in which the cumulative count crossed the
target (registered metric); projections use the rate of the last 90 days.

Counting is done by the query steps (`target_entrepreneur_counts` and
`target_enrolment_counts` add conditional counts to the scans that run anyway, so targets
cost no query of their own); `target_progress` turns those per-kecamatan counts into a
`TargetProgress`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

from django.db.models import Aggregate, Count, Q
from django.utils import timezone

from registrations.models import Enrollment, Entrepreneur
from reports.models import Target
from reports.queries import COUNTED, RATE_WINDOW_DAYS, PerKecamatan, Reference
from reports.rollups import sum_counts
from reports.snapshot import TargetProgress, month_key, percent

PROJECTION_HORIZON_DAYS = 50 * 365


def _key(target: Target) -> str:
    return f"target:{target.pk}"


def _period_start(target: Target) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(target.period_start, dt.time.min))


def target_entrepreneur_counts(targets: list[Target]) -> dict[str, Aggregate]:
    """Conditional counts for `entrepreneurs_by_kecamatan`: registered and verified targets."""
    counts = {}
    for target in targets:
        if target.metric == Target.Metric.REGISTERED:
            counts[_key(target)] = Count("id", filter=COUNTED & Q(registered_at__gte=_period_start(target)))
        elif target.metric == Target.Metric.VERIFIED:
            counts[_key(target)] = Count(
                "id", filter=Q(status=Entrepreneur.Status.VERIFIED, registered_at__gte=_period_start(target))
            )
    return counts


def target_enrolment_counts(targets: list[Target]) -> dict[str, Aggregate]:
    """Conditional counts for `facility_funnel`: "completed a facility" targets."""
    return {
        _key(target): Count(
            "entrepreneur_id",
            distinct=True,
            filter=Q(
                state=Enrollment.State.COMPLETED,
                completed_at__gte=_period_start(target),
                facility_id=target.facility_id,
            ),
        )
        for target in targets
        if target.metric == Target.Metric.FACILITY_COMPLETED
    }


def _in_area(target: Target, ref: Reference, per_kecamatan: PerKecamatan) -> Counter:
    """The counts of the kecamatan inside the target's area, summed."""
    if target.kecamatan_id:
        codes = [code for code in per_kecamatan if code == target.kecamatan_id]
    elif target.kota_id:
        codes = [code for code in per_kecamatan if ref.kota_of.get(code) == target.kota_id]
    else:
        codes = list(per_kecamatan)
    return sum_counts(per_kecamatan[code] for code in codes)


def _reached_on(target: Target, months: list[str], monthly: Counter) -> str | None:
    """The month in which the cumulative count since the period start crossed the target."""
    start, running = month_key(target.period_start), 0
    for month in months:
        if month >= start:
            running += monthly[month]
            if running >= target.value:
                return month
    return None


def target_progress(
    target: Target,
    *,
    ref: Reference,
    months: list[str],
    people: PerKecamatan,
    monthly: PerKecamatan,
    funnel: PerKecamatan,
) -> TargetProgress:
    """Achieved value, percentage, month reached and projections of one target."""
    reached_on = None
    if target.metric == Target.Metric.FACILITY_COMPLETED:
        counts = _in_area(target, ref, funnel)
        achieved = counts[(target.facility_id, _key(target))]
        recent = counts[(target.facility_id, "completed_90_days")]
    else:
        counts = _in_area(target, ref, people)
        achieved = counts[_key(target)]
        recent = counts["verified_90_days" if target.metric == Target.Metric.VERIFIED else "last_90_days"]
        if target.metric == Target.Metric.REGISTERED:
            reached_on = _reached_on(target, months, _in_area(target, ref, monthly))
    rate = recent / RATE_WINDOW_DAYS
    reached = achieved >= target.value

    def projected(value: int) -> str | None:
        if rate <= 0:
            return None
        days = math.ceil((value - achieved) / rate)
        # Beyond the horizon a "projection" means nothing (and would overflow a date).
        return (ref.today + dt.timedelta(days=days)).isoformat() if days <= PROJECTION_HORIZON_DAYS else None

    step = max(target.value // 4, 1)
    next_milestone = (achieved // step + 1) * step if reached else target.value
    projected_on = None if reached else projected(target.value)
    return {
        "id": target.pk,
        "name": target.name,
        "metric": target.metric,
        "facility": target.facility_id,
        "kota": target.kota_id,
        "kecamatan": target.kecamatan_id,
        "value": target.value,
        "period_start": target.period_start.isoformat(),
        "period_end": target.period_end.isoformat(),
        "source": target.source,
        "achieved": achieved,
        "percent": percent(achieved, target.value),
        "reached": reached,
        "reached_on": reached_on,
        "recent_90_days": recent,
        "rate_per_day": round(rate, 2),
        "projected_on": projected_on,
        "on_track": reached or (projected_on is not None and projected_on <= target.period_end.isoformat()),
        "next_milestone": next_milestone,
        "next_milestone_on": projected(next_milestone),
    }
