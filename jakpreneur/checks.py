"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs) -> list[checks.CheckMessage]:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            checks.Warning(
                "The default cache is local to each process, so rate limits are counted per "
                "gunicorn worker and machine.",
                hint="Set CACHE_URL (or a Redis CELERY_BROKER_URL), e.g. redis://127.0.0.1:6379/1.",
                id="jakpreneur.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_login_lockout(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if not settings.AXES_ENABLED:
        return [
            checks.Warning(
                "Login lockout (django-axes) is switched off.",
                hint="Unset AXES_ENABLED or set it to 1.",
                id="jakpreneur.W002",
            )
        ]
    return []


@checks.register(checks.Tags.security)
def check_password_hashing(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Argon2id below OWASP's minimum is refused at start-up (tests may swap hashers)."""
    from jakpreneur.hashers import MINIMUM_MEMORY_KIB, MINIMUM_TIME_COST

    if settings.PASSWORD_HASHERS[:1] != ["jakpreneur.hashers.Argon2idHasher"]:
        return []
    if (
        settings.JAKPRENEUR_ARGON2_MEMORY_KIB < MINIMUM_MEMORY_KIB
        or settings.JAKPRENEUR_ARGON2_TIME_COST < MINIMUM_TIME_COST
        or settings.JAKPRENEUR_ARGON2_PARALLELISM < 1
    ):
        return [
            checks.Error(
                "Argon2id parameters below OWASP's minimum (19 MiB memory, 2 iterations, 1 lane).",
                hint="Raise JAKPRENEUR_ARGON2_MEMORY_KIB / _TIME_COST / _PARALLELISM, or unset them.",
                id="jakpreneur.E002",
            )
        ]
    return []
