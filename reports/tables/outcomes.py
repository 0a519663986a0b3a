"""Tables of the outcome sections: P6 outcomes from the monthly reports (growth), P5 curation
(marketing) and P7 financing."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.snapshot import (
    ALL,
    Scope,
    SnapshotData,
)
from reports.tables.base import (
    Column,
    Table,
    breakdown_label,
    build_table,
    short_kota,
)


def outcomes_table(data: SnapshotData, kota: str | None) -> Table:
    """P6 outcomes of the scope and of each area in it (kota for Jakarta, kecamatan for a
    kota), with the reporting rate next to every figure (definitions on the dashboard)."""
    scope = data["scopes"][kota or ALL]
    if kota:
        areas = [(row["name"], row["outcomes"]) for row in data["kecamatan"] if row["kota"] == kota]
        scope_name = next((row["name"] for row in data["kota"] if row["code"] == kota), kota)
    else:
        areas = [(row["name"], data["scopes"][row["code"]]["outcomes"]) for row in data["kota"]]
        scope_name = _("All of Jakarta")
    columns = [
        ("area", _("Area"), False),
        ("counted", _("Registered"), True),
        ("reporting", _("Reporting entrepreneurs"), True),
        ("reported_last_month", _("Reported last month"), True),
        ("reporting_rate", _("Reporting rate (%)"), True),
        ("wirausaha_baru", _("Wirausaha baru"), True),
        ("naik_kelas", _("Naik kelas"), True),
        ("jobs_created", _("Jobs created"), True),
        ("omzet_last_month", _("Omzet last month (Rp)"), True),
        ("median_growth", _("Median turnover growth (%)"), True),
    ]
    keys = [key for key, _header, _numeric in columns[1:]]
    return build_table(
        "outcomes",
        _("Outcomes from the monthly reports"),
        columns,
        ([name, *(outcomes[key] for key in keys)] for name, outcomes in [*areas, (scope_name, scope["outcomes"])]),
    )


def _curation_columns() -> list[Column]:
    return [
        ("submissions", _("Submitted"), True),
        ("returned", _("Returned"), True),
        ("graded", _("Graded"), True),
        ("grade_a", _("Grade A"), True),
        ("grade_b", _("Grade B"), True),
        ("grade_c", _("Grade C"), True),
        ("in_catalogue", _("In the e-katalog"), True),
    ]


def curation_category_table(scope: Scope) -> Table:
    columns = _curation_columns()
    return build_table(
        "curation_category",
        _("P5 curation by product category"),
        [("category", _("Category"), False), *columns],
        (
            [breakdown_label("sector", row["key"]), *(row[key] for key, _h, _n in columns)]
            for row in scope["curation"]["by_category"]
        ),
    )


def curation_kecamatan_table(data: SnapshotData, kota: str | None) -> Table:
    columns = _curation_columns()
    kota_names = {row["code"]: row["name"] for row in data["kota"]}
    return build_table(
        "curation_kecamatan",
        _("P5 curation by kecamatan"),
        [("code", _("Code"), False), ("kecamatan", _("Kecamatan"), False), ("kota", _("Kota"), False), *columns],
        (
            [
                row["code"],
                row["name"],
                short_kota(kota_names.get(row["kota"], "")),
                *(row["curation"][key] for key, _h, _n in columns),
            ]
            for row in data["kecamatan"]
            if kota is None or row["kota"] == kota
        ),
    )


def _financing_columns() -> list[Column]:
    return [
        ("applications", _("Applications"), True),
        ("approved", _("Approved by the bank"), True),
        ("rejected", _("Rejected by the bank"), True),
        ("approval_rate", _("Approval rate (%)"), True),
        ("disbursed", _("Loans disbursed"), True),
        ("amount_disbursed", _("Amount disbursed (Rp)"), True),
    ]


def financing_table(scope: Scope) -> Table:
    """P7 by product, and all products: applications, the banks' outcomes, the money, and the
    median days from application to disbursement."""
    columns = [
        ("product", _("Product"), False),
        ("bank", _("Bank"), False),
        *_financing_columns(),
        ("median_days_to_disbursement", _("Median days to disbursement"), True),
    ]
    figures = scope["financing"]
    keys = [key for key, _header, _numeric in columns[2:]]
    rows = [[row["name"], row["provider"], *(row[key] for key in keys)] for row in figures["products"]]
    rows.append([_("All products"), "", *(figures[key] for key in keys)])
    return build_table("financing", _("Financing (P7) by product"), columns, rows)


def financing_kecamatan_table(data: SnapshotData, kota: str | None) -> Table:
    columns = [("code", _("Code"), False), ("kecamatan", _("Kecamatan"), False), *_financing_columns()]
    keys = [key for key, _header, _numeric in columns[2:]]
    return build_table(
        "financing_kecamatan",
        _("Financing (P7) by kecamatan"),
        columns,
        (
            [row["code"], row["name"], *(row["financing"][key] for key in keys)]
            for row in data["kecamatan"]
            if kota is None or row["kota"] == kota
        ),
    )
