"""Reads of targets and snapshots, and what each page shows from the latest snapshot.

Everything below `latest_snapshot()` works on the snapshot's declared structure only
(`reports.snapshot`): the dashboard, the landing page, the admin index and the open data pages
cost the same whatever the number of entrepreneurs.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import ProgressSnapshot, Target
from reports.public import LandingFigures, headline_target, landing_figures, open_data_tables
from reports.snapshot import (
    ALL,
    BREAKDOWN_KINDS,
    CentreRow,
    ChartData,
    KecamatanRow,
    KotaRow,
    Snapshot,
    SnapshotData,
    TargetProgress,
    add_months,
    snapshot_read,
)
from reports.tables import (
    Table,
    centres_table,
    dashboard_tables,
    kecamatan_funnel_table,
    short_kota,
)

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


# --- what the dashboard shows, for a scope and the kecamatan table's filters --------------------

MAX_FILTER_TEXT = 100


@dataclass(frozen=True)
class TableQuery:
    """The kecamatan table's filters and order (`q`, `area`, `behind`, `sort` in the query
    string): the same on screen (static/js/dashboard.js keeps them in the URL and the
    download links), in the page without JavaScript, and in the PDF and XLSX downloads."""

    q: str = ""
    area: str = ""  # a kota code
    behind: bool = False
    sort: str = ""  # a column key of the table, "-" first for descending

    def as_params(self) -> dict[str, str]:
        params = {"q": self.q, "area": self.area, "behind": "1" if self.behind else "", "sort": self.sort}
        return {key: value for key, value in params.items() if value}


def table_query_from(params, data: SnapshotData, table: Table) -> TableQuery:
    """The filters a query string asks for; anything unknown is ignored (never an error)."""
    area = params.get("area", "").strip()
    sort = params.get("sort", "").strip()
    return TableQuery(
        q=" ".join(params.get("q", "").split())[:MAX_FILTER_TEXT],
        area=area if area in dict(kota_choices(data)) else "",
        behind=params.get("behind", "") in ("1", "on", "true"),
        sort=sort if sort.lstrip("-") in table.keys else "",
    )


def table_apply(table: Table, data: SnapshotData, query: TableQuery) -> Table:
    """The kecamatan table filtered and ordered as `query` asks (None sorts last)."""
    by_code = {row["code"]: row for row in data["kecamatan"]}
    code, name, kota = table.column("code"), table.column("kecamatan"), table.column("kota")
    needle = query.q.casefold()
    kept = []
    for row, drill in table.linked_rows():
        source = by_code.get(row[code])
        if source is None:
            continue
        if needle and not any(needle in str(row[index]).casefold() for index in (code, name, kota)):
            continue
        if query.area and source["kota"] != query.area:
            continue
        if query.behind and not (source["share"] and source["share"]["behind"]):
            continue
        kept.append((row, drill))
    if query.sort:
        index = table.column(query.sort.lstrip("-"))
        descending = query.sort.startswith("-")
        present = [item for item in kept if item[0][index] is not None]
        missing = [item for item in kept if item[0][index] is None]

        def key(item):
            value = item[0][index]
            return value.casefold() if isinstance(value, str) else value

        kept = sorted(present, key=key, reverse=descending) + missing
    return table.with_rows([row for row, _drill in kept], [drill for _row, drill in kept])


@dataclass(frozen=True)
class ComparisonLine:
    """One row of the kecamatan table as the template draws it."""

    code: str
    name: str
    kota: str
    kota_code: str
    behind: bool | None  # None: no part of a target to be behind
    drill: str
    cells: list[tuple[str, object]]  # (column key, value) after the kecamatan and kota columns


FIRST_CELLS = ("code", "kecamatan", "kota")


def _short_header(key: str, header: str) -> str:
    """On screen the funnel columns are headed by their code ("P2 %"; the full name is their
    title), so that the 14 columns fit 1280 px; files keep the full header."""
    if key.startswith("reached_") and key.endswith("_percent"):
        return f"{key.removeprefix('reached_').removesuffix('_percent')} %"
    return header


def comparison_lines(table: Table, data: SnapshotData) -> tuple[list[tuple[str, str, bool, str]], list[ComparisonLine]]:
    """The kecamatan table's headers (key, title, numeric, short title) and rows, for its template."""
    by_code = {row["code"]: row for row in data["kecamatan"]}
    code, name, kota = (table.column(key) for key in FIRST_CELLS)
    headers = [
        (key, header, index in table.numeric, _short_header(key, header))
        for index, (key, header) in enumerate(zip(table.keys, table.headers, strict=True))
        if key != "code"
    ]
    lines = []
    for row, drill in table.linked_rows():
        source = by_code[row[code]]
        lines.append(
            ComparisonLine(
                code=row[code],
                name=row[name],
                kota=row[kota],
                kota_code=source["kota"],
                behind=source["share"]["behind"] if source["share"] else None,
                drill=drill,
                cells=[(key, value) for key, value in zip(table.keys, row, strict=True) if key not in FIRST_CELLS],
            )
        )
    return headers, lines


@dataclass(frozen=True)
class Behind:
    """What is behind in a scope: areas below their part of the target, idle centres."""

    kota: list[KotaRow]
    kecamatan: list[KecamatanRow]
    kecamatan_with_part: int
    centres_idle: list[CentreRow]
    centres_total: int

    @property
    def centres_active(self) -> int:
        return self.centres_total - len(self.centres_idle)


