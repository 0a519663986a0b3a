#!/usr/bin/env python
"""Admin list pages at different table sizes: time and query count per page, side by side,
and the ratio between the largest and the smallest size (budget: flat, ≤ 1.3×).

One database per size, each served by its own worker process (Django has one default
database per process). The sizes are interleaved request by request (10k, 1M, 10k, 1M, …), so
that the load of the shared machine falls on both alike:

    python benchmarks/admin_changelist.py --entrepreneurs 10000 1000000 --repeat 15 \\
        --databases postgres://root@127.0.0.1:5432/jp_bench_10k postgres://root@127.0.0.1:5432/jp_bench_1m

A database whose entrepreneur table is empty is loaded with N synthetic people first
(benchmarks/_admin_data.py, COPY); a database that already holds people is used as it is and
never emptied (other benchmarks add their data to the same databases).
"""

import argparse
import contextlib
import json
import logging
import os
import statistics
import subprocess
import sys
import time

import _admin_data

# (label, user, url); {…} are filled from the data of each database.
PAGES = [
    ("list, dinas (estimated count)", "dina", "/admin/registrations/entrepreneur/"),
    ("list page 20", "dina", "/admin/registrations/entrepreneur/?p=20"),
    (
        "filter kecamatan + status",
        "dina",
        "/admin/registrations/entrepreneur/?kecamatan=31.71.01&status__exact=verified",
    ),
    ("filter completed P1", "dina", "/admin/registrations/entrepreneur/?completed=P1"),
    ("search NIK", "dina", "/admin/registrations/entrepreneur/?q={nik}"),
    ("search phone", "dina", "/admin/registrations/entrepreneur/?q=0812{phone_tail}"),
    ("search name: Lestari Hutapea", "dina", "/admin/registrations/entrepreneur/?q=Lestari+Hutapea"),
    ("search name: one person's", "dina", "/admin/registrations/entrepreneur/?q={name}"),
    ("search name: part, 'estari'", "dina", "/admin/registrations/entrepreneur/?q=estari"),
    ("search name: 'Hutapea', p. 2", "dina", "/admin/registrations/entrepreneur/?q=Hutapea&p=2"),
    ("search name, centre staff", "alice", "/admin/registrations/entrepreneur/?q=Lestari"),
    ("search name: part, centre staff", "alice", "/admin/registrations/entrepreneur/?q=estari"),
    ("search name: no match, 'xyzq'", "dina", "/admin/registrations/entrepreneur/?q=xyzq"),
    ("list, centre staff (scoped)", "alice", "/admin/registrations/entrepreneur/"),
    ("change view", "dina", "/admin/registrations/entrepreneur/{pk}/change/"),
    ("enrolments list", "dina", "/admin/registrations/enrollment/"),
]
WARM_UP = 3


def users():
    from django.contrib.auth.models import Group

    from registrations.models import User

    dina, _ = User.objects.get_or_create(email="bench-dina@jakpreneur.test", defaults={"is_staff": True})
    dina.groups.add(Group.objects.get(name="dinas_admin"))
    alice, _ = User.objects.get_or_create(email="bench-alice@jakpreneur.test", defaults={"is_staff": True})
    alice.groups.add(Group.objects.get(name="center_staff"))
    alice.kecamatan_scope.set(["31.71.01"])
    return {"dina": dina, "alice": alice}


