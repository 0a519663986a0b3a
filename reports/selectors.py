"""Reads of targets and snapshots, and what each page shows from the latest snapshot.

Everything below `latest_snapshot()` works on the snapshot's declared structure only
(`reports.snapshot`): the dashboard, the landing page, the admin index and the open data pages
cost the same whatever the number of entrepreneurs.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import ProgressSnapshot, Target
from reports.public import LandingFigures, headline_target, landing_figures, open_data_tables
from reports.snapshot import (
    ALL,
    BREAKDOWN_KINDS,
    ChartData,
    Snapshot,
    SnapshotData,
    TargetProgress,
    add_months,
    snapshot_read,
)
from reports.tables import Table, dashboard_tables, short_kota

PROJECTION_MONTHS = 12
# How each breakdown is drawn (static/js/dashboard.js); a sector list is long, so horizontal.
BREAKDOWN_STYLES = {"track": "doughnut", "gender": "doughnut", "age": "bar", "sector": "hbar"}


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


def dashboard_context(*, kota: str) -> dict | None:
    """Everything the dashboard shows for the `kota` query parameter, from the latest
    snapshot; None when there is no usable snapshot. `kota_error` says when the parameter
    named no kota (the page then shows all of Jakarta with the message)."""
    snapshot = latest_snapshot()
    if snapshot is None:
        return None
    data = snapshot.data
    selected, error = kota_from_param(data, kota)
    tables = dashboard_tables(data, selected)
    minutes_ago, stale = snapshot_age(snapshot)
    return {
        "snapshot": snapshot,
        "kota": selected,
        "kota_name": dict(kota_choices(data)).get(selected),
        "kota_choices": kota_choices(data),
        "kota_error": error,
        "kota_param": selected or "",
        "totals": data["scopes"][selected or ALL]["totals"],
        "target": headline_target(data, selected),
        "province_target": headline_target(data, None),
        "centres": data["centres"],
        "tables": tables,
        "breakdown_tables": [(kind, tables[kind]) for kind in BREAKDOWN_KINDS],
        "chart_data": chart_data(data, selected, tables),
        "minutes_ago": minutes_ago,
        "stale": stale,
    }


def _projection(months: list[str], cumulative: list[int], rate: float) -> tuple[list[str], list, list]:
    """The months, the actual cumulative series and its projection, extended by
    PROJECTION_MONTHS months at `rate` per day (each month with its own number of days)."""
    axis, actual = list(months), list(cumulative)
    projection: list[int | None] = [None] * len(months)
    if months:
        projection[-1] = running = actual[-1]
        for step in range(1, PROJECTION_MONTHS + 1):
            month = add_months(months[-1], step)
            year, number = map(int, month.split("-"))
            running += rate * calendar.monthrange(year, number)[1]
            axis.append(month)
            actual.append(None)
            projection.append(round(running))
    return axis, actual, projection


def chart_data(data: SnapshotData, kota: str | None, tables: dict[str, Table]) -> ChartData:
    """Series for the charts (static/js/dashboard.js reads them from json_script)."""
    scope = data["scopes"][kota or ALL]
    target = headline_target(data, kota)
    months, actual, projection = _projection(data["months"], scope["cumulative"], scope["totals"]["rate_per_day"])
    return {
        "labels": {
            "registered": _("Registered entrepreneurs"),
            "projection": _("Projection at the 90-day rate"),
            "target": _("Target"),
            "remaining": _("Remaining to target"),
            "reached": _("Reached"),
            "completed": _("Completed"),
            "entrepreneurs": _("Entrepreneurs"),
        },
        # Against the target; for a kota without its own target, as a share of all Jakarta.
        "gauge": {
            "value": scope["totals"]["registered"],
            "target": target["value"] if target else (data["scopes"][ALL]["totals"]["registered"] if kota else None),
            "remaining_label": _("Remaining to target") if target else _("Rest of Jakarta"),
        },
        "cumulative": {
            "months": months,
            "actual": actual,
            "projection": projection,
            "target": target["value"] if target else None,
        },
        "kota": {
            "labels": [short_kota(row[0]) for row in tables["kota"].rows],
            "values": [row[1] for row in tables["kota"].rows],
            "selected": next((short_kota(row["name"]) for row in data["kota"] if row["code"] == kota), None),
        },
        "funnel": {
            "labels": [row[0] for row in tables["funnel"].rows],
            "reached": [row[1] for row in tables["funnel"].rows],
            "completed": [row[4] for row in tables["funnel"].rows],
        },
        "breakdowns": {
            kind: {
                "labels": [row[0] for row in tables[kind].rows],
                "values": [row[1] for row in tables[kind].rows],
                "style": BREAKDOWN_STYLES[kind],
            }
            for kind in BREAKDOWN_KINDS
        },
    }


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
