#!/usr/bin/env python
"""Issue 10's page budgets at two data sizes: `/me/reports/` with 24 months, a mentor's
caseload page and the monthly reports admin list (as the Dinas, centre staff and a mentor),
each flat from 10k to 1M entrepreneurs (≤ 1.3×) with a fixed query count; and the monthly
sheet upload against COPY of the same rows (budget: the upload ≥ 20 % of COPY's speed).

One worker process per database (each with its own Django and connection); the parent sends
them the same request in turn, size after size for every single request, so that the load of
the machine falls on both sizes alike. Each database must hold `_admin_data` entrepreneurs
and `_growth_data`'s growth data (loaded here when missing; never truncated):

    /work/main/.venv/bin/python benchmarks/growth_pages.py --entrepreneurs 10000 1000000 \\
        --databases postgres://root@127.0.0.1:5432/jp_bench_10k postgres://root@127.0.0.1:5432/jp_bench_1m \\
        --repeat 15 --upload-rows 5000

Production settings (debug off, cached templates), the Django test client, PostgreSQL. The
upload and its COPY run inside a transaction that is rolled back: the databases keep their
data. Prints medians, ratios, query counts and /proc/loadavg before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import statistics
import subprocess
import sys
import time

PAGES = [
    ("/me/reports/ (24 months)", "me", "/me/reports/"),
    ("caseload (mentor's own)", "mentor", "/admin/growth/mentorassignment/caseload/"),
    ("caseload (centre staff, ?mentor=)", "staff", "/admin/growth/mentorassignment/caseload/?mentor={mentor}"),
    ("reports list, Dinas", "dinas", "/admin/growth/monthlyreport/"),
    ("reports list, Dinas, filed by import", "dinas", "/admin/growth/monthlyreport/?filed_by__exact=import"),
    ("reports list, centre staff", "staff", "/admin/growth/monthlyreport/"),
    ("reports list, mentor", "mentor", "/admin/growth/monthlyreport/"),
    ("reports list, Dinas, search NIK", "dinas", "/admin/growth/monthlyreport/?q={nik}"),
]


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# --- the worker: one database ---------------------------------------------------------------


def setup_worker(n: int):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import _admin_data

    _admin_data.production_environment()
    import _growth_data

    _admin_data.setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    logging.getLogger("jakpreneur.request").setLevel(logging.WARNING)  # one line per request
    if _admin_data.entrepreneur_count() != n:
        _admin_data.load(n)
    _growth_data.load(n)
    return _growth_data


def cast(_growth_data) -> dict:
    """The signed-in people: the /me/ person, their mentor, centre staff of their kecamatan,
    a Dinas admin (the last two created once, with `bench-` emails)."""
    from django.contrib.auth.models import Group

    from growth import selectors
    from registrations.models import Entrepreneur, User

    me = Entrepreneur.objects.select_related("user").get(pk=_growth_data.ME_ENTREPRENEUR)
    mentor = selectors.mentor_of(me)
    dinas, _ = User.objects.get_or_create(email="bench-dinas@bench.jakpreneur.id", defaults={"is_staff": True})
    dinas.groups.add(Group.objects.get(name="dinas_admin"))
    staff, _ = User.objects.get_or_create(email="bench-staff@bench.jakpreneur.id", defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name="center_staff"))
    staff.kecamatan_scope.set([me.kecamatan_id])
    return {"me": me.user, "mentor": mentor, "staff": staff, "dinas": dinas, "_nik": me.nik, "_mentor": mentor.pk}


def upload_rows(rows: int) -> list[tuple[str, int, str]]:
    """(NIK, entrepreneur id, kecamatan) of people who never reported: a month to upload."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.nik, e.id, e.kecamatan_id FROM registrations_entrepreneur e WHERE NOT EXISTS "
            "(SELECT 1 FROM growth_monthlyreport m WHERE m.entrepreneur_id = e.id) ORDER BY e.id LIMIT %s",
            [rows],
        )
        return cursor.fetchall()


