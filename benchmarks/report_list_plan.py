#!/usr/bin/env python
"""EXPLAIN ANALYZE of centre staff's monthly reports list (/admin/growth/monthlyreport/): the
page is requested once through the Django test client as `growth_pages.py`'s centre staff
(`bench-staff@…`, the kecamatan of entrepreneur 1), and every query it made on
growth_monthlyreport is explained (ANALYZE, BUFFERS) after a warm-up run of it.

    DATABASE_URL=postgres://root@127.0.0.1:5432/jp_bench_1m \\
        /work/main/.venv/bin/python benchmarks/report_list_plan.py [--repeat 5]

Prints each query, its plan, and the median execution time of --repeat runs, with
/proc/loadavg. The database must hold growth_pages.py's data (run that first).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import statistics
import sys


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import _admin_data

    _admin_data.production_environment()

    _admin_data.setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from registrations.models import User

    settings.ALLOWED_HOSTS = ["*"]
    logging.getLogger("jakpreneur.request").setLevel(logging.WARNING)
    staff = User.objects.get(email="bench-staff@bench.jakpreneur.id")
    client = Client()
    client.force_login(staff)
    client.get("/admin/growth/monthlyreport/")  # warm-up: caches, the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/growth/monthlyreport/").status_code == 200
    print(f"{len(queries)} queries; load average {loadavg()}")
    for query in queries.captured_queries:
        sql = query["sql"]
        if "growth_monthlyreport" not in sql or not sql.lstrip().upper().startswith("SELECT"):
            continue
        print("\n" + sql)
        times = []
        with connection.cursor() as cursor:
            for _ in range(args.repeat):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
                times.append(float(re.search(r"Execution Time: ([\d.]+)", plan[-1]).group(1)))
        print("\n".join(plan))
        print(f"median execution of {args.repeat}: {statistics.median(times):.2f} ms; load average {loadavg()}")


if __name__ == "__main__":
    main()
