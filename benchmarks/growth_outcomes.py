"""The P6 outcome step of the progress recompute against its hand-written SQL.

Usage (PostgreSQL, an existing database, e.g. `createdb jp_growth_bench`; it is seeded with
seed_demo when it holds fewer demo entrepreneurs than asked, and reused afterwards):

    DATABASE_URL=postgres://root@127.0.0.1:5432/jp_growth_bench DJANGO_DEBUG=1 \\
        /work/main/.venv/bin/python benchmarks/growth_outcomes.py --entrepreneurs 20000 --repeat 3

On a database someone else prepared (no migrate, no seeding; every statement in a read-only
transaction, so nothing can be written):

    DATABASE_URL=postgres://root@127.0.0.1:5432/jp_bench_1m DJANGO_DEBUG=1 \\
        /work/main/.venv/bin/python benchmarks/growth_outcomes.py --read-only --repeat 3

Prints the median time of the outcome step as the snapshot runs it (growth.outcomes
.outcomes_by_kecamatan: the counted entrepreneurs per kecamatan and one window-function
statement built from growth.rules, then the medians of turnover growth per kecamatan, kota
and Jakarta in Python) and of the same figures written by hand for PostgreSQL (two
statements, medians by percentile_cont over GROUPING SETS), their ratio (budget: <= 1.5) and
whether the two agree. progress.py prints the same in its run. Machine shared with other
engineers: figures are indicative; the load average is printed beside them.
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

# The outcome figures written by hand (PostgreSQL): what growth.rules says, in the SQL one
# would write for this database alone (greatest/least, round, percentile_cont). The first
# statement gives the counted entrepreneurs; the second the per-kecamatan counts (kind 0) and
# the medians of turnover growth per kecamatan (kind 1), kota (kind 2) and Jakarta (kind 3).
COUNTED_SQL = """
SELECT kecamatan_id, count(*) FROM registrations_entrepreneur WHERE status <> 'rejected' GROUP BY kecamatan_id
"""
OUTCOME_SQL = """
WITH r AS (
    SELECT m.entrepreneur_id, e.kecamatan_id, e.track, m.period, m.turnover, m.workers,
           row_number() OVER (PARTITION BY m.entrepreneur_id ORDER BY m.period) AS n,
           count(*) OVER (PARTITION BY m.entrepreneur_id) AS total
      FROM growth_monthlyreport m JOIN registrations_entrepreneur e ON e.id = m.entrepreneur_id
     WHERE e.status <> 'rejected'
), p AS (
    SELECT kecamatan_id, track, total,
           sum(turnover) FILTER (WHERE n <= 3) AS first3,
           sum(turnover) FILTER (WHERE n > total - 12) AS last12,
           sum(turnover) FILTER (WHERE n > total - 3) AS latest3,
           max(turnover) FILTER (WHERE n = total) AS last_turnover,
           max(turnover) FILTER (WHERE period = %(last_month)s) AS last_month_turnover,
           max(workers) FILTER (WHERE n = total) - max(workers) FILTER (WHERE n = 1) AS dworkers
      FROM r GROUP BY entrepreneur_id, kecamatan_id, track, total
), c AS (
    SELECT *,
        CASE WHEN total < 3 THEN NULL
             WHEN round(first3 * 4) <= 2e9 THEN 0 WHEN round(first3 * 4) <= 15e9 THEN 1
             WHEN round(first3 * 4) <= 50e9 THEN 2 ELSE 3 END AS first_class,
        CASE WHEN total < 3 THEN NULL
             WHEN round(last12 * 12.0 / least(total, 12)) <= 2e9 THEN 0
             WHEN round(last12 * 12.0 / least(total, 12)) <= 15e9 THEN 1
             WHEN round(last12 * 12.0 / least(total, 12)) <= 50e9 THEN 2 ELSE 3 END AS current_class,
        CASE WHEN total >= 6 AND first3 > 0 THEN latest3::float8 / first3::float8 - 1 END AS growth
    FROM p
)
SELECT 0, kecamatan_id,
       count(*) AS reporting,
       count(last_month_turnover) AS reported_last_month,
       coalesce(sum(last_month_turnover), 0) AS omzet_last_month,
       count(current_class) AS classified,
       count(*) FILTER (WHERE track = 'pemula' AND last_turnover > 0) AS wirausaha_baru,
       count(*) FILTER (WHERE current_class > first_class) AS naik_kelas,
       coalesce(sum(greatest(dworkers, 0)), 0) AS jobs_created,
       NULL::float8
  FROM c GROUP BY kecamatan_id