class Rollback(Exception):
    pass


def vacuum() -> None:
    """Each rolled-back run leaves its rows dead in the tables and their indexes (at 10k
    entrepreneurs five runs double the reports' period index and turn the lock query's plan):
    every upload and COPY starts from clean tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM growth_monthlyreport, growth_historicalmonthlyreport")


def time_upload(people, actor, period) -> tuple[float, int]:
    """The admin's upload path (read, check every row, write with history), rolled back: the
    P6 enrolments it queues for after the commit are never opened, as the uploader does not
    wait for them."""
    from django.db import transaction

    from growth import uploads

    body = "nik,period,turnover,assets,workers\n" + "".join(
        f"{nik},{period:%Y-%m},{1_500_000 + i},{25_000_000 + i},{i % 5}\n"
        for i, (nik, _pk, _kecamatan) in enumerate(people)
    )
    try:
        with transaction.atomic():
            started = time.perf_counter()
            result = uploads.upload_reports(file=io.BytesIO(body.encode()), filename="sheet.csv", actor=actor)
            elapsed = time.perf_counter() - started
            assert not result.errors and result.created == len(people), (result.errors[:3], result.created)
            raise Rollback
    except Rollback:
        pass
    return elapsed, result.created


def profile_upload(people, actor, period) -> tuple[float, int]:
    """One upload under cProfile: the stages' cumulative times go to stderr."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    seconds, rows = time_upload(people, actor, period)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(r"growth|registrations|spreadsheets|simple_history|psycopg", 35)
    return seconds, rows


def time_copy(people, period) -> tuple[float, int]:
    """COPY of the same rows into the same table (no checks, no history), rolled back."""
    from django.db import connection, transaction

    buffer = io.StringIO()
    for i, (_nik, pk, kecamatan) in enumerate(people):
        buffer.write(f"{pk},{kecamatan},{period},{1_500_000 + i},{25_000_000 + i},{i % 5},import,now(),now()\n")
    data = buffer.getvalue().replace("now()", "2026-01-01T00:00:00+07:00")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            started = time.perf_counter()
            raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
            raw.copy_expert(
                "COPY growth_monthlyreport (entrepreneur_id,kecamatan_id,period,turnover,assets,workers,filed_by,"
                "created_at,updated_at) FROM STDIN WITH (FORMAT csv)",
                io.StringIO(data),
            )
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return elapsed, len(people)


def worker(n: int) -> None:
    # stdout is the channel to the parent: the loaders' progress goes to stderr.
    with contextlib.redirect_stdout(sys.stderr):
        _growth_data = setup_worker(n)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from growth.selectors import add_months, current_period

    people = cast(_growth_data)
    context = {"nik": people["_nik"], "mentor": people["_mentor"]}
    clients = {}
    for name in ("me", "mentor", "staff", "dinas"):
        clients[name] = Client()
        clients[name].force_login(people[name])
    print(json.dumps({"ready": n}), flush=True)
    sheet = None
    for line in sys.stdin:
        command = json.loads(line)
        if command["kind"] == "page":
            label, who, url = PAGES[command["index"]]
            url = url.format(**context)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = clients[who].get(url)
                elapsed = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code)
            print(json.dumps({"ms": elapsed * 1000, "queries": len(queries)}), flush=True)
        else:
            if sheet is None:
                sheet = upload_rows(command["rows"])
            period = add_months(current_period(), -1)
            vacuum()
            if command["kind"] == "upload":
                seconds, rows = time_upload(sheet, people["dinas"], period)
            elif command["kind"] == "profile":
                seconds, rows = profile_upload(sheet, people["dinas"], period)
            else:
                seconds, rows = time_copy(sheet, period)
            print(json.dumps({"ms": seconds * 1000, "rows": rows}), flush=True)


# --- the parent: interleaves the sizes ------------------------------------------------------


