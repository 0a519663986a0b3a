"""The P6 outcome step of the progress recompute against its hand-written SQL.

Usage (PostgreSQL, an existing database, e.g. `createdb jp_growth_bench`; it is seeded with
seed_demo when it holds fewer demo entrepreneurs than asked, and reused afterwards):

    DATABASE_URL=postgres://root@127.0.0.1:5432/jp_growth_bench DJANGO_DEBUG=1 \\
        /work/main/.venv/bin/python benchmarks/growth_outcomes.py --entrepreneurs 20000 --repeat 3

Prints the median time of growth.selectors.outcomes_by_kecamatan (two queries, the reports
streamed once, growth.rules applied in Python) and of one SQL statement computing the same
per-kecamatan counts with window functions, their ratio (budget: <= 1.5) and whether the two
agree. Machine shared with other engineers: figures are indicative.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jakpreneur.settings")

SQL = """
WITH r AS (
    SELECT m.entrepreneur_id, e.kecamatan_id, e.track, m.period, m.turnover, m.workers,
           row_number() OVER (PARTITION BY m.entrepreneur_id ORDER BY m.period) AS n_asc,
           row_number() OVER (PARTITION BY m.entrepreneur_id ORDER BY m.period DESC) AS n_desc,
           count(*) OVER (PARTITION BY m.entrepreneur_id) AS total
    FROM growth_monthlyreport m JOIN registrations_entrepreneur e ON e.id = m.entrepreneur_id
    WHERE e.status <> 'rejected'
), p AS (
    SELECT entrepreneur_id, kecamatan_id, track, total,
           sum(turnover) FILTER (WHERE n_asc <= 3) AS first3,
           sum(turnover) FILTER (WHERE n_desc <= 12) AS last12,
           max(turnover) FILTER (WHERE n_desc = 1) AS last_turnover,
           max(period) AS last_period,
           max(workers) FILTER (WHERE n_desc = 1) - max(workers) FILTER (WHERE n_asc = 1) AS dworkers
    FROM r GROUP BY entrepreneur_id, kecamatan_id, track, total
), c AS (
    SELECT *,
        CASE WHEN total < 3 THEN NULL
             WHEN round(first3 * 4) <= 2e9 THEN 0 WHEN round(first3 * 4) <= 15e9 THEN 1
             WHEN round(first3 * 4) <= 50e9 THEN 2 ELSE 3 END AS first_class,
        CASE WHEN total < 3 THEN NULL
             WHEN round(last12 * 12.0 / least(total, 12)) <= 2e9 THEN 0
             WHEN round(last12 * 12.0 / least(total, 12)) <= 15e9 THEN 1
             WHEN round(last12 * 12.0 / least(total, 12)) <= 50e9 THEN 2 ELSE 3 END AS current_class
    FROM p
)
SELECT kecamatan_id,
       count(*) AS reporting,
       count(*) FILTER (WHERE last_period = %(last_month)s) AS reported_last_month,
       coalesce(sum(last_turnover) FILTER (WHERE last_period = %(last_month)s), 0) AS omzet_last_month,
       count(current_class) AS classified,
       count(*) FILTER (WHERE track = 'pemula' AND last_turnover > 0) AS wirausaha_baru,
       count(*) FILTER (WHERE current_class > first_class) AS naik_kelas,
       coalesce(sum(greatest(dworkers, 0)), 0) AS jobs_created
FROM c GROUP BY kecamatan_id
"""
KEYS = (
    "reporting",
    "reported_last_month",
    "omzet_last_month",
    "classified",
    "wirausaha_baru",
    "naik_kelas",
    "jobs_created",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entrepreneurs", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from growth.models import MonthlyReport
    from growth.selectors import add_months, current_period, outcomes_by_kecamatan
    from registrations.models import Entrepreneur

    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)
    have = Entrepreneur.objects.filter(legacy_id__startswith="demo-").count()
    if have < args.entrepreneurs:
        call_command("seed_demo", entrepreneurs=args.entrepreneurs - have, seed=have + 1, force=True)
    reports = MonthlyReport.objects.count()
    print(f"{Entrepreneur.objects.count():,} entrepreneurs, {reports:,} monthly reports")

    last_month = add_months(current_period(), -1)
    step_times, sql_times = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = outcomes_by_kecamatan()
        step_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(SQL, {"last_month": last_month})
            rows = cursor.fetchall()
        sql_times.append(time.perf_counter() - started)
    by_sql = {row[0]: Counter(dict(zip(KEYS, map(int, row[1:]), strict=True))) for row in rows}
    agree = all(
        all(result.counts.get(code, Counter())[key] == counts[key] for key in KEYS) for code, counts in by_sql.items()
    )
    step, sql = statistics.median(step_times), statistics.median(sql_times)
    print(f"outcome step (growth.selectors.outcomes_by_kecamatan): {step * 1000:,.0f} ms")
    print(f"hand-written SQL (window functions, one statement):   {sql * 1000:,.0f} ms")
    print(f"ratio: {step / sql:.2f} (budget <= 1.5); same counts: {agree}")


if __name__ == "__main__":
    main()
