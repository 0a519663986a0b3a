"""What the dashboard shows for a scope (all of Jakarta, a kota) or one kecamatan: its context,
what is behind, the definitions of its figures, and the tables of its PDF and XLSX downloads."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from reports.public import headline_target
from reports.selectors.charts import chart_data
from reports.selectors.comparison import comparison_lines, table_apply, table_query_from
from reports.selectors.snapshots import (
    kecamatan_from_param,
    kota_choices,
    kota_from_param,
    latest_snapshot,
    snapshot_age,
)
from reports.snapshot import (
    ALL,
    BREAKDOWN_KINDS,
    CentreRow,
    KecamatanRow,
    KotaRow,
    SnapshotData,
)
from reports.tables import (
    Table,
    centres_table,
    dashboard_tables,
    kecamatan_funnel_table,
)


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
