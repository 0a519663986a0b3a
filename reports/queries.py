"""The aggregate queries behind a progress snapshot: one named function per query.

Each step runs one GROUP BY query (conditional aggregation in SQL) and returns its figures per
kecamatan (`PerKecamatan`: a Counter per kecamatan code), so that `reports.rollups` can sum
them into kota and all of Jakarta. Python never sees an entrepreneur row, only aggregated rows
(at most a few thousand: 44 kecamatan × months, facilities or sectors).

What counts (documented here because officials will ask):
- "registered" = `Entrepreneur.objects.counted()`: every entrepreneur not rejected, by
  `registered_at` (the RPJMD indicator counts registrants, P1).
- funnel, per facility, over counted entrepreneurs: `requested` and `active` = entrepreneurs
  with an enrolment currently in that state (at most one open enrolment per entrepreneur and
  facility, enforced by the database); `completed` = distinct entrepreneurs with at least one
  completed enrolment; `reached` = distinct entrepreneurs with at least one enrolment that is
  not cancelled; `cancelled` = distinct entrepreneurs with at least one cancelled enrolment.
- breakdowns (track, gender, age band on the snapshot date, sector) are over counted
  entrepreneurs; "no business" = counted entrepreneurs without a business record.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Aggregate, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from facilities.models import Activity, Center, Facility, Kecamatan
from registrations.models import Business, Enrollment, Entrepreneur
from reports.models import Target
from reports.snapshot import FacilityRef, month_key

PROGRAMME_START = dt.date(2017, 12, 14)
RATE_WINDOW_DAYS = 90
# (key, youngest age, oldest age) — ages on the snapshot date.
AGE_BANDS = [("17-24", 0, 24), ("25-34", 25, 34), ("35-44", 35, 44), ("45-54", 45, 54), ("55+", 55, None)]

REJECTED = Entrepreneur.Status.REJECTED
COUNTED = ~Q(status=REJECTED)

PerKecamatan = dict[str, Counter]


@dataclass(frozen=True)
class Reference:
    """The moment of the snapshot and the reference data every step shares (44 kecamatan,
    6 kota, 7 facilities, 44 centres, a handful of targets)."""

    now: dt.datetime
    today: dt.date
    window_start: dt.datetime
    kecamatan: list[dict]  # code, name, kota_id
    kota_of: dict[str, str]  # kecamatan code → kota code
    kota_names: dict[str, str]  # kota code → name
    facilities: list[FacilityRef]
    centres: list[dict]  # id, name, kecamatan_id, active
    targets: list[Target]


def reference_load(*, now: dt.datetime) -> Reference:
    kecamatan = list(Kecamatan.objects.order_by("code").values("code", "name", "kota_id", "kota__name"))
    return Reference(
        now=now,
        today=timezone.localdate(now),
        window_start=now - dt.timedelta(days=RATE_WINDOW_DAYS),
        kecamatan=kecamatan,
        kota_of={row["code"]: row["kota_id"] for row in kecamatan},
        kota_names={row["kota_id"]: row["kota__name"] for row in kecamatan},
        facilities=list(Facility.objects.order_by("order").values("code", "order", "name_id", "name_en")),
        centres=list(Center.objects.order_by("kecamatan_id").values("id", "name", "kecamatan_id", "active")),
        targets=list(Target.objects.active().order_by("period_start", "id")),
    )


def years_ago(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_filters(today: dt.date) -> dict[str, Q]:
    filters = {}
    for key, youngest, oldest in AGE_BANDS:
        condition = Q(birth_date__lte=years_ago(today, youngest))
        if oldest is not None:
            # Older than `oldest` means born on or before the day `oldest + 1` years ago.
            condition &= Q(birth_date__gt=years_ago(today, oldest + 1))
        filters[key] = condition
    return filters


def _keyed_counters(rows, key: str) -> dict:
    return {row.pop(key): Counter(row) for row in rows}


def breakdown_key(kind: str, value: str) -> str:
    """The key of a breakdown's count in `entrepreneurs_by_kecamatan`, e.g. "track:pemula"."""
    return f"{kind}:{value}"


