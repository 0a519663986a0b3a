"""A Redis cache that degrades to "no cache" while Redis is down.

The cache only holds rate-limit counters and other things we can lose; a Redis outage must
not turn requests into 500s (the request path never depends on Redis).
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


class FailSoftRedisCache(RedisCache):
    def _soft(self, operation: str, default, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except _DOWN as exc:
            logger.warning("cache unavailable during %s: %s", operation, exc.__class__.__name__)
            return default

    def add(self, key, value, timeout=None, version=None):
        return self._soft("add", False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._soft("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=None, version=None):
        return self._soft("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._soft("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._soft("delete", False, super().delete, key, version)

    def incr(self, key, delta=1, version=None):
        # None tells django-ratelimit the count is unknown; with RATELIMIT_FAIL_OPEN it lets
        # the request through.
        return self._soft("incr", None, super().incr, key, delta, version)

    def get_many(self, keys, version=None):
        return self._soft("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._soft("has_key", False, super().has_key, key, version)
