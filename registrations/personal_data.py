"""What the portal holds about one person, for their rights under UU 27/2022 (PDP): access
(a copy of everything) and erasure. Every app that keeps data about an entrepreneur registers
one source here, so that registrations never imports the apps above it.

An app registers its source once, in its AppConfig.ready():

    from registrations import personal_data

    personal_data.register(personal_data.Source(
        key="growth",                               # unique; the key of its part of the export
        label=_("Mentoring and monthly reports"),   # the heading on the readable page
        export=growth_export,                       # (entrepreneur) -> dict of JSON values
        erase=growth_erase,                         # (entrepreneur, *, actor) -> None
        order=20,
        choices={"mentoring_sessions.mode": MentoringSession.Mode},  # optional, see below
    ))

`export` returns only JSON values (str, int, float, bool, None, lists and dicts of them):
dates as ISO strings, choices as their stored value. It reads only that person's rows, in
a fixed number of queries.

`choices` lets the readable page (/me/data/) show a stored value as people say it: the dotted
path of dict keys down to a field (list levels skipped, e.g. "enrollments.state") → the
field's TextChoices class or a {value: label} mapping. The JSON copy keeps the stored values.

`erase` removes or anonymises what identifies the person (names, numbers, free text,
photos, files) in that app's tables and their history, while the rows that aggregate figures
count (the snapshot's steps) stay, with their kecamatan, dates, states and amounts. It runs
inside the one transaction of `erase_all`; raising refuses the whole erasure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

EXPORT_VERSION = 1


def json_value(value):
    """A field's value as the export holds it: dates and times as ISO strings (times in
    Jakarta's), numbers, text, booleans and None as they are, anything else as text."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


@dataclass(frozen=True)
class Source:
    key: str
    label: Any  # a (lazy) translated string
    export: Callable[[Any], dict]
    erase: Callable[..., None]
    order: int = 100
    choices: Mapping[str, Any] = field(default_factory=dict)

    def choice_label(self, path: str, value) -> str | None:
        """The label of a stored value at a dotted path, or None when it has none."""
        declared = self.choices.get(path)
        if declared is None:
            return None
        mapping = dict(declared.choices) if hasattr(declared, "choices") else declared
        label = mapping.get(value)
        return str(label) if label is not None else None


_registry: dict[str, Source] = {}


def register(source: Source) -> None:
    """Add (or replace, by key) a source of personal data."""
    _registry[source.key] = source


def unregister(key: str) -> None:
    _registry.pop(key, None)


def source(key: str) -> Source | None:
    return _registry.get(key)


def sources() -> list[Source]:
    return sorted(_registry.values(), key=lambda s: (s.order, s.key))


def export_all(entrepreneur) -> dict:
    """Everything every app holds about one person: {"version", "exported_at", "sections":
    {key: {"label": …, "data": …}}}, in the registry's order."""
    return {
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "sections": {
            source.key: {"label": str(source.label), "data": source.export(entrepreneur)} for source in sources()
        },
    }


@transaction.atomic
def erase_all(entrepreneur, *, actor) -> None:
    """Erase what identifies one person in every app, all or nothing, in reverse order:
    registrations (order 0) goes last, so the apps above it may still read the person's
    identifying fields while they erase their own."""
    for source in reversed(sources()):
        source.erase(entrepreneur, actor=actor)