UNION ALL
SELECT CASE WHEN grouping(k.kota_id) = 1 THEN 3 WHEN grouping(c.kecamatan_id) = 1 THEN 2 ELSE 1 END,
       coalesce(c.kecamatan_id, k.kota_id), NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY c.growth)
  FROM c JOIN facilities_kecamatan k ON k.code = c.kecamatan_id
 WHERE c.growth IS NOT NULL
 GROUP BY GROUPING SETS ((k.kota_id, c.kecamatan_id), (k.kota_id), ())
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
ALL = "all"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def outcome_step(today=None) -> tuple[dict, dict]:
    """The outcome step as the snapshot runs it: the counts per kecamatan, and the medians of
    turnover growth per kecamatan, kota and Jakarta (growth.rules.median, in percent)."""
    from facilities.models import Kecamatan
    from growth.outcomes import outcomes_by_kecamatan
    from growth.rules import median

    result = outcomes_by_kecamatan(today=today)
    kota_of = dict(Kecamatan.objects.values_list("code", "kota_id"))
    by_scope: dict[str, list[float]] = {ALL: []}
    for code, values in result.growth.items():
        by_scope[ALL].extend(values)
        by_scope.setdefault(kota_of.get(code), []).extend(values)
        by_scope[code] = values
    return result.counts, {scope: median(values) for scope, values in by_scope.items()}


def hand_written(last_month) -> tuple[dict, dict]:
    from django.db import connection

    counts: dict[str, Counter] = {}
    medians: dict[str, float] = {}
    with connection.cursor() as cursor:
        cursor.execute(COUNTED_SQL)
        for code, counted in cursor.fetchall():
            counts.setdefault(code, Counter())["counted"] = counted
        cursor.execute(OUTCOME_SQL, {"last_month": last_month})
        for kind, key, *values, middle in cursor.fetchall():
            if kind == 0:
                counts.setdefault(key, Counter()).update(dict(zip(KEYS, map(int, values), strict=True)))
            else:
                medians[ALL if kind == 3 else key] = middle
    return counts, medians


def compare(step: tuple[dict, dict], sql: tuple[dict, dict]) -> str:
    """Counts equal, and the medians equal as the snapshot shows them (percent, 1 decimal)."""
    (step_counts, step_medians), (sql_counts, sql_medians) = step, sql
    keys = ("counted", *KEYS)
    codes = set(step_counts) | set(sql_counts)
    bad_counts = [
        code
        for code in codes
        if any(step_counts.get(code, {}).get(k, 0) != sql_counts.get(code, {}).get(k, 0) for k in keys)
    ]
    shown = lambda value: None if value is None else round(100 * value, 1)  # noqa: E731
    scopes = set(step_medians) | set(sql_medians)
    bad_medians = [s for s in scopes if shown(step_medians.get(s)) != shown(sql_medians.get(s))]
    if not bad_counts and not bad_medians:
        return f"yes ({len(codes)} kecamatan, {len(scopes)} medians)"
    return f"NO: counts differ in {sorted(bad_counts)[:5]}, medians in {sorted(map(str, bad_medians))[:5]}"


def measure(repeat: int) -> dict:
    """Alternate the two so both see the same conditions; medians of `repeat` runs."""
    from growth.selectors import add_months, current_period

    last_month = add_months(current_period(), -1)
    step_times, sql_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        step = outcome_step()
        step_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        sql = hand_written(last_month)
        sql_times.append(time.perf_counter() - started)
    step_s, sql_s = statistics.median(step_times), statistics.median(sql_times)
    return {"step_s": step_s, "sql_s": sql_s, "ratio": step_s / sql_s, "agree": compare(step, sql)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entrepreneurs", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--read-only", action="store_true", help="no migrate, no seeding, read-only transactions")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from growth.models import MonthlyReport
    from registrations.models import Entrepreneur

    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    if args.read_only:
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    else:
        call_command("migrate", verbosity=0)
        have = Entrepreneur.objects.filter(legacy_id__startswith="demo-").count()
        if have < args.entrepreneurs:
            call_command("seed_demo", entrepreneurs=args.entrepreneurs - have, seed=have + 1, force=True)
    print(f"{Entrepreneur.objects.count():,} entrepreneurs, {MonthlyReport.objects.count():,} monthly reports")
    print(f"load average before: {loadavg()}")
    result = measure(args.repeat)
    print(f"outcome step (growth.outcomes + medians in Python): {result['step_s'] * 1000:,.0f} ms")
    print(f"hand-written SQL (two statements, percentile_cont): {result['sql_s'] * 1000:,.0f} ms")
    print(f"ratio: {result['ratio']:.2f} (budget <= 1.5); same figures: {result['agree']}")
    print(f"load average after: {loadavg()}")


if __name__ == "__main__":
    main()
