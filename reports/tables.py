"""The tables built from a snapshot: the dashboard's, per scope (open data's, suppressed, are
declared in `reports.public`).

They read the declared structure (`reports.snapshot`) only, so a page costs the same whatever
the number of entrepreneurs. Each table is shown on a page and offered as CSV.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from registrations.models import Business, Entrepreneur
from reports.snapshot import (
    ALL,
    AREA_COUNT_KEYS,
    BREAKDOWN_KINDS,
    AreaShare,
    KecamatanRow,
    Scope,
    SnapshotData,
    TargetProgress,
    percent,
)


@dataclass
class Table:
    """A table shown on a page and offered as CSV/JSON: headers and rows of plain values."""

    slug: str
    title: str
    headers: list[str]
    rows: list[list]
    keys: list[str] = field(default_factory=list)  # machine names of the columns (JSON)
    numeric: set[int] = field(default_factory=set)  # indexes of numeric columns
    # Per row, the dashboard's query string one level down (kota → kecamatan → centre); the
    # first cell then links there. Empty: no drill-down.
    drill: list[str] = field(default_factory=list)

    def column(self, key: str) -> int:
        return self.keys.index(key)

    def with_rows(self, rows: list[list], drill: list[str]) -> Table:
        return Table(self.slug, self.title, self.headers, rows, self.keys, self.numeric, drill)

    def linked_rows(self) -> list[tuple[list, str]]:
        """(row, drill-down query or "") for the template."""
        return list(zip(self.rows, self.drill or [""] * len(self.rows), strict=True))

    def as_records(self) -> list[dict]:
        return [dict(zip(self.keys, row, strict=True)) for row in self.rows]


def short_kota(name: str) -> str:
    """ "Kota Administrasi Jakarta Pusat" → "Jakarta Pusat" (as Kota.short_name)."""
    return name.replace("Kota Administrasi ", "").replace("Kabupaten Administrasi ", "")


def facility_label(data: SnapshotData, code: str) -> str:
    """ "P2 Pelatihan" (or "P2 Training"), or the bare code of a facility the snapshot lacks."""
    facility = next((facility for facility in data["facilities"] if facility["code"] == code), None)
    if facility is None:
        return code
    english = (get_language() or "id").startswith("en")
    return f"{code} {facility['name_en'] if english else facility['name_id']}"


def breakdown_label(kind: str, key: str) -> str:
    choices = {
        "track": dict(Entrepreneur.Track.choices),
        "gender": dict(Entrepreneur.Gender.choices),
        "sector": {**dict(Business.Sector.choices), "none": _("No business recorded")},
        "age": {},
    }[kind]
    return str(choices.get(key, key))


def _targets_for(data: SnapshotData, kota: str | None) -> list[TargetProgress]:
    kecamatan_kota = {row["code"]: row["kota"] for row in data["kecamatan"]}
    if kota is None:
        return data["targets"]
    return [
        target
        for target in data["targets"]
        if target["kota"] == kota or (target["kecamatan"] and kecamatan_kota.get(target["kecamatan"]) == kota)
    ]


def _scope_name(data: SnapshotData, target: TargetProgress) -> str:
    if target["kecamatan"]:
        return next((row["name"] for row in data["kecamatan"] if row["code"] == target["kecamatan"]), "")
    if target["kota"]:
        return next((row["name"] for row in data["kota"] if row["code"] == target["kota"]), "")
    return _("DKI Jakarta")


Column = tuple[str, str, bool]  # machine name (JSON), header, numeric


def build_table(slug: str, title: str, columns: list[Column], rows: Iterable[list]) -> Table:
    return Table(
        slug,
        title,
        [header for _key, header, _numeric in columns],
        list(rows),
        [key for key, _header, _numeric in columns],
        {index for index, (_key, _header, numeric) in enumerate(columns) if numeric},
    )


def _area_count_columns() -> list[Column]:
    headers = {
        "registered": _("Registered"),
        "verified": _("Verified"),
        "submitted": _("Awaiting verification"),
        "rejected": _("Rejected"),
        "last_90_days": _("Last 90 days"),
    }
    return [(key, headers[key], True) for key in AREA_COUNT_KEYS]


def _kota_table(data: SnapshotData) -> Table:
    province_total = data["scopes"][ALL]["totals"]["registered"]
    return _drill(
        [f"kota={row['code']}" for row in data["kota"]],
        build_table(
            "kota",
            _("Registrations by kota"),
            [
                ("kota", _("Kota"), False),
                *_area_count_columns(),
                ("share_percent", _("Share of Jakarta (%)"), True),
                ("target_part", _("Part of the target"), True),
                ("target_part_percent", _("Achieved of its part (%)"), True),
                ("against_part", _("Against its part"), False),
            ],
            (
                [
                    row["name"],
                    *(row[key] for key in AREA_COUNT_KEYS),
                    percent(row["registered"], province_total),
                    row["share"]["target"] if row["share"] else None,
                    row["share"]["percent"] if row["share"] else None,
                    behind_label(row["share"]),
                ]
                for row in data["kota"]
            ),
        ),
    )


# The facilities compared side by side in the kecamatan table (P1 is the registration itself).
FUNNEL_COLUMNS = ("P2", "P3", "P4", "P5", "P6", "P7")


def behind_label(share: AreaShare | None) -> str:
    if share is None:
        return ""
    return _("behind") if share["behind"] else _("on track")


def _kecamatan_table(data: SnapshotData, kota: str | None) -> Table:
    """The kecamatan compared: registrations, their part of the target, the funnel P2–P7
    (reached, as a share of the kecamatan's registered entrepreneurs)."""
    kota_names = {row["code"]: row["name"] for row in data["kota"]}
    facilities = [code for code in FUNNEL_COLUMNS if any(f["code"] == code for f in data["facilities"])]

    def reached_percent(row: KecamatanRow, code: str) -> float | None:
        reached = next((item["reached"] for item in row["funnel"] if item["code"] == code), 0)
        return percent(reached, row["registered"])

    rows = [row for row in data["kecamatan"] if kota is None or row["kota"] == kota]
    return _drill(
        [f"kecamatan={row['code']}" for row in rows],
        build_table(
            "kecamatan",
            _("Kecamatan compared"),
            [
                ("code", _("Code"), False),
                ("kecamatan", _("Kecamatan"), False),
                ("kota", _("Kota"), False),
                ("registered", _("Registered"), True),
                ("verified", _("Verified"), True),
                ("last_90_days", _("Last 90 days"), True),
                ("target_part", _("Part of the target"), True),
                ("target_part_percent", _("Achieved of its part (%)"), True),
                ("against_part", _("Against its part"), False),
                *((f"reached_{code}_percent", f"{facility_label(data, code)} (%)", True) for code in facilities),
            ],
            (
                [
                    row["code"],
                    row["name"],
                    short_kota(kota_names.get(row["kota"], "")),
                    row["registered"],
                    row["verified"],
                    row["last_90_days"],
                    row["share"]["target"] if row["share"] else None,
                    row["share"]["percent"] if row["share"] else None,
                    behind_label(row["share"]),
                    *(reached_percent(row, code) for code in facilities),
                ]
                for row in rows
            ),
        ),
    )


def _months_table(data: SnapshotData, scope: Scope) -> Table:
    return build_table(
        "months",
        _("Registrations per month"),
        [("month", _("Month"), False), ("new", _("New registrations"), True), ("cumulative", _("Cumulative"), True)],
        (list(row) for row in zip(data["months"], scope["new"], scope["cumulative"], strict=True)),
    )


def _funnel_table(data: SnapshotData, scope: Scope) -> Table:
    columns: list[Column] = [
        ("facility", _("Facility"), False),
        ("reached", _("Reached"), True),
        ("requested", _("Requested"), True),
        ("active", _("Active"), True),
        ("completed", _("Completed"), True),
        ("cancelled", _("Cancelled"), True),
        ("percent_of_registered", _("Reached (% of registered)"), True),
        ("percent_of_previous", _("Conversion from previous step (%)"), True),
    ]
    return build_table(
        "funnel",
        _("Facility funnel P1 to P7"),
        columns,
        ([facility_label(data, row["code"]), *(row[key] for key, _h, _n in columns[1:])] for row in scope["funnel"]),
    )


def _breakdown_tables(scope: Scope) -> dict[str, Table]:
    titles = {
        "track": _("Entry track"),
        "gender": _("Gender"),
        "age": _("Age band"),
        "sector": _("Business sector"),
    }
    total = scope["totals"]["registered"]
    return {
        kind: build_table(
            kind,
            titles[kind],
            [
                (kind, titles[kind], False),
                ("entrepreneurs", _("Entrepreneurs"), True),
                ("share_percent", _("Share (%)"), True),
            ],
            (
                [breakdown_label(kind, item["key"]), item["count"], percent(item["count"], total)]
                for item in scope["breakdowns"][kind]
            ),
        )
        for kind in BREAKDOWN_KINDS
    }


def _status_table(scope: Scope) -> Table:
    return build_table(
        "status",
        _("Verification status"),
        [("status", _("Status"), False), ("entrepreneurs", _("Entrepreneurs"), True)],
        ([str(Entrepreneur.Status(key).label), scope["totals"][key]] for key in ("submitted", "verified", "rejected")),
    )


def centres_table(data: SnapshotData, *, kota: str | None = None, kecamatan: str | None = None) -> Table:
    """Centres and their activities, in one kota, one kecamatan or all of Jakarta."""
    kecamatan_names = {row["code"]: row["name"] for row in data["kecamatan"]}
    rows = [
        row
        for row in data["centres"]["rows"]
        if (kota is None or row["kota"] == kota) and (kecamatan is None or row["kecamatan"] == kecamatan)
    ]
    columns: list[Column] = [
        ("centre", _("Centre"), False),
        ("kecamatan", _("Kecamatan"), False),
        ("activities", _("Activities"), True),
        ("activities_90_days", _("Activities in the last 90 days"), True),
        ("upcoming", _("Upcoming"), True),
        ("attended", _("Attendances"), True),
    ]
    return _drill(
        [f"kecamatan={row['kecamatan']}#centre-{row['id']}" for row in rows],
        build_table(
            "centres",
            _("Centres and their activities"),
            columns,
            (
                [row["name"], kecamatan_names.get(row["kecamatan"], ""), *(row[key] for key, _h, _n in columns[2:])]
                for row in rows
            ),
        ),
    )


def kecamatan_funnel_table(data: SnapshotData, row: KecamatanRow) -> Table:
    """One kecamatan's funnel P1–P7: reached and completed, as shares of its registered."""
    return build_table(
        "funnel",
        _("Facility funnel P1 to P7"),
        [
            ("facility", _("Facility"), False),
            ("reached", _("Reached"), True),
            ("completed", _("Completed"), True),
            ("percent_of_registered", _("Reached (% of registered)"), True),
        ],
        (
            [
                facility_label(data, item["code"]),
                item["reached"],
                item["completed"],
                percent(item["reached"], row["registered"]),
            ]
            for item in row["funnel"]
        ),
    )


def _drill(queries: list[str], table: Table) -> Table:
    table.drill = queries
    return table


def _targets_table(data: SnapshotData, kota: str | None) -> Table:
    return build_table(
        "targets",
        _("Targets"),
        [
            ("target", _("Target"), False),
            ("area", _("Area"), False),
            ("value", _("Target value"), True),
            ("achieved", _("Achieved"), True),
            ("percent", _("Achieved (%)"), True),
            ("reached_on", _("Reached in"), False),
            ("projected_on", _("Projected date at the 90-day rate"), False),
            ("next_milestone", _("Next milestone"), True),
            ("next_milestone_on", _("Next milestone projected"), False),
        ],
        (
            [
                target["name"],
                _scope_name(data, target),
                target["value"],
                target["achieved"],
                target["percent"],
                target["reached_on"] or ("✓" if target["reached"] else ""),
                target["projected_on"] or "",
                target["next_milestone"],
                target["next_milestone_on"] or "",
            ]
            for target in _targets_for(data, kota)
        ),
    )


def _outcomes_table(data: SnapshotData, kota: str | None) -> Table:
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


def _curation_category_table(scope: Scope) -> Table:
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


def _curation_kecamatan_table(data: SnapshotData, kota: str | None) -> Table:
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


def _financing_table(scope: Scope) -> Table:
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


def _financing_kecamatan_table(data: SnapshotData, kota: str | None) -> Table:
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


def dashboard_tables(data: SnapshotData, kota: str | None) -> dict[str, Table]:
    """Every table of the dashboard for one scope (all of Jakarta, or one kota)."""
    scope = data["scopes"][kota or ALL]
    return {
        "kota": _kota_table(data),
        "kecamatan": _kecamatan_table(data, kota),
        "months": _months_table(data, scope),
        "funnel": _funnel_table(data, scope),
        **_breakdown_tables(scope),
        "status": _status_table(scope),
        "centres": centres_table(data, kota=kota),
        "targets": _targets_table(data, kota),
        "outcomes": _outcomes_table(data, kota),
        "curation_category": _curation_category_table(scope),
        "curation_kecamatan": _curation_kecamatan_table(data, kota),
        "financing": _financing_table(scope),
        "financing_kecamatan": _financing_kecamatan_table(data, kota),
    }
