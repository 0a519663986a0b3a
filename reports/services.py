"""Progress computation: the figures behind the dashboard, the landing page and open data.

`progress_compute()` builds the whole snapshot from a fixed number of aggregate queries
(GROUP BY and conditional aggregation in SQL); Python only rolls up the aggregated rows
(at most a few thousand: 44 kecamatan × months/facilities/sectors), never entrepreneur rows.
`progress_snapshot_create()` runs it under a lock inside one transaction and stores the result.

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
- a target's `achieved` counts from its period start; `reached_on` is the first month in
  which the cumulative count crossed the target (registered metric); projections use the
  rate of the last 90 days.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
import uuid
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from facilities.models import Activity, Center, Facility, Kecamatan
from registrations.models import Business, Enrollment, Entrepreneur
from reports.models import JobLock, ProgressSnapshot, Target

logger = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1
PROGRAMME_START = dt.date(2017, 12, 14)
RATE_WINDOW_DAYS = 90
PROJECTION_HORIZON_DAYS = 50 * 365
# (key, youngest age, oldest age) — ages on the snapshot date.
AGE_BANDS = [("17-24", 0, 24), ("25-34", 25, 34), ("35-44", 35, 44), ("45-54", 45, 54), ("55+", 55, None)]
LOCK_NAME = "reports.compute_progress"
# An arbitrary constant identifying the progress job among PostgreSQL advisory locks.
ADVISORY_LOCK_KEY = 0x4A505F05
ROW_LOCK_TTL = dt.timedelta(minutes=30)
ALL = "all"

REJECTED = Entrepreneur.Status.REJECTED
COUNTED = ~Q(status=REJECTED)


def _years_ago(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _month_key(value) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def _month_range(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    end_year, end_month = map(int, last.split("-"))
    months = []
    while (year, month) <= (end_year, end_month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _age_filters(today: dt.date) -> dict[str, Q]:
    filters = {}
    for key, youngest, oldest in AGE_BANDS:
        condition = Q(birth_date__lte=_years_ago(today, youngest))
        if oldest is not None:
            # Older than `oldest` means born on or before the day `oldest + 1` years ago.
            condition &= Q(birth_date__gt=_years_ago(today, oldest + 1))
        filters[key] = condition
    return filters


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def progress_compute(*, now: dt.datetime | None = None) -> dict:
    """Compute every figure of a snapshot with a fixed number of aggregate queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    window_start = now - dt.timedelta(days=RATE_WINDOW_DAYS)

    # Reference data (44 kecamatan, 7 facilities, 44 centres, a handful of targets).
    kecamatan = list(Kecamatan.objects.order_by("code").values("code", "name", "kota_id", "kota__name"))
    kota_of = {row["code"]: row["kota_id"] for row in kecamatan}
    kota_names = {row["kota_id"]: row["kota__name"] for row in kecamatan}
    facilities = list(Facility.objects.order_by("order").values("code", "order", "name_id", "name_en"))
    centres = list(Center.objects.order_by("kecamatan_id").values("id", "name", "kecamatan_id", "active"))
    targets = list(Target.objects.active().order_by("period_start", "id"))

    # 1. Entrepreneurs per kecamatan: status, track, gender, age bands, recent rate and each
    #    target's achieved value, all as conditional aggregates of one scan.
    aggregates = {
        "all": Count("id"),
        "registered": Count("id", filter=COUNTED),
        "submitted": Count("id", filter=Q(status=Entrepreneur.Status.SUBMITTED)),
        "verified": Count("id", filter=Q(status=Entrepreneur.Status.VERIFIED)),
        "rejected": Count("id", filter=Q(status=REJECTED)),
        "last_90_days": Count("id", filter=COUNTED & Q(registered_at__gt=window_start, registered_at__lte=now)),
        "verified_90_days": Count(
            "id", filter=Q(status=Entrepreneur.Status.VERIFIED, status_changed_at__gt=window_start)
        ),
    }
    for value in Entrepreneur.Track.values:
        aggregates[f"track:{value}"] = Count("id", filter=COUNTED & Q(track=value))
    for value in Entrepreneur.Gender.values:
        aggregates[f"gender:{value}"] = Count("id", filter=COUNTED & Q(gender=value))
    for key, condition in _age_filters(today).items():
        aggregates[f"age:{key}"] = Count("id", filter=COUNTED & condition)
    for target in targets:
        start = timezone.make_aware(dt.datetime.combine(target.period_start, dt.time.min))
        if target.metric == Target.Metric.REGISTERED:
            aggregates[f"target:{target.pk}"] = Count("id", filter=COUNTED & Q(registered_at__gte=start))
        elif target.metric == Target.Metric.VERIFIED:
            aggregates[f"target:{target.pk}"] = Count(
                "id", filter=Q(status=Entrepreneur.Status.VERIFIED, registered_at__gte=start)
            )
    by_kecamatan = {
        row.pop("kecamatan_id"): row
        for row in Entrepreneur.objects.values("kecamatan_id").annotate(**aggregates).order_by()
    }

    # 2. Registrations per kecamatan and month (Asia/Jakarta months).
    monthly_rows = list(
        Entrepreneur.objects.counted()
        .annotate(month=TruncMonth("registered_at"))
        .values("kecamatan_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )

    # 3. Businesses per kecamatan and sector.
    sector_rows = list(
        Business.objects.exclude(entrepreneur__status=REJECTED)
        .values("entrepreneur__kecamatan_id", "sector")
        .annotate(n=Count("id"))
        .order_by()
    )

    # 4. The facility funnel per kecamatan and facility.
    funnel_aggregates = {
        "requested": Count("id", filter=Q(state=Enrollment.State.REQUESTED)),
        "active": Count("id", filter=Q(state=Enrollment.State.ACTIVE)),
        "completed": Count("entrepreneur_id", distinct=True, filter=Q(state=Enrollment.State.COMPLETED)),
        "reached": Count("entrepreneur_id", distinct=True, filter=~Q(state=Enrollment.State.CANCELLED)),
        "cancelled": Count("entrepreneur_id", distinct=True, filter=Q(state=Enrollment.State.CANCELLED)),
        "completed_90_days": Count(
            "entrepreneur_id",
            distinct=True,
            filter=Q(state=Enrollment.State.COMPLETED, completed_at__gt=window_start),
        ),
    }
    for target in targets:
        if target.metric == Target.Metric.FACILITY_COMPLETED:
            start = timezone.make_aware(dt.datetime.combine(target.period_start, dt.time.min))
            funnel_aggregates[f"target:{target.pk}"] = Count(
                "entrepreneur_id",
                distinct=True,
                filter=Q(state=Enrollment.State.COMPLETED, completed_at__gte=start, facility_id=target.facility_id),
            )
    funnel_rows = list(
        Enrollment.objects.exclude(entrepreneur__status=REJECTED)
        .values("entrepreneur__kecamatan_id", "facility_id")
        .annotate(**funnel_aggregates)
        .order_by()
    )

    # 5. Activities and attendance per centre.
    activity_rows = {
        row.pop("center_id"): row
        for row in Activity.objects.filter(published=True, center__isnull=False)
        .values("center_id")
        .annotate(
            activities=Count("id", distinct=True),
            activities_90_days=Count("id", distinct=True, filter=Q(starts_at__gt=window_start, starts_at__lte=now)),
            upcoming=Count("id", distinct=True, filter=Q(starts_at__gt=now)),
            attended=Count("attendances", filter=Q(attendances__status="attended")),
        )
        .order_by()
    }

    # Roll the aggregated rows up into "all" and one scope per kota (Python over ≤ a few
    # thousand aggregated rows, never over entrepreneurs).
    scopes = [ALL, *sorted(kota_names)]
    scope_of = {code: (ALL, kota) for code, kota in kota_of.items()}

    def scope_keys(kecamatan_code):
        # Rows with an unknown kecamatan (cannot happen: FK) still count province-wide.
        return scope_of.get(kecamatan_code, (ALL,))

    totals = {scope: defaultdict(int) for scope in scopes}
    for code, row in by_kecamatan.items():
        for scope in scope_keys(code):
            for key, value in row.items():
                totals[scope][key] += value

    month_counts = {scope: defaultdict(int) for scope in scopes}
    per_kecamatan_months = defaultdict(lambda: defaultdict(int))
    for row in monthly_rows:
        month = _month_key(timezone.localtime(row["month"]) if timezone.is_aware(row["month"]) else row["month"])
        per_kecamatan_months[row["kecamatan_id"]][month] += row["n"]
        for scope in scope_keys(row["kecamatan_id"]):
            month_counts[scope][month] += row["n"]
    first_month = min([_month_key(PROGRAMME_START), *month_counts[ALL].keys()])
    last_month = max([_month_key(today), *month_counts[ALL].keys()])
    months = _month_range(first_month, last_month)

    sectors = {scope: defaultdict(int) for scope in scopes}
    for row in sector_rows:
        for scope in scope_keys(row["entrepreneur__kecamatan_id"]):
            sectors[scope][row["sector"]] += row["n"]

    funnel = {scope: defaultdict(lambda: defaultdict(int)) for scope in scopes}
    per_kecamatan_funnel = defaultdict(lambda: defaultdict(dict))
    for row in funnel_rows:
        code = row.pop("entrepreneur__kecamatan_id")
        facility = row.pop("facility_id")
        per_kecamatan_funnel[code][facility] = row
        for scope in scope_keys(code):
            for key, value in row.items():
                funnel[scope][facility][key] += value

    def scope_data(scope: str) -> dict:
        counts = totals[scope]
        new = [month_counts[scope].get(month, 0) for month in months]
        cumulative, running = [], 0
        for value in new:
            running += value
            cumulative.append(running)
        registered = counts["registered"]
        with_business = sum(sectors[scope].values())
        p1_reached = funnel[scope]["P1"]["reached"] if "P1" in funnel[scope] else 0
        funnel_rows_out, previous = [], None
        for facility in facilities:
            figures = funnel[scope].get(facility["code"], {})
            reached = figures.get("reached", 0)
            funnel_rows_out.append(
                {
                    "code": facility["code"],
                    "requested": figures.get("requested", 0),
                    "active": figures.get("active", 0),
                    "completed": figures.get("completed", 0),
                    "reached": reached,
                    "cancelled": figures.get("cancelled", 0),
                    "completed_90_days": figures.get("completed_90_days", 0),
                    "percent_of_registered": _percent(reached, registered),
                    "percent_of_p1": _percent(reached, p1_reached),
                    "percent_of_previous": _percent(reached, previous) if previous is not None else None,
                }
            )
            previous = reached
        return {
            "totals": {
                "registered": registered,
                "all": counts["all"],
                "submitted": counts["submitted"],
                "verified": counts["verified"],
                "rejected": counts["rejected"],
                "last_90_days": counts["last_90_days"],
                "rate_per_day": round(counts["last_90_days"] / RATE_WINDOW_DAYS, 2),
            },
            "new": new,
            "cumulative": cumulative,
            "funnel": funnel_rows_out,
            "breakdowns": {
                "track": [{"key": v, "count": counts[f"track:{v}"]} for v in Entrepreneur.Track.values],
                "gender": [{"key": v, "count": counts[f"gender:{v}"]} for v in Entrepreneur.Gender.values],
                "age": [{"key": key, "count": counts[f"age:{key}"]} for key, _, _ in AGE_BANDS],
                "sector": [{"key": v, "count": sectors[scope].get(v, 0)} for v in Business.Sector.values]
                + [{"key": "none", "count": max(registered - with_business, 0)}],
            },
        }

    kecamatan_out = []
    for row in kecamatan:
        counts = by_kecamatan.get(row["code"], {})
        kecamatan_out.append(
            {
                "code": row["code"],
                "name": row["name"],
                "kota": row["kota_id"],
                "registered": counts.get("registered", 0),
                "verified": counts.get("verified", 0),
                "submitted": counts.get("submitted", 0),
                "rejected": counts.get("rejected", 0),
                "last_90_days": counts.get("last_90_days", 0),
                "completed_any": sum(f.get("completed", 0) for f in per_kecamatan_funnel[row["code"]].values()),
            }
        )
    kota_out = [
        {
            "code": code,
            "name": kota_names[code],
            "registered": totals[code]["registered"],
            "verified": totals[code]["verified"],
            "submitted": totals[code]["submitted"],
            "rejected": totals[code]["rejected"],
            "last_90_days": totals[code]["last_90_days"],
        }
        for code in sorted(kota_names)
    ]

    centre_out = []
    for centre in centres:
        figures = activity_rows.get(centre["id"], {})
        centre_out.append(
            {
                "id": centre["id"],
                "name": centre["name"],
                "kecamatan": centre["kecamatan_id"],
                "kota": kota_of.get(centre["kecamatan_id"]),
                "active": centre["active"],
                "activities": figures.get("activities", 0),
                "activities_90_days": figures.get("activities_90_days", 0),
                "upcoming": figures.get("upcoming", 0),
                "attended": figures.get("attended", 0),
            }
        )

    scope_payload = {scope: scope_data(scope) for scope in scopes}
    target_out = [
        _target_progress(
            target,
            today=today,
            months=months,
            by_kecamatan=by_kecamatan,
            per_kecamatan_months=per_kecamatan_months,
            per_kecamatan_funnel=per_kecamatan_funnel,
            kota_of=kota_of,
        )
        for target in targets
    ]
    return {
        "version": SNAPSHOT_VERSION,
        "as_of": now.isoformat(),
        "programme_start": PROGRAMME_START.isoformat(),
        "months": months,
        "facilities": facilities,
        "kota": kota_out,
        "kecamatan": kecamatan_out,
        "centres": {
            "total": len(centres),
            "with_activity": sum(1 for c in centre_out if c["activities_90_days"] or c["upcoming"]),
            "rows": centre_out,
        },
        "scopes": scope_payload,
        "targets": target_out,
    }


def _target_progress(target, *, today, months, by_kecamatan, per_kecamatan_months, per_kecamatan_funnel, kota_of):
    """Achieved value, percentage, date reached and projections of one target."""

    def in_scope(code: str) -> bool:
        if target.kecamatan_id:
            return code == target.kecamatan_id
        if target.kota_id:
            return kota_of.get(code) == target.kota_id
        return True

    key = f"target:{target.pk}"
    reached_on = None
    if target.metric == Target.Metric.FACILITY_COMPLETED:
        achieved = sum(
            facilities.get(target.facility_id, {}).get(key, 0)
            for code, facilities in per_kecamatan_funnel.items()
            if in_scope(code)
        )
        recent = sum(
            facilities.get(target.facility_id, {}).get("completed_90_days", 0)
            for code, facilities in per_kecamatan_funnel.items()
            if in_scope(code)
        )
    else:
        achieved = sum(row.get(key, 0) for code, row in by_kecamatan.items() if in_scope(code))
        recent_key = "verified_90_days" if target.metric == Target.Metric.VERIFIED else "last_90_days"
        recent = sum(row.get(recent_key, 0) for code, row in by_kecamatan.items() if in_scope(code))
        if target.metric == Target.Metric.REGISTERED:
            start_month = _month_key(target.period_start)
            running = 0
            for month in months:
                if month < start_month:
                    continue
                running += sum(counts.get(month, 0) for code, counts in per_kecamatan_months.items() if in_scope(code))
                if running >= target.value:
                    reached_on = month
                    break
    rate = recent / RATE_WINDOW_DAYS
    reached = achieved >= target.value

    def projected(value: int) -> str | None:
        if rate <= 0:
            return None
        days = math.ceil((value - achieved) / rate)
        # Beyond the horizon a "projection" means nothing (and would overflow a date).
        return (today + dt.timedelta(days=days)).isoformat() if days <= PROJECTION_HORIZON_DAYS else None

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
        "percent": _percent(achieved, target.value),
        "reached": reached,
        "reached_on": reached_on,
        "recent_90_days": recent,
        "rate_per_day": round(rate, 2),
        "projected_on": projected_on,
        "on_track": reached or (projected_on is not None and projected_on <= target.period_end.isoformat()),
        "next_milestone": next_milestone,
        "next_milestone_on": projected(next_milestone),
    }


# --- storing a snapshot ------------------------------------------------------------------


def _advisory_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _row_lock_acquire(token: str, *, now: dt.datetime) -> bool:
    with transaction.atomic():
        JobLock.objects.filter(name=LOCK_NAME, locked_until__lt=now).delete()
        try:
            with transaction.atomic():
                JobLock.objects.create(name=LOCK_NAME, token=token, locked_until=now + ROW_LOCK_TTL)
        except IntegrityError:
            return False
    return True


def _row_lock_release(token: str) -> None:
    JobLock.objects.filter(name=LOCK_NAME, token=token).delete()


def _store(*, now: dt.datetime, started: float) -> ProgressSnapshot:
    data = progress_compute(now=now)
    snapshot = ProgressSnapshot.objects.create(
        computed_at=now,
        duration_ms=int((time.monotonic() - started) * 1000),
        registered_total=data["scopes"][ALL]["totals"]["registered"],
        data=data,
    )
    retention = getattr(settings, "PROGRESS_SNAPSHOT_RETENTION_DAYS", 30)
    ProgressSnapshot.objects.filter(computed_at__lt=now - dt.timedelta(days=retention)).exclude(pk=snapshot.pk).delete()
    return snapshot


def progress_snapshot_create(*, now: dt.datetime | None = None) -> ProgressSnapshot | None:
    """Compute and store a new snapshot in one transaction; None when another run holds the lock.

    A failure (or a killed worker) rolls the transaction back, so the previous snapshot stays
    the latest.
    """
    started = time.monotonic()
    now = now or timezone.now()
    if connection.vendor == "postgresql":
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost:
                # One consistent view of the data for all the queries of the snapshot.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            if not _advisory_lock():
                logger.info("Progress computation skipped: another run holds the lock.")
                return None
            return _store(now=now, started=started)

    token = uuid.uuid4().hex
    if not _row_lock_acquire(token, now=now):
        logger.info("Progress computation skipped: another run holds the lock.")
        return None
    try:
        with transaction.atomic():
            return _store(now=now, started=started)
    finally:
        _row_lock_release(token)
