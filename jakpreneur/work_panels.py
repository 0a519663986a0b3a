"""The staff member's work at the top of the admin index: a registry that apps fill.

Each app registers its panels in its `AppConfig.ready()` (registrations: registrations
waiting for verification, today's and this week's activities; the mentoring app: overdue next
steps). A panel is a title, an order and a function of the request returning `WorkItem`s: a
label, a count and the link to the admin list filtered to exactly those rows. The function
counts through the app's own `*_visible_to(user)` selectors, so every member of staff sees
the work of their own scope only (alice: Gambir), and costs a fixed number of queries
(`bounded_count`, one query each, whatever the table size). A panel with `permission` is
shown only to those who hold it.

This module imports no app: the apps import it (jakpreneur is below every app).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest

# Counts above this show as "1,000+": the index stays one quick query per figure at 1M rows.
COUNT_CAP = 1000


@dataclass(frozen=True)
class WorkItem:
    label: str
    count: int
    url: str
    capped: bool = False  # the count reached COUNT_CAP: "1,000+"


@dataclass(frozen=True)
class WorkPanel:
    key: str
    title: str
    items: Callable[[HttpRequest], list[WorkItem]]
    order: int = 100
    permission: str | None = None


_PANELS: dict[str, WorkPanel] = {}


def register(panel: WorkPanel) -> None:
    """Add (or replace, by key: `ready()` may run twice in tests) a panel."""
    _PANELS[panel.key] = panel


def unregister(key: str) -> None:
    _PANELS.pop(key, None)


def registered() -> list[WorkPanel]:
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.key))


def panels_for(request: HttpRequest) -> list[tuple[WorkPanel, list[WorkItem]]]:
    """The panels this staff member may see, each with its items."""
    user = request.user
    return [
        (panel, panel.items(request))
        for panel in registered()
        if panel.permission is None or user.has_perm(panel.permission)
    ]


def bounded_count(queryset: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """How many rows, counting at most `cap` (one query: COUNT over a LIMITed subquery)."""
    cap = COUNT_CAP if cap is None else cap
    count = queryset.order_by().values("pk")[: cap + 1].count()
    return min(count, cap), count > cap


def item(label: str, queryset: QuerySet, url: str) -> WorkItem:
    count, capped = bounded_count(queryset)
    return WorkItem(label=label, count=count, url=url, capped=capped)
