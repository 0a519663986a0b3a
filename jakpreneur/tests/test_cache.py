"""The shared cache fails soft: with Redis down, rate-limited views still answer."""

import socket

import pytest
from django.test import RequestFactory

from jakpreneur.cache import FailSoftRedisCache


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def cache_down():
    return FailSoftRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})


def test_a_cache_whose_redis_is_down_answers_like_an_empty_cache(cache_down):
    assert cache_down.add("k", 1, 60) is False
    assert cache_down.get("k", "default") == "default"
    assert cache_down.incr("k") is None
    assert cache_down.get_many(["k"]) == {}
    cache_down.set("k", 1)
    cache_down.delete("k")


def test_rate_limits_let_requests_through_while_the_cache_is_down(cache_down, settings, monkeypatch):
    from django_ratelimit.core import is_ratelimited

    monkeypatch.setattr("django_ratelimit.core.caches", {"default": cache_down})
    request = RequestFactory().post("/register/", REMOTE_ADDR="203.0.113.9")
    limited = [is_ratelimited(request, group="register", key="ip", rate="1/h", increment=True) for _ in range(3)]
    assert limited == [False, False, False]


def test_rate_limits_count_in_a_working_cache(settings):
    from django.core.cache import cache
    from django_ratelimit.core import is_ratelimited

    cache.clear()
    request = RequestFactory().post("/register/", REMOTE_ADDR="203.0.113.10")
    limited = [is_ratelimited(request, group="register", key="ip", rate="2/h", increment=True) for _ in range(3)]
    assert limited == [False, False, True]
