"""Writing the demo people's rows: the three tables in model field order, COPY on PostgreSQL
(explicit ids, sequences moved past them), bulk_create elsewhere, one transaction per batch."""

from __future__ import annotations

import io
import time
from collections import defaultdict
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from facilities.models import Center, Kelurahan
from registrations.models import Business, Enrollment, Entrepreneur
from reports.demo.people import Generator
from reports.demo.programme import DEMO_PREFIX

ENTREPRENEUR_FIELDS = [
    "id",
    "user_id",
    "nik",
    "full_name",
    "birth_date",
    "gender",
    "phone",
    "email",
    "kelurahan_id",
    "kecamatan_id",
    "address",
    "home_center_id",
    "track",
    "status",
    "status_changed_at",
    "status_changed_by_id",
    "status_reason",
    "source",
    "legacy_id",
    "consent_at",
    "registered_at",
    "updated_at",
]


BUSINESS_FIELDS = [
    "id",
    "entrepreneur_id",
    "name",
    "sector",
    "started_year",
    "nib",
    "workers",
    "turnover_band",
    "asset_band",
    "updated_at",
]


ENROLLMENT_FIELDS = [
    "id",
    "entrepreneur_id",
    "facility_id",
    "center_id",
    "state",
    "requested_at",
    "started_at",
    "completed_at",
    "cancelled_at",
    "note",
    "permit_type",
    "permit_number",
    "curation_grade",
    "financing_amount",
    "financing_provider",
    "updated_at",
]


TABLES = [
    (Entrepreneur, ENTREPRENEUR_FIELDS),
    (Business, BUSINESS_FIELDS),
    (Enrollment, ENROLLMENT_FIELDS),
]


def _copy(cursor, model, fields, rows) -> None:
    """PostgreSQL COPY in text format (the generated values contain no tabs or newlines)."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if value is None else str(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    columns = ", ".join(model._meta.get_field(name).column for name in fields)
    cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", buffer)


def seed_people(*, entrepreneurs: int, seed: int, batch: int, report: Callable[[str], None]) -> tuple[int, int, int]:
    """Add `entrepreneurs` demo people for `seed`, continuing after those already seeded with
    it; `report` gets a progress line per batch. Returns (entrepreneurs, businesses, enrolments)."""
    postgres = connection.vendor == "postgresql"
    batch = batch or (50_000 if postgres else 2_000)
    kelurahan = defaultdict(list)
    for code, kecamatan in Kelurahan.objects.order_by("code").values_list("code", "kecamatan_id"):
        kelurahan[kecamatan].append(code)
    centres = dict(Center.objects.values_list("kecamatan_id", "id"))
    if Entrepreneur.objects.exists():
        taken = set(Entrepreneur.objects.values_list("nik", flat=True).iterator(chunk_size=50_000))
    else:
        taken = set()
    first = Entrepreneur.objects.filter(legacy_id__startswith=f"{DEMO_PREFIX}{seed}-").count()
    generator = Generator(seed=seed, now=timezone.now(), kelurahan=kelurahan, centres=centres, taken_niks=taken)
    started = time.monotonic()
    done = 0
    totals = [0, 0, 0]
    while done < entrepreneurs:
        count = min(batch, entrepreneurs - done)
        with transaction.atomic():
            if postgres:
                with connection.cursor() as cursor:
                    # Explicit ids let the three tables be written with COPY in one go.
                    tables = ", ".join(model._meta.db_table for model, _ in TABLES)
                    cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
            ids = tuple(
                (model.objects.order_by("-id").values_list("id", flat=True).first() or 0) for model, _ in TABLES
            )
            batches = generator.rows(first + done, count, ids)
            if postgres:
                with connection.cursor() as cursor:
                    for (model, fields), rows in zip(TABLES, batches, strict=True):
                        _copy(cursor, model, fields, rows)
                        if rows:
                            cursor.execute(
                                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                                [model._meta.db_table, rows[-1][0]],
                            )
            else:
                for (model, fields), rows in zip(TABLES, batches, strict=True):
                    model.objects.bulk_create(
                        [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=1000
                    )
        for index, rows in enumerate(batches):
            totals[index] += len(rows)
        done += count
        elapsed = time.monotonic() - started
        report(
            f"  {done:,}/{entrepreneurs:,} entrepreneurs, {totals[2]:,} enrolments "
            f"({elapsed:.0f} s, {done / max(elapsed, 0.001):,.0f}/s)"
        )
    if postgres and entrepreneurs:
        with connection.cursor() as cursor:
            for model, _ in TABLES:
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return done, totals[1], totals[2]
