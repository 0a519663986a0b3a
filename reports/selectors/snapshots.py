"""The latest snapshot and what every page reads from it first: its age, the headline figure,
the kota or kecamatan a query string selects; the open data and landing pages' context."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.landing import LandingFigures, landing_figures
from reports.models import ProgressSnapshot, Target
from reports.public import headline_target, open_data_tables
from reports.snapshot import (
    ALL,
    KecamatanRow,
    Snapshot,
    SnapshotData,
    TargetProgress,
    snapshot_read,
)


def latest_snapshot() -> Snapshot | None:
    """The newest snapshot, read into its declared structure; None when there is none or it is
    not usable (another version, or malformed): pages then say that figures are coming."""
    return snapshot_read(ProgressSnapshot.objects.latest_first().first())


def rpjmd_target() -> Target | None:
    """The province-wide registration target (the RPJMD indicator), for pages without a
    snapshot yet. The same choice as `headline_target` makes among a snapshot's targets."""
    return (
        Target.objects.active()
        .filter(metric=Target.Metric.REGISTERED, kota__isnull=True, kecamatan__isnull=True)
        .order_by("-period_end", "-id")
        .first()
    )


def snapshot_age(snapshot: Snapshot, *, now: dt.datetime | None = None) -> tuple[int, bool]:
    """Minutes since the snapshot was computed and whether that makes it stale."""
    seconds = max(((now or timezone.now()) - snapshot.computed_at).total_seconds(), 0)
    return int(seconds // 60), seconds > settings.PROGRESS_STALE_AFTER_SECONDS


@dataclass(frozen=True)
class Headline:
    """The headline figure of the landing page and the admin index."""

    snapshot: Snapshot
    registered: int
    target: TargetProgress | None
    minutes_ago: int
    stale: bool


def progress_headline() -> Headline | None:
    snapshot = latest_snapshot()
    if snapshot is None:
        return None
    minutes_ago, stale = snapshot_age(snapshot)
    return Headline(
        snapshot=snapshot,
        registered=snapshot.registered,
        target=headline_target(snapshot.data, None),
        minutes_ago=minutes_ago,
        stale=stale,
    )


def kota_choices(data: SnapshotData) -> list[tuple[str, str]]:
    return [(row["code"], row["name"]) for row in data["kota"]]


def kota_from_param(data: SnapshotData, value: str) -> tuple[str | None, str | None]:
    """The kota a query string selects (None: all of Jakarta), and an error message when it
    names no kota of the snapshot."""
    value = value.strip()
    if not value or value == ALL:
        return None, None
    if value in dict(kota_choices(data)):
        return value, None
    return None, _("“%(value)s” is not a kota of DKI Jakarta; showing all of Jakarta.") % {"value": value[:20]}


def kecamatan_from_param(data: SnapshotData, value: str) -> tuple[KecamatanRow | None, str | None]:
    value = value.strip()
    if not value:
        return None, None
    row = next((row for row in data["kecamatan"] if row["code"] == value), None)
    if row is None:
        return None, _("“%(value)s” is not a kecamatan of DKI Jakarta; showing all of Jakarta.") % {"value": value[:20]}
    return row, None


def open_data_context() -> dict:
    """The open data page: the latest usable snapshot (or None) and its public tables."""
    snapshot = latest_snapshot()
    return {"snapshot": snapshot, "tables": open_data_tables(snapshot.data) if snapshot else {}}


def landing_context() -> dict:
    """The landing page's progress: only what the snapshot publishes (reports.public), with
    the target's value before any snapshot exists."""
    snapshot = latest_snapshot()
    if snapshot is None:
        return {"snapshot": None, "figures": None, "target_value": getattr(rpjmd_target(), "value", None)}
    figures: LandingFigures = landing_figures(snapshot.data)
    return {
        "snapshot": snapshot,
        "figures": figures,
        "target_value": figures.target["value"] if figures.target else None,
    }
