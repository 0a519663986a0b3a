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


def _relations(model):
    return [
        field
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.editable and (field.many_to_one or field.many_to_many)
    ]


@checks.register(checks.Tags.admin)
def check_admin_choices_scoped(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Every admin (and inline) whose model has a foreign key or many-to-many field scopes its
    choices (jakpreneur.admin.ScopedChoicesMixin), and every related model has a registered
    choice scope (jakpreneur.scoping): deny by default."""
    from django.contrib import admin

    from jakpreneur import scoping
    from jakpreneur.admin import ScopedChoicesMixin

    errors = []
    for model, model_admin in admin.site._registry.items():
        for admin_class, admin_model in [
            (type(model_admin), model),
            *((inline, inline.model) for inline in model_admin.inlines),
        ]:
            relations = _relations(admin_model)
            if relations and not issubclass(admin_class, ScopedChoicesMixin):
                errors.append(
                    checks.Error(
                        f"{admin_class.__module__}.{admin_class.__qualname__} does not scope its choices.",
                        hint="Base it on ScopedAdmin, or mix in jakpreneur.admin.ScopedChoicesMixin.",
                        obj=admin_class,
                        id="jakpreneur.E010",
                    )
                )
            for field in relations:
                if not scoping.is_registered(field.related_model):
                    errors.append(
                        checks.Error(
                            f"{admin_model._meta.label}.{field.name}: no choice scope for "
                            f"{field.related_model._meta.label}.",
                            hint="Register its *_visible_to selector (or PUBLIC) with jakpreneur.scoping.register() "
                            "in the AppConfig.ready() of the app that owns it.",
                            obj=admin_class,
                            id="jakpreneur.E011",
                        )
                    )
    return errors
