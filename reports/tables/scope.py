"""Tables of one scope's registrations (all of Jakarta or a kota): per month, the facility
funnel, the breakdowns and the verification status."""

from __future__ import annotations

from django.utils.translation import gettext as _

from registrations.models import Entrepreneur
from reports.snapshot import (
    BREAKDOWN_KINDS,
    Scope,
    SnapshotData,
    percent,
)
from reports.tables.base import (
    Column,
    Table,
    breakdown_label,
    build_table,
    facility_label,
)


def months_table(data: SnapshotData, scope: Scope) -> Table:
    return build_table(
        "months",
        _("Registrations per month"),
        [("month", _("Month"), False), ("new", _("New registrations"), True), ("cumulative", _("Cumulative"), True)],
        (list(row) for row in zip(data["months"], scope["new"], scope["cumulative"], strict=True)),
    )


def funnel_table(data: SnapshotData, scope: Scope) -> Table:
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


def breakdown_tables(scope: Scope) -> dict[str, Table]:
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


def status_table(scope: Scope) -> Table:
    return build_table(
        "status",
        _("Verification status"),
        [("status", _("Status"), False), ("entrepreneurs", _("Entrepreneurs"), True)],
        ([str(Entrepreneur.Status(key).label), scope["totals"][key]] for key in ("submitted", "verified", "rejected")),
    )
