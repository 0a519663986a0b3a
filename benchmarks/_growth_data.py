"""Synthetic P3/P6 data for the growth benchmarks, added to a database that already holds N
synthetic entrepreneurs (`_admin_data.load`), at the size of issue 10's budget:

- mentors: `pendamping` staff accounts of one kecamatan each, with a profile (phone,
  recruitment target 60) and ~60 people each; 90 % of the entrepreneurs have one active
  assignment to a mentor of their kecamatan;
- mentoring sessions: 0–4 per assigned person in the last year, most with a next step;
- monthly reports for 40 % of the entrepreneurs: 12–24 consecutive months (most up to last
  month, a fifth stopping 1–6 months earlier), ~3 % of the months missing, log-normal
  turnover (median ~Rp 6 million a month), most flat and a fifth growing: ~7M reports at
  1M entrepreneurs.

Entrepreneur 1 is the benchmarks' "/me/reports/" person: every one of the last 24 months
reported, a mentor, and a login `bench-me@bench.jakpreneur.id` (password unusable; the
benchmarks sign in with `force_login`).

Everything is written with PostgreSQL COPY and is idempotent: a database that already holds
the growth data is reused as it is (never truncated: other benchmarks read it). Mentors,
assignments and sessions are one transaction; reports are committed in chunks of
entrepreneurs, and a chunk already present is skipped, so a killed load resumes.

    DATABASE_URL=postgres://root@127.0.0.1:5432/jp_bench_10k \\
        /work/main/.venv/bin/python benchmarks/_growth_data.py --entrepreneurs 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import random
import time

import _admin_data

MENTOR_DOMAIN = "bench.jakpreneur.id"
ME_EMAIL = f"bench-me@{MENTOR_DOMAIN}"
ME_ENTREPRENEUR = 1
CASELOAD = 60
ASSIGNED_SHARE = 0.9
REPORTING_SHARE = 0.4
GAP_SHARE = 0.03
CHUNK = 50_000  # entrepreneurs per committed chunk of reports
TOPICS = ("finance", "marketing", "licensing", "production", "digital")
NEXT_STEPS = ("Daftar NIB di OSS", "Foto produk untuk katalog", "Catat omzet harian", "Urus PIRT", "Ikut bazar")
EMPTY = '""'  # an empty string in COPY's CSV (a bare empty field is NULL)
RAMADAN = {(2024, 3), (2025, 3), (2026, 2)}


def _copy(cursor, table: str, columns: str, buffer: io.StringIO) -> None:
    buffer.seek(0)
    raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
    raw.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)


def _scalar(sql: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def _people() -> list[tuple[int, str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, kecamatan_id, track FROM registrations_entrepreneur ORDER BY id")
        return cursor.fetchall()


def mentors_loaded() -> int:
    return _scalar("SELECT count(*) FROM registrations_user WHERE email LIKE %s", [f"pendamping-%@{MENTOR_DOMAIN}"])


def load_mentors(people: list[tuple[int, str, str]], rng: random.Random, now: dt.datetime) -> int:
    """Mentor accounts, profiles, scopes, assignments and sessions in one transaction."""
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from jakpreneur.access import PENDAMPING

    group_id = Group.objects.get(name=PENDAMPING).pk
    today = now.date()
    by_kecamatan: dict[str, list[int]] = {}
    for pk, kecamatan, _track in people:
        if pk == ME_ENTREPRENEUR or rng.random() < ASSIGNED_SHARE:
            by_kecamatan.setdefault(kecamatan, []).append(pk)
    with transaction.atomic(), connection.cursor() as cursor:
        user_id = _scalar("SELECT coalesce(max(id), 0) FROM registrations_user")
        users, groups, scopes, profiles = io.StringIO(), io.StringIO(), io.StringIO(), io.StringIO()
        assignments, sessions = io.StringIO(), io.StringIO()
        number = 0
        for kecamatan in sorted(by_kecamatan):
            caseload = by_kecamatan[kecamatan]
            for start in range(0, len(caseload), CASELOAD):
                number += 1
                user_id += 1
                joined = (now - dt.timedelta(days=rng.randint(400, 1500))).isoformat()
                email = f"pendamping-{number:05d}@{MENTOR_DOMAIN}"
                users.write(f"{user_id},!bench,f,Pendamping,{kecamatan} #{number},t,t,{joined},{email}\n")
                groups.write(f"{user_id},{group_id}\n")
                scopes.write(f"{user_id},{kecamatan}\n")
                target = rng.choice((50, 60, 60, 60, 80))
                profiles.write(f"{user_id},Pendamping {number},+62813{number:08d},{target},{joined}\n")
                for pk in caseload[start : start + CASELOAD]:
                    assigned = now - dt.timedelta(days=rng.randint(30, 700), seconds=rng.randrange(86400))
                    assignments.write(f"{pk},{user_id},{assigned.isoformat()},\n")
                    for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
                        date = today - dt.timedelta(days=rng.randint(0, 360))
                        due = date + dt.timedelta(days=rng.randint(7, 45)) if rng.random() < 0.6 else None
                        topics = '"[' + ", ".join(f'""{t}""' for t in rng.sample(TOPICS, rng.randint(1, 3))) + ']"'
                        sessions.write(
                            f"{pk},{user_id},{user_id},{date},{rng.choice(('visit', 'visit', 'phone', 'online'))},"
                            f"{topics},Catatan internal.,{rng.choice(NEXT_STEPS) if due else EMPTY},{due or ''},"
                            f"{date}T10:00:00+07:00\n"
                        )
        _copy(
            cursor,
            "registrations_user",
            "id,password,is_superuser,first_name,last_name,is_staff,is_active,date_joined,email",
            users,
        )
        _copy(cursor, "registrations_user_groups", "user_id,group_id", groups)
        _copy(cursor, "registrations_user_kecamatan_scope", "user_id,kecamatan_id", scopes)
        _copy(cursor, "growth_mentorprofile", "user_id,display_name,phone,recruitment_target,updated_at", profiles)
        _copy(cursor, "growth_mentorassignment", "entrepreneur_id,mentor_id,assigned_at,ended_at", assignments)
        _copy(
            cursor,
            "growth_mentoringsession",
            "entrepreneur_id,mentor_id,created_by_id,date,mode,topics,notes,next_step,next_step_due,created_at",
            sessions,
        )
        cursor.execute("SELECT setval(pg_get_serial_sequence('registrations_user', 'id'), %s)", [user_id])
        # The /me/reports/ person signs in.
        cursor.execute(
            "INSERT INTO registrations_user (password, is_superuser, first_name, last_name, is_staff, is_active,"
            " date_joined, email) VALUES ('!bench', false, 'Bench', 'Me', false, true, now(), %s) RETURNING id",
            [ME_EMAIL],
        )
        me = cursor.fetchone()[0]
        cursor.execute("UPDATE registrations_entrepreneur SET user_id = %s WHERE id = %s", [me, ME_ENTREPRENEUR])
    return number


def add_months(period: dt.date, months: int) -> dt.date:
    index = period.year * 12 + period.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _series(rng: random.Random, pk: int, kecamatan: str, last: dt.date, buffer: io.StringIO) -> int:
    """One business's reports into the COPY buffer; returns how many."""
    if pk == ME_ENTREPRENEUR:
        length, end, gaps = 24, last, 0.0
    else:
        length = rng.randint(12, 24)
        end = last if rng.random() < 0.8 else add_months(last, -rng.randint(1, 6))
        gaps = GAP_SHARE
    level = rng.lognormvariate(math.log(6_000_000), 1.0)
    growing = rng.random() < 0.2
    trend = rng.uniform(0.02, 0.06) if growing else rng.uniform(-0.005, 0.005)
    assets = rng.lognormvariate(math.log(25_000_000), 1.1)
    workers = rng.choice((0, 0, 1, 1, 2, 3, 5))
    filed = ("self", "mentor", "mentor", "import")[pk % 4]
    written = 0
    for index in range(length):
        period = add_months(end, index - length + 1)
        if index and rng.random() < gaps:
            continue
        value = level * (1 + trend) ** index * rng.uniform(0.9, 1.1)
        if (period.year, period.month) in RAMADAN:
            value *= 1.4
        if growing and rng.random() < 0.1:
            workers += 1
        turnover = min(round(value, -3), 10**12)
        capital = min(round(assets * (1 + trend) ** index, -3), 10**12)
        filed_at = f"{add_months(period, 1)}T09:00:00+07:00"
        buffer.write(
            f"{pk},{kecamatan},{period},{turnover:.0f},{capital:.0f},{workers},{filed},{filed_at},{filed_at}\n"
        )
        written += 1
    return written


