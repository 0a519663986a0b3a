"""Progress computation: the figures behind the dashboard, the landing page and open data.

`progress_compute()` composes the named steps: the aggregate queries (`reports.queries`, one
GROUP BY each, a fixed number whatever the data size), the roll-ups kecamatan → kota → all
and the builders of the declared structure (`reports.rollups`), and the targets
(`reports.targets`). It returns a `SnapshotData` (declared in `reports.snapshot`, with the
recipe for adding an outcome section). `progress_snapshot_create()` runs it under a lock
inside one transaction and stores the result.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections import Counter

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from reports.curation import curation_by_kecamatan, curation_counts, curation_figures
from reports.financing import financing_by_kecamatan, financing_counts, financing_figures, products_reference
from reports.models import JobLock, ProgressSnapshot
from reports.public import public_figures
from reports.queries import (
    PROGRAMME_START,
    activities_by_centre,
    businesses_by_sector,
    entrepreneurs_by_kecamatan,
    facility_funnel,
    outcomes_by_kecamatan,
    reference_load,
    registrations_by_month,
)
from reports.rollups import (
    centre_figures,
    growth_by_scope,
    kecamatan_rows,
    kota_rows,
    month_axis,
    outcome_figures,
    roll_up,
    scope_figures,
)
from reports.snapshot import ALL, SNAPSHOT_VERSION, SnapshotData, data_is_usable
from reports.targets import area_shares, target_enrolment_counts, target_entrepreneur_counts, target_progress

logger = logging.getLogger(__name__)

LOCK_NAME = "reports.compute_progress"
# An arbitrary constant identifying the progress job among PostgreSQL advisory locks.
ADVISORY_LOCK_KEY = 0x4A505F05
ROW_LOCK_TTL = dt.timedelta(minutes=30)


def progress_compute(*, now: dt.datetime | None = None) -> SnapshotData:
    """Compute every figure of a snapshot with a fixed number of aggregate queries."""
    ref = reference_load(now=now or timezone.now())
    people = entrepreneurs_by_kecamatan(ref, extra=target_entrepreneur_counts(ref.targets))
    monthly = registrations_by_month(ref)
    sectors = businesses_by_sector(ref)
    funnel = facility_funnel(ref, extra=target_enrolment_counts(ref.targets))
    activities = activities_by_centre(ref)
    outcomes = outcomes_by_kecamatan(ref)
    curation = curation_by_kecamatan(ref)

    people_by_scope, monthly_by_scope = roll_up(people, ref), roll_up(monthly, ref)
    sectors_by_scope, funnel_by_scope = roll_up(sectors, ref), roll_up(funnel, ref)
    curation_by_scope = roll_up(curation, ref)
    months = month_axis(ref, monthly_by_scope[ALL])
    kota_shares, kecamatan_shares = area_shares(ref, people)
    data: SnapshotData = {
        "version": SNAPSHOT_VERSION,
        "as_of": ref.now.isoformat(),
        "programme_start": PROGRAMME_START.isoformat(),
        "months": months,
        "facilities": ref.facilities,
        "kota": kota_rows(ref, people_by_scope, kota_shares),
        "kecamatan": [
            {**row, "curation": curation_counts(curation.get(row["code"], Counter()))}
            for row in kecamatan_rows(ref, people, funnel, kecamatan_shares)
        ],
        "centres": centre_figures(ref, activities),
        "scopes": {
            scope: {
                **scope_figures(
                    ref=ref,
                    months=months,
                    people=people_by_scope[scope],
                    monthly=monthly_by_scope[scope],
                    sectors=sectors_by_scope[scope],
                    funnel=funnel_by_scope[scope],
                ),
                "curation": curation_figures(curation_by_scope[scope]),
            }
            for scope in people_by_scope
        },
        "targets": [
            target_progress(
                target, ref=ref, months=months, people=people, monthly=monthly, funnel=funnel, outcomes=outcomes.counts
            )
            for target in ref.targets
        ],
        "public": {},
    }
    # P7 outcomes (reports/financing.py): counts per kecamatan rolled up, medians per scope.
    financing = financing_by_kecamatan(ref)
    financing_by_scope, products = roll_up(financing, ref), products_reference()
    for scope, figures in data["scopes"].items():
        figures["financing"] = financing_figures(financing_by_scope[scope], products)
    for row in data["kecamatan"]:
        row["financing"] = financing_counts(financing.get(row["code"], Counter()))
    # P6 outcomes (growth): counts roll up; the rate and the median are taken per scope.
    outcomes_by_scope, growth_values = roll_up(outcomes.counts, ref), growth_by_scope(outcomes.growth, ref)
    for scope, figures in data["scopes"].items():
        figures["outcomes"] = outcome_figures(outcomes_by_scope[scope], growth_values[scope])
    for row in data["kecamatan"]:
        row["outcomes"] = outcome_figures(
            outcomes.counts.get(row["code"], Counter()), outcomes.growth.get(row["code"], [])
        )
    # What the public sees, decided once for every public table and figure (reports.public).
    data["public"] = public_figures(data)
    return data


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
    if not data_is_usable(data):
        # Storing it would hide the previous, good snapshot behind one nobody can read.
        raise ValueError("The computed snapshot does not match reports.snapshot.SnapshotData.")
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