def behind_in(data: SnapshotData, kota: str | None) -> Behind:
    """Kota (all of Jakarta only) and kecamatan below their part of the target, furthest
    behind first; centres with no activity in the last 90 days and none upcoming."""

    def below(rows):
        return sorted(
            (row for row in rows if row["share"] and row["share"]["behind"]), key=lambda r: r["share"]["percent"] or 0
        )

    kecamatan = [row for row in data["kecamatan"] if kota is None or row["kota"] == kota]
    centres = [row for row in data["centres"]["rows"] if kota is None or row["kota"] == kota]
    return Behind(
        kota=below(data["kota"]) if kota is None else [],
        kecamatan=below(kecamatan),
        kecamatan_with_part=sum(1 for row in kecamatan if row["share"]),
        centres_idle=[row for row in centres if not (row["activities_90_days"] or row["upcoming"])],
        centres_total=len(centres),
    )


def definitions() -> list[tuple[str, str]]:
    """What each figure means: on the dashboard, in print and in the PDF and XLSX downloads."""
    return [
        (_("Registered"), _("Every entrepreneur who registered (P1) and was not rejected, by registration date.")),
        (_("Verified"), _("Registrations checked by the centre against the person's documents.")),
        (_("Last 90 days"), _("Registrations in the 90 days before the figures were computed.")),
        (
            _("Part of the target"),
            _(
                "The area's own registration target where the Dinas set one; otherwise the kota's target, or the "
                "province's target (the RPJMD indicator), split evenly across the kecamatan, one centre each. "
                "“Behind”: fewer registrations since the target's start than that part."
            ),
        ),
        (
            _("Reached (% of registered)"),
            _(
                "Entrepreneurs with at least one enrolment in the facility that was not cancelled, as a share of "
                "the registered entrepreneurs of the area."
            ),
        ),
        (
            _("Centres with activities"),
            _("Centres with at least one published activity in the last 90 days or one upcoming."),
        ),
        (_("Next milestone"), _("Once a target is passed: the next multiple of a quarter of the target.")),
    ]


def kecamatan_from_param(data: SnapshotData, value: str) -> tuple[KecamatanRow | None, str | None]:
    value = value.strip()
    if not value:
        return None, None
    row = next((row for row in data["kecamatan"] if row["code"] == value), None)
    if row is None:
        return None, _("“%(value)s” is not a kecamatan of DKI Jakarta; showing all of Jakarta.") % {"value": value[:20]}
    return row, None


def dashboard_context(*, kota: str, kecamatan: str = "", params=None) -> dict | None:
    """Everything the dashboard shows for the query string (`kota`, or `kecamatan` one level
    down; the kecamatan table's filters), from the latest snapshot; None when there is no
    usable snapshot. `kota_error` says when a parameter named no area (the page then shows all
    of Jakarta with the message)."""
    snapshot = latest_snapshot()
    if snapshot is None:
        return None
    data = snapshot.data
    minutes_ago, stale = snapshot_age(snapshot)
    common = {
        "snapshot": snapshot,
        "kota_choices": kota_choices(data),
        "province_target": headline_target(data, None),
        "minutes_ago": minutes_ago,
        "stale": stale,
        "definitions": definitions(),
    }
    district, district_error = kecamatan_from_param(data, kecamatan)
    if district is not None:
        return {**common, **_kecamatan_context(data, district)}
    selected, error = kota_from_param(data, kota)
    tables = dashboard_tables(data, selected)
    query = table_query_from(params or {}, data, tables["kecamatan"])
    tables["kecamatan"] = table_apply(tables["kecamatan"], data, query)
    target = headline_target(data, selected)
    return {
        **common,
        "kecamatan": None,
        "kota": selected,
        "kota_name": dict(kota_choices(data)).get(selected),
        "kota_error": error or district_error,
        "kota_param": selected or "",
        "totals": data["scopes"][selected or ALL]["totals"],
        "target": target,
        "target_passed_by": (target["achieved"] - target["value"]) if target and target["reached"] else None,
        "centres": data["centres"],
        "tables": tables,
        "table_query": query,
        "comparison": comparison_lines(tables["kecamatan"], data),
        "kecamatan_total": sum(1 for row in data["kecamatan"] if selected is None or row["kota"] == selected),
        "export_query": urlencode({"kota": selected or "", **query.as_params()}),
        "behind": behind_in(data, selected),
        "breakdown_tables": [(kind, tables[kind]) for kind in BREAKDOWN_KINDS],
        "chart_data": chart_data(data, selected, tables),
    }


def _kecamatan_context(data: SnapshotData, row: KecamatanRow) -> dict:
    kota_name = dict(kota_choices(data)).get(row["kota"], "")
    centres = centres_table(data, kecamatan=row["code"])
    return {
        "kecamatan": row,
        "kota": row["kota"],
        "kota_name": kota_name,
        "kota_error": None,
        "kota_param": row["kota"],
        "tables": {"funnel": kecamatan_funnel_table(data, row), "centres": centres},
        "centre_rows": [centre for centre in data["centres"]["rows"] if centre["kecamatan"] == row["code"]],
        "export_query": urlencode({"kecamatan": row["code"]}),
    }


def export_tables(context: dict) -> list[Table]:
    """The tables of the dashboard as it is on screen, in its order (PDF and XLSX)."""
    tables = context["tables"]
    if context["kecamatan"] is not None:
        return [tables["funnel"], tables["centres"]]
    return [
        tables["targets"],
        tables["kecamatan"],
        tables["kota"],
        tables["funnel"],
        tables["centres"],
        tables["status"],
        *(tables[kind] for kind in BREAKDOWN_KINDS),
        tables["months"],
    ]


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