def _chunk_loaded(chunk: list[tuple[int, str, str]]) -> bool:
    return _scalar(
        "SELECT EXISTS (SELECT 1 FROM growth_monthlyreport WHERE entrepreneur_id BETWEEN %s AND %s)",
        [chunk[0][0], chunk[-1][0]],
    )


def load_reports(people: list[tuple[int, str, str]], rng: random.Random, today: dt.date) -> int:
    """Monthly reports for REPORTING_SHARE of the people, committed chunk by chunk; a chunk
    that already holds reports is skipped (the load resumes after a kill)."""
    from django.db import connection, transaction

    last = add_months(today.replace(day=1), -1)
    columns = "entrepreneur_id,kecamatan_id,period,turnover,assets,workers,filed_by,created_at,updated_at"
    written = 0
    for start in range(0, len(people), CHUNK):
        chunk = people[start : start + CHUNK]
        # Draw every chunk's numbers even when it is skipped, so a resumed load writes the
        # same rows as an uninterrupted one.
        buffer, rows = io.StringIO(), 0
        for pk, kecamatan, _track in chunk:
            if pk == ME_ENTREPRENEUR or rng.random() < REPORTING_SHARE:
                rows += _series(rng, pk, kecamatan, last, buffer)
        low, high = chunk[0][0], chunk[-1][0]
        if _chunk_loaded(chunk):
            print(f"  reports of {low:,}–{high:,} already there", flush=True)
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            _copy(cursor, "growth_monthlyreport", columns, buffer)
        written += rows
        print(f"  reports of entrepreneurs {low:,}–{high:,}: {rows:,}", flush=True)
    return written


