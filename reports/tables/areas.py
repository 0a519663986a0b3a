"""Tables of areas: the kota and kecamatan compared with their part of the target, the centres
and their activities, one kecamatan's funnel, and the targets of a scope."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.snapshot import (
    ALL,
    AREA_COUNT_KEYS,
    KecamatanRow,
    SnapshotData,
    TargetProgress,
    percent,
)
from reports.tables.base import (
    Column,
    Table,
    behind_label,
    build_table,
    facility_label,
    short_kota,
    with_drill,
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


def kota_table(data: SnapshotData) -> Table:
    province_total = data["scopes"][ALL]["totals"]["registered"]
    return with_drill(
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


def kecamatan_table(data: SnapshotData, kota: str | None) -> Table:
    """The kecamatan compared: registrations, their part of the target, the funnel P2–P7
    (reached, as a share of the kecamatan's registered entrepreneurs)."""
    kota_names = {row["code"]: row["name"] for row in data["kota"]}
    facilities = [code for code in FUNNEL_COLUMNS if any(f["code"] == code for f in data["facilities"])]

    def reached_percent(row: KecamatanRow, code: str) -> float | None:
        reached = next((item["reached"] for item in row["funnel"] if item["code"] == code), 0)
        return percent(reached, row["registered"])

    rows = [row for row in data["kecamatan"] if kota is None or row["kota"] == kota]
    return with_drill(
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
    return with_drill(
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


def targets_table(data: SnapshotData, kota: str | None) -> Table:
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
