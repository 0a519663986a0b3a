"""Reads of targets and snapshots, and the tables and chart series built from a snapshot.

Everything below `latest_snapshot()` works on the snapshot's JSON only: the dashboard and the
open data pages cost the same whatever the number of entrepreneurs.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from registrations.models import Business, Entrepreneur
from reports.models import ProgressSnapshot, Target

ALL = "all"
SUPPRESS_BELOW = 5
PROJECTION_MONTHS = 12


def latest_snapshot() -> ProgressSnapshot | None:
    return ProgressSnapshot.objects.latest_first().first()


def rpjmd_target() -> Target | None:
    """The province-wide registration target (the RPJMD indicator)."""
    return (
        Target.objects.active()
        .filter(metric=Target.Metric.REGISTERED, kota__isnull=True, kecamatan__isnull=True)
        .order_by("-period_end")
        .first()
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

    def as_records(self) -> list[dict]:
        return [dict(zip(self.keys, row, strict=True)) for row in self.rows]


def snapshot_is_usable(snapshot: ProgressSnapshot | None) -> bool:
    return bool(snapshot and snapshot.data.get("version") == 1 and "scopes" in snapshot.data)


def snapshot_age(snapshot: ProgressSnapshot, *, now: dt.datetime | None = None) -> tuple[int, bool]:
    """Minutes since the snapshot was computed and whether that makes it stale."""
    seconds = max(((now or timezone.now()) - snapshot.computed_at).total_seconds(), 0)
    return int(seconds // 60), seconds > settings.PROGRESS_STALE_AFTER_SECONDS


def kota_choices(data: dict) -> list[tuple[str, str]]:
    return [(row["code"], row["name"]) for row in data["kota"]]


def short_kota(name: str) -> str:
    """ "Kota Administrasi Jakarta Pusat" → "Jakarta Pusat" (as Kota.short_name)."""
    return name.replace("Kota Administrasi ", "").replace("Kabupaten Administrasi ", "")


def _facility_name(facility: dict) -> str:
    english = (get_language() or "id").startswith("en")
    return f"{facility['code']} {facility['name_en'] if english else facility['name_id']}"


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def breakdown_label(kind: str, key: str) -> str:
    choices = {
        "track": dict(Entrepreneur.Track.choices),
        "gender": dict(Entrepreneur.Gender.choices),
        "sector": {**dict(Business.Sector.choices), "none": _("No business recorded")},
        "age": {},
    }[kind]
    return str(choices.get(key, key))


def _targets_for(data: dict, kota: str | None) -> list[dict]:
    kecamatan_kota = {row["code"]: row["kota"] for row in data["kecamatan"]}
    if kota is None:
        return data["targets"]
    return [
        target
        for target in data["targets"]
        if target["kota"] == kota or (target["kecamatan"] and kecamatan_kota.get(target["kecamatan"]) == kota)
    ]


def _scope_name(data: dict, target: dict) -> str:
    if target["kecamatan"]:
        return next((row["name"] for row in data["kecamatan"] if row["code"] == target["kecamatan"]), "")
    if target["kota"]:
        return next((row["name"] for row in data["kota"] if row["code"] == target["kota"]), "")
    return _("DKI Jakarta")


def headline_target(data: dict, kota: str | None) -> dict | None:
    """The registration target shown in the gauge: the kota's own, or the province's."""
    for target in data["targets"]:
        if target["metric"] == Target.Metric.REGISTERED and not target["kecamatan"] and target["kota"] == kota:
            return target
    return None


def dashboard_tables(data: dict, kota: str | None) -> dict[str, Table]:
    """Every table of the dashboard for one scope (all of Jakarta, or one kota)."""
    scope = data["scopes"][kota or ALL]
    kota_names = {row["code"]: row["name"] for row in data["kota"]}
    total = scope["totals"]["registered"]
    province_total = data["scopes"][ALL]["totals"]["registered"]
    tables: dict[str, Table] = {}
    count_headers = [_("Registered"), _("Verified"), _("Awaiting verification"), _("Rejected"), _("Last 90 days")]
    count_keys = ["registered", "verified", "submitted", "rejected", "last_90_days"]

    tables["kota"] = Table(
        "kota",
        _("Registrations by kota"),
        [_("Kota"), *count_headers, _("Share of Jakarta (%)")],
        [
            [row["name"], *(row[key] for key in count_keys), _share(row["registered"], province_total)]
            for row in data["kota"]
        ],
        ["kota", *count_keys, "share_percent"],
        {1, 2, 3, 4, 5, 6},
    )
    tables["kecamatan"] = Table(
        "kecamatan",
        _("Registrations by kecamatan"),
        [_("Code"), _("Kecamatan"), _("Kota"), *count_headers, _("Completed any facility")],
        [
            [
                row["code"],
                row["name"],
                short_kota(kota_names.get(row["kota"], "")),
                *(row[key] for key in count_keys),
                row["completed_any"],
            ]
            for row in data["kecamatan"]
            if kota is None or row["kota"] == kota
        ],
        ["code", "kecamatan", "kota", *count_keys, "completed_any_facility"],
        {3, 4, 5, 6, 7, 8},
    )
    tables["months"] = Table(
        "months",
        _("Registrations per month"),
        [_("Month"), _("New registrations"), _("Cumulative")],
        [
            [month, new, cumulative]
            for month, new, cumulative in zip(data["months"], scope["new"], scope["cumulative"], strict=True)
        ],
        ["month", "new", "cumulative"],
        {1, 2},
    )
    facilities = {facility["code"]: facility for facility in data["facilities"]}
    tables["funnel"] = Table(
        "funnel",
        _("Facility funnel P1 to P7"),
        [
            _("Facility"),
            _("Reached"),
            _("Requested"),
            _("Active"),
            _("Completed"),
            _("Cancelled"),
            _("Reached (% of registered)"),
            _("Conversion from previous step (%)"),
        ],
        [
            [
                _facility_name(facilities[row["code"]]) if row["code"] in facilities else row["code"],
                row["reached"],
                row["requested"],
                row["active"],
                row["completed"],
                row["cancelled"],
                row["percent_of_registered"],
                row["percent_of_previous"],
            ]
            for row in scope["funnel"]
        ],
        [
            "facility",
            "reached",
            "requested",
            "active",
            "completed",
            "cancelled",
            "percent_of_registered",
            "percent_of_previous",
        ],
        {1, 2, 3, 4, 5, 6, 7},
    )
    titles = {
        "track": _("Entry track"),
        "gender": _("Gender"),
        "age": _("Age band"),
        "sector": _("Business sector"),
    }
    for kind, title in titles.items():
        tables[kind] = Table(
            kind,
            title,
            [title, _("Entrepreneurs"), _("Share (%)")],
            [
                [breakdown_label(kind, item["key"]), item["count"], _share(item["count"], total)]
                for item in scope["breakdowns"][kind]
            ],
            [kind, "entrepreneurs", "share_percent"],
            {1, 2},
        )
    tables["status"] = Table(
        "status",
        _("Verification status"),
        [_("Status"), _("Entrepreneurs")],
        [[str(Entrepreneur.Status(key).label), scope["totals"][key]] for key in ("submitted", "verified", "rejected")],
        ["status", "entrepreneurs"],
        {1},
    )
    tables["centres"] = Table(
        "centres",
        _("Centres and their activities"),
        [_("Centre"), _("Activities"), _("Activities in the last 90 days"), _("Upcoming"), _("Attendances")],
        [
            [row["name"], row["activities"], row["activities_90_days"], row["upcoming"], row["attended"]]
            for row in data["centres"]["rows"]
            if kota is None or row["kota"] == kota
        ],
        ["centre", "activities", "activities_90_days", "upcoming", "attended"],
        {1, 2, 3, 4},
    )
    tables["targets"] = Table(
        "targets",
        _("Targets"),
        [
            _("Target"),
            _("Area"),
            _("Target value"),
            _("Achieved"),
            _("Achieved (%)"),
            _("Reached in"),
            _("Projected date at the 90-day rate"),
            _("Next milestone"),
            _("Next milestone projected"),
        ],
        [
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
        ],
        [
            "target",
            "area",
            "value",
            "achieved",
            "percent",
            "reached_on",
            "projected_on",
            "next_milestone",
            "next_milestone_on",
        ],
        {2, 3, 4, 7},
    )
    return tables


def _add_months(month: str, count: int) -> str:
    year, number = map(int, month.split("-"))
    number += count
    year, number = year + (number - 1) // 12, (number - 1) % 12 + 1
    return f"{year:04d}-{number:02d}"


def chart_data(data: dict, kota: str | None, tables: dict[str, Table]) -> dict:
    """Series for the charts (rendered by static/js/dashboard.js from json_script)."""
    scope = data["scopes"][kota or ALL]
    target = headline_target(data, kota)
    months = list(data["months"])
    cumulative = list(scope["cumulative"])
    rate = scope["totals"]["rate_per_day"]
    projection: list[int | None] = [None] * len(months)
    if months:
        projection[-1] = cumulative[-1]
        running = cumulative[-1]
        for step in range(1, PROJECTION_MONTHS + 1):
            month = _add_months(months[-1], step)
            year, number = map(int, month.split("-"))
            running += rate * calendar.monthrange(year, number)[1]
            months.append(month)
            cumulative.append(None)
            projection.append(round(running))
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
            "actual": cumulative,
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
            kind: {"labels": [row[0] for row in tables[kind].rows], "values": [row[1] for row in tables[kind].rows]}
            for kind in ("track", "gender", "age", "sector")
        },
    }


# --- open data ------------------------------------------------------------------------------


def suppress(value: int) -> int | str:
    """Counts below 5 are published as "<5" so that no person can be singled out."""
    return "<5" if value < SUPPRESS_BELOW else value


OPEN_DATA_TABLES = ("kota", "kecamatan", "month", "facility", "sector")


def open_data_tables(data: dict) -> dict[str, Table]:
    """The public aggregate tables, with small counts suppressed and no percentages (a share
    of a suppressed count would give it away)."""
    scope = data["scopes"][ALL]
    kota_names = {row["code"]: row["name"] for row in data["kota"]}
    facilities = {facility["code"]: facility for facility in data["facilities"]}
    return {
        "kota": Table(
            "kota",
            _("Registered entrepreneurs by kota"),
            [_("Code"), _("Kota"), _("Registered entrepreneurs")],
            [[row["code"], row["name"], suppress(row["registered"])] for row in data["kota"]],
            ["code", "kota", "registered"],
            {2},
        ),
        "kecamatan": Table(
            "kecamatan",
            _("Registered entrepreneurs by kecamatan"),
            [_("Code"), _("Kecamatan"), _("Kota"), _("Registered entrepreneurs")],
            [
                [row["code"], row["name"], kota_names.get(row["kota"], ""), suppress(row["registered"])]
                for row in data["kecamatan"]
            ],
            ["code", "kecamatan", "kota", "registered"],
            {3},
        ),
        # Only new registrations per month: a published cumulative series would let anyone
        # recover a suppressed month by subtraction.
        "month": Table(
            "month",
            _("New registrations per month"),
            [_("Month"), _("New registrations")],
            [[month, suppress(new)] for month, new in zip(data["months"], scope["new"], strict=True)],
            ["month", "new_registrations"],
            {1},
        ),
        "facility": Table(
            "facility",
            _("Entrepreneurs per facility"),
            [_("Code"), _("Facility"), _("Reached"), _("Completed")],
            [
                [
                    row["code"],
                    _facility_name(facilities[row["code"]]) if row["code"] in facilities else row["code"],
                    suppress(row["reached"]),
                    suppress(row["completed"]),
                ]
                for row in scope["funnel"]
            ],
            ["code", "facility", "reached", "completed"],
            {2, 3},
        ),
        "sector": Table(
            "sector",
            _("Entrepreneurs by business sector"),
            [_("Code"), _("Sector"), _("Entrepreneurs")],
            [
                [item["key"], breakdown_label("sector", item["key"]), suppress(item["count"])]
                for item in scope["breakdowns"]["sector"]
            ],
            ["code", "sector", "entrepreneurs"],
            {2},
        ),
    }
