"""Fixtures for the registration, /me/ and account tests."""

import uuid

import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test counts rate limits from zero: a per-test key prefix isolates the counters
    (in LocMem or in a shared Redis) without flushing a cache other code may be using."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl:test:{uuid.uuid4().hex}:"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