def entrepreneurs_by_kecamatan(ref: Reference, *, extra: dict[str, Aggregate] | None = None) -> PerKecamatan:
    """One scan of the entrepreneurs: status counts, the 90-day figures and the breakdowns
    (keys from `breakdown_key`); `extra` adds conditional counts to the same scan (the
    targets' achieved values) rather than scanning again."""
    breakdowns = {
        **{("track", value): Q(track=value) for value in Entrepreneur.Track.values},
        **{("gender", value): Q(gender=value) for value in Entrepreneur.Gender.values},
        **{("age", key): condition for key, condition in _age_filters(ref.today).items()},
    }
    rows = (
        Entrepreneur.objects.values("kecamatan_id")
        .annotate(
            all=Count("id"),
            registered=Count("id", filter=COUNTED),
            submitted=Count("id", filter=Q(status=Entrepreneur.Status.SUBMITTED)),
            verified=Count("id", filter=Q(status=Entrepreneur.Status.VERIFIED)),
            rejected=Count("id", filter=Q(status=REJECTED)),
            last_90_days=Count(
                "id", filter=COUNTED & Q(registered_at__gt=ref.window_start, registered_at__lte=ref.now)
            ),
            verified_90_days=Count(
                "id", filter=Q(status=Entrepreneur.Status.VERIFIED, status_changed_at__gt=ref.window_start)
            ),
            **{breakdown_key(*key): Count("id", filter=COUNTED & condition) for key, condition in breakdowns.items()},
            **(extra or {}),
        )
        .order_by()
    )
    return _keyed_counters(rows, "kecamatan_id")


def registrations_by_month(ref: Reference) -> PerKecamatan:
    """Counted registrations per kecamatan and month ("YYYY-MM", Asia/Jakarta months)."""
    rows = (
        Entrepreneur.objects.counted()
        .annotate(month=TruncMonth("registered_at"))
        .values("kecamatan_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: PerKecamatan = {}
    for row in rows:
        month = timezone.localtime(row["month"]) if timezone.is_aware(row["month"]) else row["month"]
        result.setdefault(row["kecamatan_id"], Counter())[month_key(month)] += row["n"]
    return result


def businesses_by_sector(ref: Reference) -> PerKecamatan:
    """Businesses of counted entrepreneurs per kecamatan and sector."""
    rows = (
        Business.objects.exclude(entrepreneur__status=REJECTED)
        .values("entrepreneur__kecamatan_id", "sector")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: PerKecamatan = {}
    for row in rows:
        result.setdefault(row["entrepreneur__kecamatan_id"], Counter())[row["sector"]] += row["n"]
    return result


def facility_funnel(ref: Reference, *, extra: dict[str, Aggregate] | None = None) -> PerKecamatan:
    """The funnel per kecamatan under the keys (facility code, figure); `extra` adds
    conditional counts of enrolments (the facility targets' achieved values)."""
    state = Enrollment.State
    aggregates = {
        "requested": Count("id", filter=Q(state=state.REQUESTED)),
        "active": Count("id", filter=Q(state=state.ACTIVE)),
        "completed": Count("entrepreneur_id", distinct=True, filter=Q(state=state.COMPLETED)),
        "reached": Count("entrepreneur_id", distinct=True, filter=~Q(state=state.CANCELLED)),
        "cancelled": Count("entrepreneur_id", distinct=True, filter=Q(state=state.CANCELLED)),
        "completed_90_days": Count(
            "entrepreneur_id", distinct=True, filter=Q(state=state.COMPLETED, completed_at__gt=ref.window_start)
        ),
        **(extra or {}),
    }
    rows = (
        Enrollment.objects.exclude(entrepreneur__status=REJECTED)
        .values("entrepreneur__kecamatan_id", "facility_id")
        .annotate(**aggregates)
        .order_by()
    )
    result: PerKecamatan = {}
    for row in rows:
        counts = result.setdefault(row.pop("entrepreneur__kecamatan_id"), Counter())
        facility = row.pop("facility_id")
        counts.update({(facility, key): value for key, value in row.items()})
    return result


def activities_by_centre(ref: Reference) -> dict[int, Counter]:
    """Published activities and their attendances per centre."""
    rows = (
        Activity.objects.filter(published=True, center__isnull=False)
        .values("center_id")
        .annotate(
            activities=Count("id", distinct=True),
            activities_90_days=Count(
                "id", distinct=True, filter=Q(starts_at__gt=ref.window_start, starts_at__lte=ref.now)
            ),
            upcoming=Count("id", distinct=True, filter=Q(starts_at__gt=ref.now)),
            attended=Count("attendances", filter=Q(attendances__status="attended")),
        )
        .order_by()
    )
    return _keyed_counters(rows, "center_id")


def outcomes_by_kecamatan(ref: Reference):
    """P6 outcome counts per kecamatan and the turnover growth of each reporting entrepreneur
    (growth.rules restated in SQL by growth.outcomes): two queries."""
    from growth.outcomes import outcomes_by_kecamatan as compute

    return compute(today=ref.today)
