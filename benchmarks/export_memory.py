#!/usr/bin/env python
"""Peak memory of the streaming CSV export of the whole entrepreneurs list (budget:
< 150 MB peak RSS at 1,000,000 rows).

    DATABASE_URL=postgres://… python benchmarks/export_memory.py --entrepreneurs 1000000

The data is loaded first; the export is then measured in a fresh child process, so the
figure is the export's own peak (Django + the request), not the loader's. The peak is the
process's high-water mark (VmHWM in /proc/self/status), which a new program starts afresh;
`ru_maxrss` would not do: Linux keeps it across exec, so the child would report the loader's
peak.
"""

import argparse
import os
import resource
import subprocess
import sys
import time

import _admin_data


def peak_rss_mb() -> float:
    """This program's peak resident memory so far, in MB."""
    try:
        for line in open("/proc/self/status"):  # noqa: SIM115 - a few lines, read once
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: the nearest there is


def measure() -> None:
    _admin_data.setup_django()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.test import Client

    from registrations.models import User

    settings.ALLOWED_HOSTS = ["*"]
    dina, _ = User.objects.get_or_create(email="bench-dina@jakpreneur.test", defaults={"is_staff": True})
    dina.groups.add(Group.objects.get(name="dinas_admin"))
    client = Client()
    client.force_login(dina)
    baseline = peak_rss_mb()
    started = time.perf_counter()
    response = client.get("/admin/registrations/entrepreneur/export/csv/")
    size = lines = 0
    for part in response.streaming_content:
        size += len(part)
        lines += part.count(b"\n")
    elapsed = time.perf_counter() - started
    peak = peak_rss_mb()
    print(f"rows exported:    {lines - 1:,}")
    print(f"bytes:            {size / 1e6:,.1f} MB in {elapsed:.1f}s ({(lines - 1) / elapsed:,.0f} rows/s)")
    print(f"RSS before:       {baseline:,.1f} MB")
    print(f"peak RSS:         {peak:,.1f} MB  (budget < 150 MB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entrepreneurs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_only:
        measure()
        return
    _admin_data.setup_django()
    print(f"Loading {args.entrepreneurs:,} entrepreneurs …", flush=True)
    print(f"  done in {_admin_data.load(args.entrepreneurs, seed=args.seed):.1f}s", flush=True)
    subprocess.run([sys.executable, __file__, "--measure-only"], check=True, env=os.environ)


if __name__ == "__main__":
    main()
