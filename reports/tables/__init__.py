"""The tables built from a snapshot: the dashboard's, per scope (open data's, suppressed, are
declared in `reports.public`).

They read the declared structure (`reports.snapshot`) only, so a page costs the same whatever
the number of entrepreneurs. Each table is shown on a page and offered as CSV.

The package by subject: `base` (Table, columns, shared labels), `areas` (kota, kecamatan,
centres, targets), `scope` (a scope's months, funnel, breakdowns, status) and `outcomes` (P6
outcomes, P5 curation, P7 financing); `dashboard_tables` composes them.
"""

from __future__ import annotations

from reports.snapshot import ALL, SnapshotData
from reports.tables.areas import (
    FUNNEL_COLUMNS,
    centres_table,
    kecamatan_funnel_table,
    kecamatan_table,
    kota_table,
    targets_table,
)
from reports.tables.base import Column, Table, behind_label, breakdown_label, build_table, facility_label, short_kota
from reports.tables.outcomes import (
    curation_category_table,
    curation_kecamatan_table,
    financing_kecamatan_table,
    financing_table,
    outcomes_table,
)
from reports.tables.scope import breakdown_tables, funnel_table, months_table, status_table

__all__ = [
    "FUNNEL_COLUMNS",
    "Column",
    "Table",
    "behind_label",
    "breakdown_label",
    "build_table",
    "centres_table",
    "dashboard_tables",
    "facility_label",
    "kecamatan_funnel_table",
    "short_kota",
]


def dashboard_tables(data: SnapshotData, kota: str | None) -> dict[str, Table]:
    """Every table of the dashboard for one scope (all of Jakarta, or one kota)."""
    scope = data["scopes"][kota or ALL]
    return {
        "kota": kota_table(data),
        "kecamatan": kecamatan_table(data, kota),
        "months": months_table(data, scope),
        "funnel": funnel_table(data, scope),
        **breakdown_tables(scope),
        "status": status_table(scope),
        "centres": centres_table(data, kota=kota),
        "targets": targets_table(data, kota),
        "outcomes": outcomes_table(data, kota),
        "curation_category": curation_category_table(scope),
        "curation_kecamatan": curation_kecamatan_table(data, kota),
        "financing": financing_table(scope),
        "financing_kecamatan": financing_kecamatan_table(data, kota),
    }
