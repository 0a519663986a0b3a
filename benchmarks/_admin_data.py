"""Synthetic data for the back-office benchmarks: N entrepreneurs (with businesses and P1
enrolments) loaded with PostgreSQL COPY, so that a million rows load in a minute or two.

Every NIK is consistent with its birth date and gender, every phone is a valid mobile number,
names come from common Indonesian given and family names (so trigram search is realistic).
"""

import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIRST = [
    "Siti",
    "Nur",
    "Dewi",
    "Sri",
    "Rina",
    "Ani",
    "Budi",
    "Agus",
    "Ahmad",
    "Muhammad",
    "Joko",
    "Dian",
    "Eka",
    "Putri",
    "Rizky",
    "Fitri",
    "Indah",
    "Wahyu",
    "Andi",
    "Hendra",
    "Yusuf",
    "Ratna",
    "Lestari",
    "Bambang",
    "Slamet",
    "Tuti",
    "Wati",
    "Yanti",
    "Rudi",
    "Hadi",
    "Bayu",
    "Citra",
    "Intan",
    "Maya",
    "Nanda",
    "Reza",
    "Sari",
    "Taufik",
    "Umar",
    "Vina",
    "Wulan",
    "Yogi",
    "Zainal",
    "Aisyah",
    "Bagus",
    "Cahya",
    "Dimas",
    "Endah",
    "Farhan",
    "Gita",
    "Hana",
]
LAST = [
    "Santoso",
    "Wijaya",
    "Saputra",
    "Lestari",
    "Hidayat",
    "Kusuma",
    "Pratama",
    "Nugroho",
    "Setiawan",
    "Siregar",
    "Nasution",
    "Simanjuntak",
    "Harahap",
    "Rahmawati",
    "Susanti",
    "Gunawan",
    "Hakim",
    "Purnomo",
    "Sulistyo",
    "Wibowo",
    "Maulana",
    "Ramadhan",
    "Firmansyah",
    "Kurniawan",
    "Handayani",
    "Permata",
    "Sembiring",
    "Tanjung",
    "Lubis",
    "Hutapea",
    "Manurung",
    "Panjaitan",
    "Situmorang",
    "Utomo",
    "Prasetyo",
]
SECTORS = ("kuliner", "fesyen", "kriya", "jasa", "perdagangan", "agribisnis", "kreatif", "kecantikan", "lainnya")


def production_environment() -> None:
    """Production settings for a benchmark that serves pages in-process (debug off, cached
    templates), without what only a real deployment has: HTTPS redirects, secure cookies,
    the static files manifest and a secret."""
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
    os.environ.setdefault("DJANGO_MANIFEST_STATIC", "0")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jakpreneur.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The benchmarks need PostgreSQL: set DATABASE_URL=postgres://…")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_nik(birth: dt.date, gender: str, serial: int, region: str) -> str:
    day = birth.day + (40 if gender == "P" else 0)
    return f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def person(i: int, rng: random.Random, regions: list[tuple[str, str, int]]):
    """The i-th synthetic person; NIKs are unique because (birth date, serial) is unique per i."""
    q, serial = divmod(i, 9999)
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=(q * 131) % 16000)
    gender = "P" if rng.random() < 0.55 else "L"
    kelurahan, kecamatan, center_id = regions[rng.randrange(len(regions))]
    nik = make_nik(birth, gender, serial + 1, kecamatan.replace(".", "")[:6].ljust(6, "1"))
    name = f"{rng.choice(FIRST)} {rng.choice(FIRST)} {rng.choice(LAST)}"
    phone = f"+62812{i:08d}"
    registered = dt.datetime(2018, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=rng.randrange(8 * 365 * 86400))
    return nik, name, birth, gender, phone, kelurahan, kecamatan, center_id, registered


def regions() -> list[tuple[str, str, int]]:
    from facilities.models import Center, Kelurahan

    centers = dict(Center.objects.values_list("kecamatan_id", "id"))
    return [(code, kec, centers[kec]) for code, kec in Kelurahan.objects.values_list("code", "kecamatan_id")]


def truncate() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE registrations_entrepreneur, registrations_historicalentrepreneur, "
            "registrations_historicalbusiness, registrations_historicalenrollment RESTART IDENTITY CASCADE"
        )


def entrepreneur_count() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registrations_entrepreneur")
        return cursor.fetchone()[0]


def _copy(cursor, table: str, columns: str, buffer: io.StringIO) -> None:
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)


def load(n: int, *, seed: int = 1, reuse: bool = True) -> float:
    """Make the database hold exactly n synthetic entrepreneurs; returns seconds spent."""
    from django.db import connection, transaction

    if reuse and entrepreneur_count() == n:
        print(f"  reusing the {n:,} entrepreneurs already loaded")
        return 0.0
    started = time.monotonic()
    truncate()
    rng = random.Random(seed)
    places = regions()
    chunk = 100_000
    e_cols = (
        "id,nik,full_name,birth_date,gender,phone,email,address,track,status,status_changed_at,status_reason,"
        "source,consent_at,registered_at,updated_at,kelurahan_id,kecamatan_id,home_center_id"
    )
    b_cols = "entrepreneur_id,name,sector,nib,workers,turnover_band,asset_band,updated_at"
    p_cols = (
        "entrepreneur_id,facility_id,center_id,state,requested_at,completed_at,note,permit_type,permit_number,"
        "curation_grade,financing_provider,updated_at"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
        for start in range(0, n, chunk):
            e_buf, b_buf, p_buf = io.StringIO(), io.StringIO(), io.StringIO()
            for i in range(start, min(n, start + chunk)):
                nik, name, birth, gender, phone, kel, kec, center_id, reg = person(i, rng, places)
                pk = i + 1
                status = "verified" if rng.random() < 0.7 else "submitted"
                ts = reg.isoformat()
                track = "naik_kelas" if rng.random() < 0.4 else "pemula"
                e_buf.write(
                    f'{pk},{nik},{name},{birth},{gender},{phone},"","Jl. Contoh No. {i % 200}",{track},{status},'
                    f'{ts},"",self,{ts},{ts},{ts},{kel},{kec},{center_id}\n'
                )
                if i % 2 == 0:
                    b_buf.write(f'{pk},Usaha {name},{rng.choice(SECTORS)},"",{i % 7},lt5jt,"",{ts}\n')
                p_buf.write(f'{pk},P1,{center_id},completed,{ts},{ts},"","","","","",{ts}\n')
            _copy(raw, "registrations_entrepreneur", e_cols, e_buf)
            _copy(raw, "registrations_business", b_cols, b_buf)
            _copy(raw, "registrations_enrollment", p_cols, p_buf)
            print(f"  loaded {min(n, start + chunk):,} / {n:,}", flush=True)
        cursor.execute("SELECT setval(pg_get_serial_sequence('registrations_entrepreneur', 'id'), %s)", [max(n, 1)])
    # As autovacuum would after a bulk load: statistics, visibility map and hint bits, so the
    # first measurements do not pay for them.
    with connection.cursor() as cursor:
        for table in ("registrations_entrepreneur", "registrations_business", "registrations_enrollment"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return time.monotonic() - started
