"""Which rows a user may pick in a form: the registry behind every foreign-key and
many-to-many choice of the back office.

The app that scopes a model registers, once in its AppConfig.ready(), the selector giving
the rows a user may see (and so choose): a callable `user -> QuerySet`, usually one of its
`*_visible_to(user)` functions, or `PUBLIC` for reference rows anyone may choose (the
facilities P1–P7, the kota). `jakpreneur.admin.ScopedChoicesMixin` (part of every
`ScopedAdmin`, and mixed into the other admins and inlines) narrows each choice field to
that queryset, so an id posted from outside it is a form error ("Select a valid choice"),
whatever the widget (select, raw id, autocomplete).

Deny by default: a choice field whose model has no entry here is an error
(`ImproperlyConfigured` when the form is built, and `jakpreneur.E010` from
`manage.py check`), never a silently unscoped list.

    from jakpreneur import scoping
    scoping.register(Mentor, mentors_visible_to)        # growth/apps.py, ready()
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet


class _Public:
    def __repr__(self) -> str:
        return "PUBLIC"


PUBLIC = _Public()

Selector = Callable[..., QuerySet]
_registry: dict[str, Selector | _Public] = {}


def _label(model: type[Model] | str) -> str:
    return model if isinstance(model, str) else model._meta.label_lower


def register(model: type[Model] | str, selector: Selector | _Public) -> None:
    """Declare which rows of `model` a user may choose: `selector(user)` or PUBLIC."""
    _registry[_label(model)] = selector


def is_registered(model: type[Model] | str) -> bool:
    return _label(model) in _registry


def is_public(model: type[Model] | str) -> bool:
    return _registry.get(_label(model)) is PUBLIC


def choices_for(model: type[Model], user) -> QuerySet:
    """The rows of `model` that `user` may choose in a form."""
    try:
        selector = _registry[_label(model)]
    except KeyError:
        raise ImproperlyConfigured(
            f"No choice scope for {_label(model)}: register one with jakpreneur.scoping.register() "
            "in the AppConfig.ready() of the app that owns its scoping."
        ) from None
    if selector is PUBLIC:
        return model._default_manager.all()
    return selector(user)


def scoped(model: type[Model], user, queryset: QuerySet | None = None) -> QuerySet:
    """`queryset` (default: all rows) narrowed to the rows `user` may choose."""
    allowed = choices_for(model, user)
    if queryset is None:
        return allowed
    if is_public(model):
        return queryset
    return queryset.filter(pk__in=allowed.values("pk"))
