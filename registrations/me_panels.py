"""The entrepreneur's page (/me/) is assembled from panels, so that the apps above
registrations (mentoring and monthly reports, products and curation, financing, privacy)
add their part of the page without registrations importing them.

An app registers its panel once, in its AppConfig.ready():

    from registrations import me_panels

    me_panels.register(me_panels.Panel(
        key="growth.reports",                       # unique; also the section's HTML id
        template="growth/me_panel.html",            # rendered with `panel` = the context below
        context=lambda entrepreneur: {...},         # a fixed number of queries, scoped to them
        order=40,                                   # position among the panels
        slot=me_panels.MAIN,                        # MAIN: after the facilities; DATA: beside "My data"
    ))

A panel whose context function returns None is not shown (e.g. no mentor assigned yet).
"""

from __future__ import annotations

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


def panels_for(entrepreneur) -> dict[str, list[RenderedPanel]]:
    """The panels to show to one entrepreneur, by slot, in order."""
    by_slot: dict[str, list[RenderedPanel]] = {slot: [] for slot in SLOTS}
    for panel in sorted(_registry.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(entrepreneur)
        if context is not None:
            by_slot[panel.slot].append(RenderedPanel(key=panel.key, template=panel.template, context=context))
    return by_slot
