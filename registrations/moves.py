"""People who move: the apps above registrations whose rows carry an entrepreneur's
kecamatan (a denormalised copy for their scoping indexes, e.g. growth's monthly reports)
register a follower here in their `AppConfig.ready()`; every registrations service that
changes an entrepreneur's kecamatan (`entrepreneur_update`, the legacy import's batch) calls
`kecamatan_changed` inside its own transaction, after the entrepreneurs' rows are written,
so the copies never lag behind (docs/ARCHITECTURE.md, "Mentoring and monthly reports": the
report's kecamatan)."""

from collections.abc import Callable, Mapping

from django.db import connection

# {entrepreneur id: their new kecamatan code} → brings the app's copies in step.
Follower = Callable[[Mapping[int, str]], None]

_followers: dict[str, Follower] = {}


def register(key: str, follower: Follower) -> None:
    """Add (or replace, by key) what to do when people change kecamatan."""
    _followers[key] = follower


def unregister(key: str) -> None:
    _followers.pop(key, None)


def followers() -> list[str]:
    return sorted(_followers)


def kecamatan_changed(moves: Mapping[int, str]) -> None:
    """Tell every registered app that these entrepreneurs now live in these kecamatan. Called
    in the transaction that moved them (their rows locked by the move), never outside one."""
    if not moves:
        return
    if not connection.in_atomic_block:
        raise RuntimeError("kecamatan_changed must run in the transaction that moves the people.")
    for key in sorted(_followers):
        _followers[key](moves)
