#!/usr/bin/env python
"""Admin list pages at different table sizes: time and query count per page, side by side,
and the ratio between the largest and the smallest size (budget: flat, ≤ 1.3×).

    DATABASE_URL=postgres://… python benchmarks/admin_changelist.py --entrepreneurs 10000 1000000

Replaces the entrepreneurs in that database with synthetic ones (COPY).
"""

import argparse
import statistics
import time

import _admin_data

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
    ("search name (trigram)", "dina", "/admin/registrations/entrepreneur/?q=Lestari+Hutapea"),
    ("list, centre staff (scoped)", "alice", "/admin/registrations/entrepreneur/"),
    ("change view", "dina", "/admin/registrations/entrepreneur/{pk}/change/"),
    ("enrolments list", "dina", "/admin/registrations/enrollment/"),
]


def users():
    from django.contrib.auth.models import Group

    from registrations.models import User

    dina, _ = User.objects.get_or_create(email="bench-dina@jakpreneur.test", defaults={"is_staff": True})
    dina.groups.add(Group.objects.get(name="dinas_admin"))
    alice, _ = User.objects.get_or_create(email="bench-alice@jakpreneur.test", defaults={"is_staff": True})
    alice.groups.add(Group.objects.get(name="center_staff"))
    alice.kecamatan_scope.set(["31.71.01"])
    return {"dina": dina, "alice": alice}


def measure(n: int, repeat: int) -> dict[str, tuple[float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from registrations.models import Entrepreneur

    sample = Entrepreneur.objects.order_by("id")[n // 2]
    context = {"nik": sample.nik, "phone_tail": sample.phone[5:], "pk": sample.pk}
    clients = {}
    for name, user in users().items():
        clients[name] = Client()
        clients[name].force_login(user)
    results = {}
    for label, who, url in PAGES:
        url = url.format(**context)
        client = clients[who]
        for _ in range(3):  # warm-up: caches, connection, planner
            assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        results[label] = (statistics.median(timings) * 1000, len(queries))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entrepreneurs", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    _admin_data.setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    sizes = sorted(args.entrepreneurs)
    table = {}
    for n in sizes:
        print(f"Loading {n:,} entrepreneurs …", flush=True)
        seconds = _admin_data.load(n, seed=args.seed)
        print(f"  done in {seconds:.1f}s", flush=True)
        table[n] = measure(n, args.repeat)

    small, large = sizes[0], sizes[-1]
    header = f"{'page':32}" + "".join(f"{f'{n:,} rows':>22}" for n in sizes) + f"{'ratio':>8}"
    print()
    print(header)
    print(f"{'':32}" + "".join(f"{'ms / queries':>22}" for _ in sizes))
    for label, _who, _url in PAGES:
        cells = "".join(f"{table[n][label][0]:>15.1f} / {table[n][label][1]:<4}" for n in sizes)
        ratio = table[large][label][0] / max(table[small][label][0], 0.001)
        print(f"{label:32}{cells}{ratio:>7.2f}×")
    print(f"\nratio = time at {large:,} / time at {small:,} (median of {args.repeat} requests, 2-core machine)")


if __name__ == "__main__":
    main()
