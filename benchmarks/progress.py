"""Progress recompute vs hand-written SQL, and the dashboard at a small and a large database.

Usage (PostgreSQL only; databases are created when missing and reused afterwards):

    /work/main/.venv/bin/python benchmarks/progress.py \
        --database-url postgres://root@127.0.0.1:5432/jp_bench --entrepreneurs 1000000 --small 10000

It seeds `<db>_small` with --small and `<db>` with --entrepreneurs demo entrepreneurs
(seed_demo, COPY), then for each prints:
- the full recompute (reports.services.progress_snapshot_create: every aggregate query, the
  roll-ups in Python and the INSERT of the snapshot), median of --repeat runs;
- the hand-written SQL GROUP BY queries giving the same numbers, median of --repeat runs;
- their ratio (budget: <= 1.5);
- the P6 outcome step alone (growth.outcomes, with the medians in Python) against its
  hand-written SQL (benchmarks/growth_outcomes.py), and their ratio (budget: <= 1.5); the
  hand-written outcome SQL is part of the raw SQL above, as the step is part of the recompute;
- the load average beside each database's figures;
- the dashboard page (GET /dashboard/ as an official), median of 20 requests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import growth_outcomes  # noqa: E402  (benchmarks/: the outcome step's hand-written SQL)

# The same numbers as reports.services.progress_compute (its query steps are in
# reports/queries.py), written by hand. %(…)s are filled in.
RAW_SQL = [
    "SELECT k.code, k.name, k.kota_id, o.name FROM facilities_kecamatan k JOIN facilities_kota o ON o.code = k.kota_id",
    'SELECT code, "order", name_id, name_en FROM facilities_facility ORDER BY "order"',
    "SELECT id, name, kecamatan_id, active FROM facilities_center",
    "SELECT * FROM reports_target WHERE active",
    """
    SELECT kecamatan_id,
           count(*),
           count(*) FILTER (WHERE status <> 'rejected'),
           count(*) FILTER (WHERE status = 'submitted'),
           count(*) FILTER (WHERE status = 'verified'),
           count(*) FILTER (WHERE status = 'rejected'),
           count(*) FILTER (WHERE status <> 'rejected' AND registered_at > %(window)s AND registered_at <= %(now)s),
           count(*) FILTER (WHERE status = 'verified' AND status_changed_at > %(window)s),
           count(*) FILTER (WHERE status <> 'rejected' AND track = 'pemula'),
           count(*) FILTER (WHERE status <> 'rejected' AND track = 'naik_kelas'),
           count(*) FILTER (WHERE status <> 'rejected' AND gender = 'L'),
           count(*) FILTER (WHERE status <> 'rejected' AND gender = 'P'),
           count(*) FILTER (WHERE status <> 'rejected' AND birth_date > %(age25)s),
           count(*) FILTER (WHERE status <> 'rejected' AND birth_date <= %(age25)s AND birth_date > %(age35)s),
           count(*) FILTER (WHERE status <> 'rejected' AND birth_date <= %(age35)s AND birth_date > %(age45)s),
           count(*) FILTER (WHERE status <> 'rejected' AND birth_date <= %(age45)s AND birth_date > %(age55)s),
           count(*) FILTER (WHERE status <> 'rejected' AND birth_date <= %(age55)s),
           count(*) FILTER (WHERE status <> 'rejected' AND registered_at >= %(start)s)
      FROM registrations_entrepreneur
     GROUP BY kecamatan_id
    """,
    """
    SELECT kecamatan_id, date_trunc('month', registered_at AT TIME ZONE 'Asia/Jakarta') AS month, count(*)
      FROM registrations_entrepreneur
     WHERE status <> 'rejected'
     GROUP BY 1, 2
    """,
    """
    SELECT e.kecamatan_id, b.sector, count(*)
      FROM registrations_business b JOIN registrations_entrepreneur e ON e.id = b.entrepreneur_id
     WHERE e.status <> 'rejected'
     GROUP BY 1, 2
    """,
    """
    SELECT e.kecamatan_id, n.facility_id,
           count(*) FILTER (WHERE n.state = 'requested'),
           count(*) FILTER (WHERE n.state = 'active'),
           count(DISTINCT n.entrepreneur_id) FILTER (WHERE n.state = 'completed'),
           count(DISTINCT n.entrepreneur_id) FILTER (WHERE n.state <> 'cancelled'),
           count(DISTINCT n.entrepreneur_id) FILTER (WHERE n.state = 'cancelled'),
           count(DISTINCT n.entrepreneur_id) FILTER (WHERE n.state = 'completed' AND n.completed_at > %(window)s)
      FROM registrations_enrollment n JOIN registrations_entrepreneur e ON e.id = n.entrepreneur_id
     WHERE e.status <> 'rejected'
     GROUP BY 1, 2
    """,
    """
    SELECT a.center_id,
           count(DISTINCT a.id),
           count(DISTINCT a.id) FILTER (WHERE a.starts_at > %(window)s AND a.starts_at <= %(now)s),
           count(DISTINCT a.id) FILTER (WHERE a.starts_at > %(now)s),
           count(t.id) FILTER (WHERE t.status = 'attended')
      FROM facilities_activity a LEFT JOIN registrations_attendance t ON t.activity_id = a.id
     WHERE a.published AND a.center_id IS NOT NULL
     GROUP BY a.center_id
    """,
]


def _with_db(url: str, name: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path="/" + name))


def _ensure_database(url: str) -> None:
    import psycopg2

    name = urlparse(url).path.lstrip("/")
    connection = psycopg2.connect(_with_db(url, "postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def _median_time(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def worker(entrepreneurs: int, repeat: int) -> dict:
    """Runs inside one database (DATABASE_URL): seed up to N, then measure."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jakpreneur.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from growth.selectors import add_months, current_period
    from registrations.models import Enrollment, Entrepreneur, User
    from reports import services
    from reports.models import ProgressSnapshot
    from reports.queries import years_ago

    call_command("migrate", verbosity=0)
    existing = Entrepreneur.objects.count()
    if existing < entrepreneurs:
        print(f"seeding {entrepreneurs - existing:,} entrepreneurs into {connection.settings_dict['NAME']} ...")
        started = time.perf_counter()
        call_command("seed_demo", entrepreneurs=entrepreneurs - existing, seed=1)
        print(f"seeded in {time.perf_counter() - started:.0f} s")
    from growth.models import MonthlyReport

    counts = {
        "entrepreneurs": Entrepreneur.objects.count(),
        "enrolments": Enrollment.objects.count(),
        "reports": MonthlyReport.objects.count(),
    }

    now = timezone.now()
    today = timezone.localdate(now)
    params = {
        "now": now,
        "window": now - dt.timedelta(days=90),
        "start": dt.datetime(2017, 12, 14, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        **{f"age{n}": years_ago(today, n) for n in (25, 35, 45, 55)},
    }

    last_month = add_months(current_period(today), -1)

    def raw_sql():
        with connection.cursor() as cursor:
            for sql in RAW_SQL:
                cursor.execute(sql, params if "%(" in sql else None)
                cursor.fetchall()
        growth_outcomes.hand_written(last_month)

    def recompute():
        services.progress_snapshot_create()

    # Warm the caches once, then alternate so both see the same conditions.
    raw_sql()
    recompute()
    raw_times, recompute_times = [], []
    for _ in range(repeat):
        raw_times.append(_median_time(raw_sql, 1))
        recompute_times.append(_median_time(recompute, 1))

    outcomes = growth_outcomes.measure(repeat)
    snapshot = ProgressSnapshot.objects.latest_first().first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registrations_entrepreneur WHERE status <> 'rejected'")
        assert cursor.fetchone()[0] == snapshot.registered_total, "snapshot and SQL disagree"

    official, _ = User.objects.get_or_create(email="bench-official@jakpreneur.test")
    official.groups.add(Group.objects.get(name="official"))
    client = Client()
    client.force_login(official)
    assert client.get("/dashboard/").status_code == 200
    dashboard = _median_time(lambda: client.get("/dashboard/", {"kota": "31.74"}), 20)
    return {
        **counts,
        "raw_sql_s": statistics.median(raw_times),
        "recompute_s": statistics.median(recompute_times),
        "ratio": statistics.median(recompute_times) / statistics.median(raw_times),
        "dashboard_ms": dashboard * 1000,
        "snapshot_duration_ms": snapshot.duration_ms,
        "outcome_step_s": outcomes["step_s"],
        "outcome_sql_s": outcomes["sql_s"],
        "outcome_ratio": outcomes["ratio"],
        "outcome_agree": outcomes["agree"],
        "loadavg": growth_outcomes.loadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/jp_bench")
    )
    parser.add_argument("--entrepreneurs", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker is not None:
        print("RESULT " + json.dumps(worker(args.worker, args.repeat)))
        return

    small_url = _with_db(args.database_url, urlparse(args.database_url).path.lstrip("/") + "_small")
    results = {}
    for label, url, size in (("small", small_url, args.small), ("large", args.database_url, args.entrepreneurs)):
        _ensure_database(url)
        env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": ""}
        command = [sys.executable, "-u", __file__, "--worker", str(size), "--repeat", str(args.repeat)]
        with subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
            for line in process.stdout:
                if line.startswith("RESULT "):
                    results[label] = json.loads(line[7:])
                else:
                    print(line, end="", flush=True)
        if process.returncode:
            sys.exit(f"the {label} run failed")
    print()
    header = ("database", "entrepreneurs", "enrolments", "raw SQL", "recompute", "ratio", "dashboard")
    print("{:<8} {:>13} {:>11} {:>9} {:>10} {:>6} {:>10}".format(*header))
    for label, result in results.items():
        print(
            f"{label:<8} {result['entrepreneurs']:>13,} {result['enrolments']:>11,} {result['raw_sql_s']:>8.2f}s "
            f"{result['recompute_s']:>9.2f}s {result['ratio']:>6.2f} {result['dashboard_ms']:>8.1f}ms"
        )
    print()
    header = ("database", "reports", "outcome step", "outcome SQL", "ratio", "same figures", "load average")
    print("{:<8} {:>11} {:>13} {:>12} {:>6}  {:<14} {}".format(*header))
    for label, result in results.items():
        print(
            f"{label:<8} {result['reports']:>11,} {result['outcome_step_s']:>12.2f}s {result['outcome_sql_s']:>11.2f}s "
            f"{result['outcome_ratio']:>6.2f}  {result['outcome_agree'][:14]:<14} {result['loadavg']}"
        )
    if len(results) == 2:
        print(f"dashboard large/small: {results['large']['dashboard_ms'] / results['small']['dashboard_ms']:.2f}")


if __name__ == "__main__":
    main()
