"""Synthetic demo data: entrepreneurs, businesses and enrolments shaped like the real programme.

This command deliberately bypasses registrations.services: it writes bulk *synthetic* rows
(PostgreSQL COPY, or bulk_create elsewhere) so that a million entrepreneurs load in minutes
for demos and benchmarks. Those are not real writes, so they carry no account, status log
(StatusChange) or simple-history rows; every row still satisfies every database constraint
(valid NIK consistent with birth date and gender, E.164 phone, one open enrolment per
entrepreneur and facility, states with matching timestamps). Demo rows are marked with a
`legacy_id` starting with "demo-".
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import random
import time
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from facilities.models import Center, Kelurahan
from financing.demo import seed_financing
from growth.demo import seed_growth
from registrations.models import Business, Enrollment, Entrepreneur

DEMO_PREFIX = "demo-"
JAKARTA = timezone.get_fixed_timezone(7 * 60)
START = dt.date(2017, 12, 14)
# Cumulative registrations of the real programme (RPJMD reports and Dinas figures): 200,000
# reached in mid-December 2020, 284,164 in October 2021, about 326,000 by 11 September 2022.
# The generated dates follow this curve, scaled to the number of entrepreneurs requested.
GROWTH = [
    (START, 0),
    (dt.date(2018, 6, 30), 45_000),
    (dt.date(2018, 12, 31), 85_000),
    (dt.date(2019, 6, 30), 115_000),
    (dt.date(2019, 12, 31), 145_000),
    (dt.date(2020, 6, 30), 170_000),
    (dt.date(2020, 12, 15), 200_000),
    (dt.date(2021, 10, 31), 284_164),
    (dt.date(2022, 9, 11), 326_000),
    (dt.date(2023, 12, 31), 375_000),
    (dt.date(2024, 12, 31), 412_000),
    (dt.date(2025, 12, 31), 445_000),
]
GROWTH_PER_YEAR_AFTER = 33_000
# Share of registrants who reached each facility, October 2021 (P1 284,164 = 100 %).
FUNNEL = {
    "P1": 1.0,
    "P2": 176_891 / 284_164,
    "P3": 157_498 / 284_164,
    "P4": 148_374 / 284_164,
    "P5": 44_456 / 284_164,
    "P6": 32_883 / 284_164,
    "P7": 6_159 / 284_164,
}
SECTORS = [
    ("kuliner", 45),
    ("fesyen", 12),
    ("perdagangan", 12),
    ("jasa", 10),
    ("kriya", 8),
    ("kreatif", 4),
    ("kecantikan", 4),
    ("agribisnis", 3),
    ("lainnya", 2),
]
FIRST_NAMES = {
    "L": [
        "Agus",
        "Ahmad",
        "Andi",
        "Bambang",
        "Budi",
        "Dedi",
        "Eko",
        "Fajar",
        "Hendra",
        "Irfan",
        "Joko",
        "Rudi",
        "Slamet",
        "Teguh",
        "Wahyu",
        "Yusuf",
    ],
    "P": [
        "Ani",
        "Ayu",
        "Dewi",
        "Fitri",
        "Indah",
        "Lestari",
        "Maya",
        "Nur",
        "Putri",
        "Ratna",
        "Rina",
        "Sari",
        "Siti",
        "Sri",
        "Wati",
        "Yuni",
    ],
}
LAST_NAMES = [
    "Hidayat",
    "Kurniawan",
    "Lubis",
    "Nasution",
    "Pratama",
    "Rahman",
    "Saputra",
    "Setiawan",
    "Siregar",
    "Susanto",
    "Wijaya",
    "Yulianti",
]
STREETS = ["Mawar", "Melati", "Kenanga", "Cempaka", "Anggrek", "Flamboyan", "Dahlia", "Kamboja", "Merpati", "Rajawali"]
BUSINESS_WORDS = [
    "Berkah",
    "Barokah",
    "Sejahtera",
    "Makmur",
    "Jaya",
    "Lestari",
    "Mandiri",
    "Sentosa",
    "Rizki",
    "Amanah",
]
TURNOVER = ["none", "lt5jt", "5-25jt", "25-100jt", "100-250jt"]
ASSETS = ["lt50jt", "50-500jt", "500jt-10m"]
PERMITS = ["nib", "pirt", "halal", "bpom", "merek"]


def _growth_curve(today: dt.date) -> list[tuple[float, float]]:
    """(cumulative count, ordinal day) points, ending today."""
    points = [(float(count), float(day.toordinal())) for day, count in GROWTH if day < today]
    last_day, last_count = GROWTH[-1]
    if today > last_day:
        points.append((last_count + GROWTH_PER_YEAR_AFTER * (today - last_day).days / 365, float(today.toordinal())))
    return points


class Generator:
    """Deterministic rows for entrepreneurs number `first`… from a seed."""

    def __init__(self, *, seed: int, now: dt.datetime, kelurahan, centres, taken_niks: set[str]):
        self.seed = seed
        self.now = now
        self.today = now.astimezone(JAKARTA).date()
        self.curve = _growth_curve(self.today)
        self.curve_counts = [count for count, _ in self.curve]
        self.kelurahan = kelurahan  # {kecamatan: [kelurahan codes]}
        self.kecamatan = sorted(kelurahan)
        # Weight kecamatan by their number of kelurahan (a rough proxy for population); the
        # Thousand Islands are a small population spread over many kelurahan.
        self.weights = [len(kelurahan[code]) * (0.15 if code.startswith("31.01") else 1) for code in self.kecamatan]
        self.centres = centres
        self.taken = taken_niks
        self.sector_names = [name for name, _ in SECTORS]
        self.sector_weights = [weight for _, weight in SECTORS]

    def registered_at(self, rng: random.Random) -> dt.datetime:
        target = rng.random() * self.curve_counts[-1]
        index = max(bisect.bisect_left(self.curve_counts, target), 1)
        (c0, d0), (c1, d1) = self.curve[index - 1], self.curve[index]
        ordinal = d0 + (d1 - d0) * ((target - c0) / (c1 - c0) if c1 > c0 else 0)
        day = dt.date.fromordinal(int(ordinal))
        moment = dt.datetime.combine(day, dt.time(8), tzinfo=JAKARTA) + dt.timedelta(seconds=rng.randrange(12 * 3600))
        return min(moment, self.now - dt.timedelta(minutes=1))

    def later(self, rng: random.Random, start: dt.datetime, max_days: int) -> dt.datetime:
        return min(start + dt.timedelta(days=rng.random() * max_days), self.now)

    def nik(self, rng: random.Random, kecamatan: str, birth: dt.date, gender: str) -> str:
        region = kecamatan.replace(".", "")
        day = birth.day + (40 if gender == "P" else 0)
        stem = f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        while True:
            nik = f"{stem}{rng.randint(1, 9999):04d}"
            if nik not in self.taken:
                self.taken.add(nik)
                return nik

    def rows(self, first: int, count: int, ids: tuple[int, int, int]):
        """Entrepreneur, business and enrolment rows (tuples in model field order)."""
        rng = random.Random(f"{self.seed}:{first}")
        entrepreneur_id, business_id, enrollment_id = ids
        entrepreneurs, businesses, enrollments = [], [], []
        now = self.now
        kecamatan_picks = rng.choices(self.kecamatan, weights=self.weights, k=count)
        for offset in range(count):
            number = first + offset
            entrepreneur_id += 1
            kecamatan = kecamatan_picks[offset]
            gender = "P" if rng.random() < 0.62 else "L"
            registered = self.registered_at(rng)
            age_days = int(rng.triangular(18, 62, 36) * 365.25)
            birth = registered.date() - dt.timedelta(days=age_days)
            track = "naik_kelas" if rng.random() < 0.45 else "pemula"
            since = (now - registered).days
            draw = rng.random()
            if draw < 0.02:
                status = "rejected"
            elif draw < (0.88 if since > 60 else 0.35):
                status = "verified"
            else:
                status = "submitted"
            status_changed_at = self.later(rng, registered, 30) if status != "submitted" else None
            entrepreneurs.append(
                (
                    entrepreneur_id,
                    None,  # user
                    self.nik(rng, kecamatan, birth, gender),
                    f"{rng.choice(FIRST_NAMES[gender])} {rng.choice(LAST_NAMES)}",
                    birth,
                    gender,
                    f"+6281{rng.randint(1, 9)}{rng.randrange(10**8):08d}",
                    "",
                    rng.choice(self.kelurahan[kecamatan]),
                    kecamatan,
                    f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}",
                    self.centres[kecamatan],
                    track,
                    status,
                    status_changed_at,
                    None,
                    "Data demo: dokumen tidak lengkap" if status == "rejected" else "",
                    rng.choice(("self", "self", "staff", "import")),
                    f"{DEMO_PREFIX}{self.seed}-{number:07d}",
                    registered,
                    registered,
                    now,
                )
            )
            if track == "naik_kelas" or rng.random() < 0.75:
                business_id += 1
                businesses.append(
                    (
                        business_id,
                        entrepreneur_id,
                        f"{rng.choice(('Warung', 'Toko', 'Dapur', 'Butik', 'Kedai'))} {rng.choice(BUSINESS_WORDS)}",
                        rng.choices(self.sector_names, weights=self.sector_weights)[0],
                        rng.randint(2005, registered.year) if track == "naik_kelas" else None,
                        f"{rng.randrange(10**12, 10**13)}" if track == "naik_kelas" and rng.random() < 0.4 else "",
                        rng.randint(1, 12) if track == "naik_kelas" else 0,
                        rng.choice(TURNOVER[1:]) if track == "naik_kelas" else "none",
                        rng.choice(ASSETS) if track == "naik_kelas" else "",
                        now,
                    )
                )
            centre = self.centres[kecamatan]
            # P1 is completed at registration, as entrepreneur_register records it.
            enrollment_id += 1
            enrollments.append(
                (enrollment_id, entrepreneur_id, "P1", centre, "completed", registered, registered, registered)
                + (None, "", "", "", "", None, "", now)
            )
            if status == "rejected":
                continue
            uptake = rng.random()
            mature = since > 180
            cancelled_one = False
            moment = registered
            for code in ("P2", "P3", "P4", "P5", "P6", "P7"):
                if uptake >= FUNNEL[code]:
                    # Some who never got this far asked for it and cancelled.
                    if not cancelled_one and rng.random() < 0.04:
                        cancelled_one = True
                        requested = self.later(rng, moment, 60)
                        enrollment_id += 1
                        enrollments.append(
                            (enrollment_id, entrepreneur_id, code, centre, "cancelled", requested, None, None)
                            + (self.later(rng, requested, 30), "", "", "", "", None, "", now)
                        )
                    continue
                requested = self.later(rng, moment, 60)
                moment = requested
                draw = rng.random()
                state = (
                    "completed"
                    if draw < (0.75 if mature else 0.3)
                    else "active"
                    if draw < (0.9 if mature else 0.6)
                    else "requested"
                )
                started = self.later(rng, requested, 20) if state != "requested" else None
                completed = self.later(rng, started, 60) if state == "completed" else None
                permit = grade = provider = ""
                amount = None
                if state == "completed":
                    if code == "P4":
                        permit = rng.choice(PERMITS)
                    elif code == "P5":
                        grade = rng.choice("ABBCC")
                    elif code == "P7":
                        amount = Decimal(rng.choice((5, 10, 25, 50, 100)) * 1_000_000)
                        provider = "Bank DKI"
                enrollment_id += 1
                enrollments.append(
                    (enrollment_id, entrepreneur_id, code, centre, state, requested, started, completed)
                    + (None, "", permit, "", grade, amount, provider, now)
                )
        return entrepreneurs, businesses, enrollments


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


class Command(BaseCommand):
    help = "Generate synthetic entrepreneurs, businesses and enrolments shaped like the real programme."

    def add_arguments(self, parser):
        parser.add_argument("--entrepreneurs", type=int, default=1000, help="How many entrepreneurs to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same data).")
        parser.add_argument("--batch", type=int, default=0, help="Rows per transaction (default: 50,000 / 2,000).")
        parser.add_argument("--force", action="store_true", help="Seed even into a database holding real data.")
        parser.add_argument(
            "--products",
            type=int,
            default=None,
            help="Demo products with photos, curation rounds and history (default: 1 per 10 entrepreneurs, max 300).",
        )

    def handle(self, *args, entrepreneurs: int, seed: int, batch: int, force: bool, products=None, **options):
        if entrepreneurs < 0:
            raise CommandError("--entrepreneurs must be zero or more.")
        real_data = Entrepreneur.objects.exclude(legacy_id__startswith=DEMO_PREFIX)
        if not settings.DEBUG and not force and real_data.exists():
            raise CommandError(
                "This database holds entrepreneurs that are not demo data and DJANGO_DEBUG is off: "
                "refusing to mix synthetic records into it. Use --force if you really mean it."
            )
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
            self.stdout.write(
                f"  {done:,}/{entrepreneurs:,} entrepreneurs, {totals[2]:,} enrolments "
                f"({elapsed:.0f} s, {done / max(elapsed, 0.001):,.0f}/s)"
            )
        if postgres and entrepreneurs:
            with connection.cursor() as cursor:
                for model, _ in TABLES:
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        # P3 + P6: mentors, caseloads, sessions and monthly reports for the demo people (growth.demo).
        assignments, sessions, reports = seed_growth(seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {done:,} demo entrepreneurs, {totals[1]:,} businesses and {totals[2]:,} enrolments "
                f"in {time.monotonic() - started:.1f} s; {assignments:,} mentor assignments, {sessions:,} "
                f"mentoring sessions, {reports:,} monthly reports."
            )
        )
        products = min(entrepreneurs // 10, 300) if products is None else products
        if products > 0:
            from marketing.demo import seed_marketing

            with transaction.atomic():
                made = seed_marketing(products=products, seed=seed)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeded {made['products']:,} demo products with photos, {made['submissions']:,} curation "
                    f"submissions and {made['certificates']:,} certificates."
                )
            )
        # P7: the loans behind the completed P7 enrolments and applications in the pipeline.
        loans = seed_financing(seed=seed, legacy_prefix=f"{DEMO_PREFIX}{seed}-")
        self.stdout.write(f"  {loans:,} financing applications (P7).")
