"""CPU time of one /me/ request against the bare view's, in one process (issue 14).

The Django test client through the production settings of `benchmarks/load.py`
(`benchmarks.load_settings`: debug off, the whole middleware stack, the bare view at
/_bench/bare), on the PostgreSQL database of DATABASE_URL and the cache of CELERY_BROKER_URL /
CACHE_URL. `time.process_time` counts this process's CPU only, which the other jobs on a
shared machine disturb less than wall time; the database server's own time is not in it.

It registers one entrepreneur through the service (with a business, three enrolments and
upcoming activities at their centre, so the page shows something in every part), signs them
in, warms up, then measures `--rounds` rounds of `--requests` requests of each page,
interleaved (bare, /me/, bare, /me/ …), and prints the median per request, the ratio and the
queries of one /me/ request.

    DATABASE_URL=postgres://root@127.0.0.1:5432/jp_speed_me CELERY_BROKER_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python benchmarks/me_cpu.py --rounds 5 --requests 100 [--profile 300]

With --profile N it prints the cProfile of N /me/ requests instead (cumulative time, top 40);
with --steps N, the CPU of each step of N /me/ requests (the template, each selector, the
session and the account reads), each step timed by a wrapper around it.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.load_settings"
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_MANIFEST_STATIC", "0")
os.environ.setdefault("WHITENOISE_USE_FINDERS", "1")
os.environ["RATELIMIT_ENABLE"] = "0"
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")  # no request log line per request

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
import random  # noqa: E402
import uuid  # noqa: E402

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402


def make_entrepreneur():
    """One registered entrepreneur with a business, enrolments and activities to show."""
    from facilities.models import Activity, Center, Kelurahan
    from registrations import services
    from registrations.models import Business, Enrollment, Entrepreneur
    from registrations.services.data import BusinessData, EntrepreneurData

    token = uuid.uuid4().hex[:10]
    rng = random.Random(token)
    birth = dt.date(1980, 5, 17)
    entrepreneur = services.entrepreneur_register(
        data=EntrepreneurData(
            nik=f"317101{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}{rng.randrange(1, 10000):04d}",
            full_name="Warga Uji Prosesor",
            birth_date=birth,
            gender="L",
            phone="+6281234567890",
            kelurahan=Kelurahan.objects.get(pk="31.71.01.1001"),
            address="Jl. Medan Merdeka Barat No. 1",
            track=Entrepreneur.Track.NAIK_KELAS,
            email=f"cpu-{token}@example.id",
            business=BusinessData(name="Warung Uji"),
            facilities=["P2", "P3", "P5"],
        ),
        password="Benchmark-Passw0rd-Jakarta",  # noqa: S106 - a throwaway account
        actor=None,
        consent_at=timezone.now(),
    )
    center = Center.objects.get(pk=entrepreneur.home_center_id)
    now = timezone.now()
    for i in range(6):
        Activity.objects.create(
            title=f"Kelas uji {token} {i}",
            facility_id="P2",
            kind=Activity.Kind.CLASS,
            center=center if i % 2 else None,
            starts_at=now + dt.timedelta(days=3 + i),
            ends_at=now + dt.timedelta(days=3 + i, hours=2),
            registration_deadline=now + dt.timedelta(days=2 + i),
            capacity=20,
            published=True,
        )
    assert Business.objects.filter(entrepreneur=entrepreneur).exists()
    assert Enrollment.objects.filter(entrepreneur=entrepreneur).count() >= 3
    return entrepreneur


def cpu_per_request(client: Client, path: str, n: int) -> float:
    started = time.process_time()
    for _ in range(n):
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"GET {path} answered {response.status_code}")
    return (time.process_time() - started) / n * 1000


def steps(client: Client, n: int) -> None:
    """CPU per /me/ request of each step, by wrappers around the functions that do them."""
    import collections

    import django.contrib.auth as auth
    import django.template.backends.django as template_backend
    import django.template.backends.jinja2 as jinja_backend
    from django.contrib.sessions.backends import db as session_backend

    from registrations import me_panels, selectors

    spent = collections.Counter()

    def timed(owner, name, label):
        function = getattr(owner, name)

        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - started

        setattr(owner, name, wrapper)

    timed(template_backend.Template, "render", "template (with context processors)")
    timed(jinja_backend.Template, "render", "Jinja2 template (with context processors)")
    for name in ("me_page_entrepreneur", "me_enrollments", "me_facility_rows", "me_next_activities"):
        timed(selectors, name, name)
    timed(me_panels, "panels_for", "panels_for")
    timed(session_backend.SessionStore, "load", "session read")
    timed(auth, "get_user", "account read (and the session read when first)")
    started = time.process_time()
    for _ in range(n):
        client.get("/me/")
    total = (time.process_time() - started) / n * 1000
    print(f"/me/ {total:.2f} ms per request (test client included), of which:")
    for label, seconds in spent.most_common():
        print(f"  {label:48} {seconds / n * 1000:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0, help="cProfile N /me/ requests instead")
    parser.add_argument("--label", default="", help="printed in front of the result line")
    parser.add_argument("--steps", type=int, default=0, help="time each step of N /me/ requests instead")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")

    entrepreneur = make_entrepreneur()
    client = Client()
    client.force_login(entrepreneur.user, backend="jakpreneur.backends.ModelBackend")
    for _ in range(args.warmup):
        client.get("/_bench/bare")
        client.get("/me/")

    if args.steps:
        steps(client, args.steps)
        return

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)  # CPU time, as the figures
        profiler.enable()
        for _ in range(args.profile):
            client.get("/me/")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get("/me/")
    bare, me = [], []
    for _ in range(args.rounds):
        bare.append(cpu_per_request(client, "/_bench/bare", args.requests))
        me.append(cpu_per_request(client, "/me/", args.requests))
    bare_ms, me_ms = statistics.median(bare), statistics.median(me)
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(
        f"{args.label:8} load {' '.join(load)}  bare {bare_ms:.2f} ms  /me/ {me_ms:.2f} ms  "
        f"/me/ / bare = {bare_ms / me_ms:.3f}  queries {len(queries)}",
        flush=True,
    )


if __name__ == "__main__":
    main()