def worker(n: int, seed: int) -> None:
    """Serve one database: read a page index per line on stdin, request that page once, answer
    one JSON line {"ms", "queries", "status"} on stdout."""
    _admin_data.setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from registrations.models import Entrepreneur

    settings.ALLOWED_HOSTS = ["*"]
    logging.disable(logging.INFO)  # the request log would go to the terminal for every request
    count = _admin_data.entrepreneur_count()
    if count == 0:
        print(f"loading {n:,} entrepreneurs …", file=sys.stderr, flush=True)
        with contextlib.redirect_stdout(sys.stderr):  # stdout carries the answers
            _admin_data.load(n, seed=seed)
        count = n
    elif count != n:
        print(f"note: {count:,} entrepreneurs in this database (asked {n:,}); measured as they are", file=sys.stderr)
    sample = Entrepreneur.objects.order_by("id")[count // 2]
    context = {"nik": sample.nik, "phone_tail": sample.phone[5:], "pk": sample.pk, "name": sample.full_name}
    clients = {}
    for name, user in users().items():
        clients[name] = Client()
        clients[name].force_login(user)
    print(json.dumps({"ready": count, "sample_name": sample.full_name}), flush=True)
    for line in sys.stdin:
        label, who, url = PAGES[int(line)]
        url = url.format(**context)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = clients[who].get(url)
            elapsed = time.perf_counter() - started
        answer = {
            "ms": elapsed * 1000,
            "sql_ms": sum(float(query["time"]) for query in queries.captured_queries) * 1000,
            "queries": len(queries),
            "rows": response.content.count(b'name="_selected_action"'),  # a list's row checkboxes
            "status": response.status_code,
        }
        print(json.dumps(answer), flush=True)


class Worker:
    def __init__(self, n: int, url: str, seed: int):
        command = [sys.executable, __file__, "--worker", "--entrepreneurs", str(n), "--seed", str(seed)]
        self.process = subprocess.Popen(
            command,
            env={**os.environ, "DATABASE_URL": url},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.ready = json.loads(self.process.stdout.readline())

    def request(self, page: int) -> dict:
        self.process.stdin.write(f"{page}\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if answer["status"] != 200:
            raise SystemExit(f"{PAGES[page][0]}: status {answer['status']}")
        return answer

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entrepreneurs", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--databases", nargs="+", help="one database URL per size, in the same order")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", help="only the pages whose label contains this text")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.entrepreneurs[0], args.seed)
        return
    if not args.databases or len(args.databases) != len(args.entrepreneurs):
        parser.error("give one database URL per size (--databases)")
    sizes = sorted(zip(args.entrepreneurs, args.databases, strict=True))
    if len({n for n, _url in sizes}) != len(sizes):
        parser.error("give each size once")
    print(f"load average at start: {loadavg()}", flush=True)
    workers = [Worker(n, url, args.seed) for n, url in sizes]
    for (n, _url), w in zip(sizes, workers, strict=True):
        print(f"{n:,}: {w.ready['ready']:,} entrepreneurs; sample name {w.ready['sample_name']!r}", flush=True)
    pages = [i for i, page in enumerate(PAGES) if not args.pages or args.pages in page[0]]
    times = {(i, n): [] for i in pages for n, _url in sizes}
    sql_times = {(i, n): [] for i in pages for n, _url in sizes}
    queries, rows = {}, {}
    loads = [loadavg()]
    for i in pages:
        for _ in range(WARM_UP):  # caches, connections, planner statistics
            for w in workers:
                w.request(i)
    loads.append(loadavg())
    for _ in range(args.repeat):
        for i in pages:
            for (n, _url), w in zip(sizes, workers, strict=True):
                answer = w.request(i)
                times[i, n].append(answer["ms"])
                sql_times[i, n].append(answer["sql_ms"])
                rows[i, n] = answer["rows"]
                queries.setdefault((i, n), set()).add(answer["queries"])
        loads.append(loadavg())
    for w in workers:
        w.close()

    small, large = sizes[0][0], sizes[-1][0]
    print()
    print(f"{'page':32}" + "".join(f"{f'{n:,} entrepreneurs':>34}" for n, _url in sizes) + f"{'ratio':>8}{'SQL':>8}")
    print(f"{'':32}" + "".join(f"{'ms / SQL ms / queries / rows':>34}" for _ in sizes))
    for i in pages:
        medians = {n: statistics.median(times[i, n]) for n, _url in sizes}
        sql = {n: statistics.median(sql_times[i, n]) for n, _url in sizes}
        counts = {n: "–".join(str(q) for q in sorted({min(queries[i, n]), max(queries[i, n])})) for n, _url in sizes}
        cells = "".join(f"{medians[n]:>12.1f} / {sql[n]:6.1f} / {counts[n]:>5} / {rows[i, n]:>3}" for n, _url in sizes)
        ratio, sql_ratio = medians[large] / max(medians[small], 0.001), sql[large] / max(sql[small], 0.001)
        print(f"{PAGES[i][0]:32}{cells}{ratio:>7.2f}×{sql_ratio:>7.1f}×")
    print(
        f"\nratio = median at {large:,} / median at {small:,} ({args.repeat} requests each, sizes interleaved "
        "request by request); SQL ms: the database's time as Django measured it; queries: fewest–most of one request; "
        "rows: rows listed on the page"
    )
    print("load average (1, 5, 15 min) at start, after warm-up and after each round:")
    print("  " + " | ".join(loads))


if __name__ == "__main__":
    main()