def print_pages(results: dict, sizes: list[int], repeat: int) -> None:
    small, large = sizes[0], sizes[-1]
    print(f"\n{'page':40}" + "".join(f"{f'{n:,}':>20}" for n in sizes) + f"{'ratio':>8}")
    print(f"{'':40}" + "".join(f"{'ms (queries)':>20}" for _ in sizes))
    for index, (label, _who, _url) in enumerate(PAGES):
        medians = {n: statistics.median(r["ms"] for r in results[(index, n)]) for n in sizes}
        counts = {n: sorted({r["queries"] for r in results[(index, n)]}) for n in sizes}
        cells = "".join(f"{medians[n]:>12.1f} ({'/'.join(map(str, counts[n]))})".rjust(20) for n in sizes)
        print(f"{label:40}{cells}{medians[large] / medians[small]:>7.2f}×")
    print(f"\nmedian of {repeat} requests per page and size, interleaved; load average now: {loadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entrepreneurs", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--databases", nargs="+", help="one database URL per size, in the same order")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--upload-rows", type=int, default=5000, help="0: no upload benchmark")
    parser.add_argument("--upload-repeat", type=int, default=3)
    parser.add_argument("--upload-only", action="store_true", help="skip the pages: only the upload against COPY")
    parser.add_argument(
        "--profile", action="store_true", help="with the upload: print where one upload's time goes (stage by stage)"
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    sizes = args.entrepreneurs
    if not args.databases or len(args.databases) != len(sizes):
        parser.error("give one database URL per size (--databases)")
    print(f"load average at start: {loadavg()}", flush=True)
    workers = {}
    for n, url in zip(sizes, args.databases, strict=True):
        workers[n] = subprocess.Popen(
            [sys.executable, __file__, "--worker", str(n)],
            env={**os.environ, "DATABASE_URL": url},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
    for n, process in workers.items():
        ready = process.stdout.readline()
        if not ready:
            sys.exit(f"the worker for {n:,} entrepreneurs stopped")

    def ask(n: int, command: dict) -> dict:
        workers[n].stdin.write(json.dumps(command) + "\n")
        workers[n].stdin.flush()
        return json.loads(workers[n].stdout.readline())

    sizes = sorted(sizes)
    large = sizes[-1]
    results: dict[tuple[int, int], list[dict]] = {}
    for index in range(0 if args.upload_only else len(PAGES)):
        for round_ in range(args.warmup + args.repeat):
            # Alternate which size goes first, so neither always gets the warmer cache.
            for n in sizes if round_ % 2 == 0 else reversed(sizes):
                answer = ask(n, {"kind": "page", "index": index})
                if round_ >= args.warmup:
                    results.setdefault((index, n), []).append(answer)
    if not args.upload_only:
        print_pages(results, sizes, args.repeat)

    if args.upload_rows:
        timings: dict[str, list[float]] = {"upload": [], "copy": []}
        for _ in range(args.upload_repeat):
            for kind in ("upload", "copy"):
                answer = ask(large, {"kind": kind, "rows": args.upload_rows})
                timings[kind].append(answer["ms"])
        if args.profile:
            ask(large, {"kind": "profile", "rows": args.upload_rows})
        upload, copy = statistics.median(timings["upload"]), statistics.median(timings["copy"])
        rows = args.upload_rows
        print(
            f"\nmonthly sheet of {rows:,} rows at {large:,} entrepreneurs (rolled back), median of "
            f"{args.upload_repeat}:\n  upload (growth.uploads, as the Dinas): {upload:,.0f} ms "
            f"({rows / upload * 1000:,.0f} rows/s)\n  COPY of the same rows: {copy:,.0f} ms "
            f"({rows / copy * 1000:,.0f} rows/s)\n  upload speed = {copy / upload:.1%} of COPY's "
            f"(budget ≥ 20 %); load average now: {loadavg()}"
        )
    for process in workers.values():
        process.stdin.close()
        process.wait()


if __name__ == "__main__":
    main()
