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
from reports.snapshot import AreaShare, TargetProgress, month_key, percent

PROJECTION_HORIZON_DAYS = 50 * 365


# Target metric → the outcome count it follows (growth.outcomes.OUTCOME_KEYS).
OUTCOME_METRICS = {
    Target.Metric.NAIK_KELAS: "naik_kelas",
    Target.Metric.WIRAUSAHA_BARU: "wirausaha_baru",
    Target.Metric.REPORTING: "reported_last_month",
}


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
    outcomes: PerKecamatan | None = None,
) -> TargetProgress:
    """Achieved value, percentage, month reached and projections of one target. Outcome
    targets (naik kelas, wirausaha baru, reporting) count the current outcome figure and
    have no 90-day rate, so no projection."""
    reached_on = None
    if target.metric in OUTCOME_METRICS:
        achieved = _in_area(target, ref, outcomes or {})[OUTCOME_METRICS[target.metric]]
        recent = 0
    elif target.metric == Target.Metric.FACILITY_COMPLETED:
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


# --- each area's part of the registration target ------------------------------------------


def _latest(targets: list[Target]) -> Target | None:
    """The current one of several targets of one area: the latest period end (as
    `reports.public.headline_target` chooses among a snapshot's targets)."""
    return max(targets, key=lambda target: (target.period_end, target.pk), default=None)


def _share(target: Target, value: float, achieved: int, basis: str) -> AreaShare:
    part = max(round(value), 1)
    return {
        "target": part,
        "achieved": achieved,
        "percent": percent(achieved, part),
        "behind": achieved < part,
        "basis": basis,
    }


def area_shares(ref: Reference, people: PerKecamatan) -> tuple[dict[str, AreaShare], dict[str, AreaShare]]:
    """Each kota's and kecamatan's part of the registration target, and how far it is.

    A kecamatan's part is its own registration target if the Dinas set one; else its kota's
    own target split evenly across the kota's kecamatan; else the province's target split
    evenly across all kecamatan (one centre each: the Dinas expects each centre to carry its
    part). A kota's part is its own target, else the sum of its kecamatan's parts of the
    province's target. `achieved` counts registrations since that target's period start.
    Areas without any applicable target are left out (no part, nothing "behind")."""
    registered = [target for target in ref.targets if target.metric == Target.Metric.REGISTERED]
    province = _latest([t for t in registered if not t.kota_id and not t.kecamatan_id])
    kota_own = {code: _latest([t for t in registered if t.kota_id == code]) for code in ref.kota_names}
    kecamatan_own = {
        row["code"]: _latest([t for t in registered if t.kecamatan_id == row["code"]]) for row in ref.kecamatan
    }
    in_kota = Counter(ref.kota_of.values())
    total = len(ref.kecamatan)
    empty = Counter()

    def achieved(codes: list[str], target: Target) -> int:
        return sum(people.get(code, empty)[_key(target)] for code in codes)

    kecamatan: dict[str, AreaShare] = {}
    for row in ref.kecamatan:
        code, kota = row["code"], row["kota_id"]
        if kecamatan_own[code]:
            target = kecamatan_own[code]
            kecamatan[code] = _share(target, target.value, achieved([code], target), "own")
        elif kota_own.get(kota):
            target = kota_own[kota]
            kecamatan[code] = _share(target, target.value / in_kota[kota], achieved([code], target), "kota")
        elif province:
            kecamatan[code] = _share(province, province.value / total, achieved([code], province), "province")
    kota: dict[str, AreaShare] = {}
    for code in ref.kota_names:
        codes = [row["code"] for row in ref.kecamatan if row["kota_id"] == code]
        if kota_own[code]:
            target = kota_own[code]
            kota[code] = _share(target, target.value, achieved(codes, target), "own")
        elif province:
            kota[code] = _share(province, province.value * in_kota[code] / total, achieved(codes, province), "province")
    return kota, kecamatan
