"""Settings for `benchmarks/load.py` ONLY: the production settings, plus the bare view at
`/_bench/bare` (benchmarks/urls.py) that real pages are compared against. Never use these to
serve the portal.

With BENCHMARK_CHEAP_HASHING=1 (`load.py --cheap-hashing`) passwords are hashed with MD5, to
show what a registration costs apart from hashing its password."""

import os

from jakpreneur.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

if os.environ.get("BENCHMARK_CHEAP_HASHING") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
