"""The dashboard's chart series (`reports.snapshot.ChartData`, read by static/js/dashboard.js)."""

from __future__ import annotations

import calendar

from django.utils.translation import gettext as _

from reports.public import headline_target
from reports.snapshot import (
    ALL,
    BREAKDOWN_KINDS,
    ChartData,
    SnapshotData,
    add_months,
)
from reports.tables import (
    Table,
    short_kota,
)

PROJECTION_MONTHS = 12


# How each breakdown is drawn (static/js/dashboard.js); a sector list is long, so horizontal.
BREAKDOWN_STYLES = {"track": "doughnut", "gender": "doughnut", "age": "bar", "sector": "hbar"}


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
            "passed": bool(target and target["reached"]),
            "scale": target["next_milestone"] if target and target["reached"] else None,
            "beyond_label": _("Beyond the target"),
            "milestone_label": _("To the next milestone"),
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
