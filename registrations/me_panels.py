"""The entrepreneur's page (/me/) is assembled from panels, so that the apps above
registrations (mentoring and monthly reports, products and curation, financing, privacy)
add their part of the page without registrations importing them.

/me/ is a summary read on a phone every day: a panel is one or two lines of a list (each an
`<li class="list-group-item">` with `data-line`: the single values that matter, a link to the
app's own page under /me/<subject>/ where its lists and forms are). A panel runs no query of
its own on /me/: its values come as `annotations` (below).

An app registers its panel once, in its AppConfig.ready():

    from registrations import me_panels

    me_panels.register(me_panels.Panel(
        key="growth.reports",                       # unique; also the section's HTML id
        template="growth/me_panel.html",            # its <li> lines, with `panel` = the context below
                                                    # (a Jinja2 template in jinja_templates/, as /me/ is)
        context=lambda entrepreneur: {...},         # scoped to them; no query when annotated
        order=40,                                   # position among the panels
        slot=me_panels.MAIN,                        # MAIN: "My programme"; DATA: lines of "My data"
        annotations=lambda: {"growth_last_report": Subquery(...)},  # optional, see below
    ))

A panel whose context function returns None is not shown (e.g. no mentor assigned yet).

`annotations` (optional) returns expressions on the Entrepreneur row (subqueries on
`OuterRef("pk")`, one value each) that /me/ reads in its first query, the entrepreneur's own
(`selectors.me_entrepreneur`). Each panel query is a round trip to the database, and on a busy
machine the round trips, not the SQL, are what /me/ waits for: a panel whose data is a few
single values (the latest this, the current that) reads them this way and runs no query of
its own. The names must be unique across panels (prefix them with the app); the context
function finds them as attributes of the entrepreneur and reads them itself when they are
missing (a caller that did not ask for them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAIN = "main"
DATA = "data"
SLOTS = (MAIN, DATA)


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[[Any], dict | None]
    order: int = 100
    slot: str = MAIN
    annotations: Callable[[], dict[str, Any]] | None = None


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    context: dict


_registry: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    """Add (or replace, by key) a panel of /me/."""
    if panel.slot not in SLOTS:
        raise ValueError(f"Unknown /me/ slot {panel.slot!r}; use one of {SLOTS}.")
    _registry[panel.key] = panel


def unregister(key: str) -> None:
    _registry.pop(key, None)


def registered() -> tuple[Panel, ...]:
    """The registered panels (a hashable key: another set of panels, another /me/ query)."""
    return tuple(_registry.values())


def annotations() -> dict[str, Any]:
    """Every panel's expressions on the entrepreneur's row, for /me/'s first query. Built once
    per set of registered panels (a queryset copies what it annotates), so a panel's
    `annotations` must not depend on the request or the time: "now" is `Now()`, the database's."""
    return _merged_annotations(registered())


@functools.lru_cache(maxsize=8)
def _merged_annotations(panels: tuple[Panel, ...]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for panel in panels:
        for name, expression in (panel.annotations() if panel.annotations else {}).items():
            if name in merged:
                raise ValueError(f"Two /me/ panels annotate {name!r}; prefix the names with the app.")
            merged[name] = expression
    return merged


def panels_for(entrepreneur) -> dict[str, list[RenderedPanel]]:
    """The panels to show to one entrepreneur, by slot, in order."""
    by_slot: dict[str, list[RenderedPanel]] = {slot: [] for slot in SLOTS}
    for panel in sorted(_registry.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(entrepreneur)
        if context is not None:
            by_slot[panel.slot].append(RenderedPanel(key=panel.key, template=panel.template, context=context))
    return by_slot


# --- a facility's row on /me/ said by the app whose work it is -----------------------------------


@dataclass(frozen=True)
class FacilityNote:
    """What an app shows in a facility's row of /me/ in place of the "Request" button, when
    taking part in that facility is the app's own work rather than an enrolment to ask for
    (P6 is filing the monthly reports). `context(entrepreneur)` returns the template's
    context, or None for the row as usual (the person has not started); like a panel's, it
    reads the panels' annotations when they are there and runs no query of its own then."""

    facility: str
    template: str
    context: Callable[[Any], dict | None]


_notes: dict[str, FacilityNote] = {}


def register_facility_note(note: FacilityNote) -> None:
    _notes[note.facility] = note


def unregister_facility_note(facility: str) -> None:
    _notes.pop(facility, None)


def facility_notes_for(entrepreneur) -> dict[str, RenderedPanel]:
    """facility code → the note to show in its row, for the facilities that have one."""
    notes = {}
    for code, note in _notes.items():
        context = note.context(entrepreneur)
        if context is not None:
            notes[code] = RenderedPanel(key=f"facility-note-{code}", template=note.template, context=context)
    return notes