def load(n: int, *, seed: int = 1) -> float:
    """Add the growth data to a database holding exactly n synthetic entrepreneurs (loaded by
    `_admin_data.load`); reuses what is already there. Returns seconds spent."""
    from django.db import connection
    from django.utils import timezone

    have = _admin_data.entrepreneur_count()
    if have != n:
        raise SystemExit(f"the database holds {have:,} entrepreneurs, not {n:,}: load them first (_admin_data)")
    started = time.monotonic()
    now = timezone.localtime()
    people = _people()
    if mentors_loaded():
        print(f"  reusing the {mentors_loaded():,} mentors, their assignments and sessions", flush=True)
    else:
        mentors = load_mentors(people, random.Random(seed * 7919 + 1), now)
        print(f"  {mentors:,} mentors with caseloads and sessions", flush=True)
    if all(_chunk_loaded(people[start : start + CHUNK]) for start in range(0, len(people), CHUNK)):
        print("  reusing the monthly reports", flush=True)
        return time.monotonic() - started
    load_reports(people, random.Random(seed * 7919 + 2), now.date())
    # As autovacuum would after a bulk load: statistics, visibility map and hint bits.
    with connection.cursor() as cursor:
        for table in (
            "registrations_user",
            "registrations_user_groups",
            "registrations_user_kecamatan_scope",
            "registrations_entrepreneur",
            "growth_mentorprofile",
            "growth_mentorassignment",
            "growth_mentoringsession",
            "growth_monthlyreport",
        ):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return time.monotonic() - started


def summary() -> str:
    counts = [
        _scalar(f"SELECT count(*) FROM {table}")
        for table in ("registrations_entrepreneur", "growth_mentorassignment", "growth_mentoringsession")
    ]
    reports = _scalar("SELECT count(*) FROM growth_monthlyreport")
    reporting = _scalar("SELECT count(DISTINCT entrepreneur_id) FROM growth_monthlyreport")
    return (
        f"{counts[0]:,} entrepreneurs, {mentors_loaded():,} mentors, {counts[1]:,} assignments, "
        f"{counts[2]:,} sessions, {reports:,} monthly reports from {reporting:,} entrepreneurs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entrepreneurs", type=int, required=True, help="how many the database already holds")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    _admin_data.setup_django()
    seconds = load(args.entrepreneurs, seed=args.seed)
    print(f"done in {seconds:.1f}s: {summary()}")


if __name__ == "__main__":
    main()
