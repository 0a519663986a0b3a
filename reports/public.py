"""Every figure the public sees, declared once: the open data tables and the landing page.

Each entry of PUBLIC_FIGURES is a function `(data, publication) -> [Table]` that declares its
counts with `publication.count(key, value)` (putting the returned `Figure` in its rows) and the
exact additive relations between them with `publication.sum(whole, parts)`, in terms of keys
any other declaration may use too (`registered` is Jakarta's total, the landing page's
headline; `registered@31.71` a kota; `registered@month:2024-03` a month). The functions run
twice, with the same result:
- when a snapshot is computed, `public_figures(data)` collects every declaration and lets
  `reports.disclosure.protect` decide what each cell publishes (its count, "<5" or "x"),
  across all tables at once; the answer is stored in the snapshot (`SnapshotData.public`);
- when a page is shown, `open_data_tables(data)` and `reports.landing.landing_figures(data)` lay the tables out
  again and fill each Figure from the stored answer. A page never reads a raw count, and a cell
  the stored answer lacks is shown as withheld.

A new public table (naik kelas per kecamatan, curation grades, financing) is one more function
here, added to PUBLIC_FIGURES: declare each count, declare every sum that holds between counts
the public can see (its kecamatan add up to its kota, its kota to its Jakarta total, the total
to the one on the landing page or dashboard…), and show no percentage or cumulative series
(a share of a "<5" reveals it). Two columns of one table that add up, or a table by kota × sector
beside the kota and sector totals, make cycles that `protect` refuses: see reports.disclosure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reports.disclosure import HEADLINE, SUBTOTAL, WITHHELD, Publication, protect
from reports.models import Target
from reports.snapshot import ALL, SnapshotData, TargetProgress
from reports.tables import Table, breakdown_label, build_table, facility_label

REGISTERED = "registered"  # Jakarta's total of registered entrepreneurs: the landing page's headline
# Jakarta's P6 outcome totals, on the landing page beside it (`naik_kelas_by_kecamatan`).
OUTCOME_HEADLINES = ("naik_kelas", "wirausaha_baru", "reported_last_month")


@dataclass(frozen=True)
class Figure:
    """A count's place in a public table: filled from the published answer at display time."""

    key: str


def headline_target(data: SnapshotData, kota: str | None) -> TargetProgress | None:
    """The registration target of exactly this scope (the province's, or the kota's own) with
    the latest period end: the current one when a new period's target follows a reached one."""
    candidates = [
        target
        for target in data["targets"]
        if target["metric"] == Target.Metric.REGISTERED and not target["kecamatan"] and target["kota"] == kota
    ]
    return max(candidates, key=lambda target: (target["period_end"], target["id"]), default=None)


def _total(data: SnapshotData, publication: Publication) -> str:
    return publication.count(REGISTERED, data["scopes"][ALL]["totals"]["registered"], weight=HEADLINE)


def _figure(publication: Publication, key: str, value: int, **options) -> Figure:
    return Figure(publication.count(key, value, **options))


def registrations_by_area(data: SnapshotData, publication: Publication) -> list[Table]:
    """Kota and kecamatan: Jakarta = Σ kota, each kota = Σ its kecamatan."""
    kota = {
        row["code"]: _figure(publication, f"registered@{row['code']}", row["registered"], weight=SUBTOTAL)
        for row in data["kota"]
    }
    kecamatan = {
        row["code"]: _figure(publication, f"registered@{row['code']}", row["registered"]) for row in data["kecamatan"]
    }
    publication.sum(_total(data, publication), [figure.key for figure in kota.values()])
    for code, figure in kota.items():
        publication.sum(figure.key, [kecamatan[row["code"]].key for row in data["kecamatan"] if row["kota"] == code])
    kota_names = {row["code"]: row["name"] for row in data["kota"]}
    registered = _("Registered entrepreneurs")
    return [
        build_table(
            "kota",
            _("Registered entrepreneurs by kota"),
            [("code", _("Code"), False), ("kota", _("Kota"), False), ("registered", registered, True)],
            ([row["code"], row["name"], kota[row["code"]]] for row in data["kota"]),
        ),
        build_table(
            "kecamatan",
            _("Registered entrepreneurs by kecamatan"),
            [
                ("code", _("Code"), False),
                ("kecamatan", _("Kecamatan"), False),
                ("kota", _("Kota"), False),
                ("registered", registered, True),
            ],
            (
                [row["code"], row["name"], kota_names.get(row["kota"], ""), kecamatan[row["code"]]]
                for row in data["kecamatan"]
            ),
        ),
    ]


def achieved_from(data: SnapshotData, target: TargetProgress | None) -> str | None:
    """The first month the landing page's target counts, when it starts inside the published
    months (else the target counts every month, or none yet). Public figures count whole
    months from the month of the period start, so that they add up with the month table."""
    if target is None:
        return None
    start = month_key_of(target["period_start"])
    return start if data["months"][0] < start <= data["months"][-1] else None


def month_key_of(iso_date: str) -> str:
    return iso_date[:7]


def achieved_key(target: TargetProgress) -> str:
    return f"registered@since:{month_key_of(target['period_start'])}"


def registrations_by_month(data: SnapshotData, publication: Publication) -> list[Table]:
    """New registrations per month: Jakarta = Σ months. When the landing page's target starts
    later, its achieved count splits them: Jakarta = achieved + before, each a sum of months."""
    new = data["scopes"][ALL]["new"]
    months = {
        month: _figure(publication, f"registered@month:{month}", count)
        for month, count in zip(data["months"], new, strict=True)
    }
    total = _total(data, publication)
    target = headline_target(data, None)
    start = achieved_from(data, target)
    if start is None:
        publication.sum(total, [figure.key for figure in months.values()])
    else:
        since = publication.count(
            achieved_key(target),
            sum(n for m, n in zip(data["months"], new, strict=True) if m >= start),
            weight=HEADLINE,
        )
        before = publication.count(
            f"registered@before:{start}",
            sum(n for m, n in zip(data["months"], new, strict=True) if m < start),
            shown=False,
        )
        publication.sum(total, [since, before])
        publication.sum(since, [figure.key for month, figure in months.items() if month >= start])
        publication.sum(before, [figure.key for month, figure in months.items() if month < start])
    # Only new registrations per month: a cumulative series would be the running total.
    return [
        build_table(
            "month",
            _("New registrations per month"),
            [("month", _("Month"), False), ("new_registrations", _("New registrations"), True)],
            ([month, figure] for month, figure in months.items()),
        )
    ]


def entrepreneurs_by_facility(data: SnapshotData, publication: Publication) -> list[Table]:
    """Reached and completed per facility. Not additive (one person uses several facilities,
    and completed ≤ reached is no sum), so these cells stand alone: "<5" is all they need."""
    return [
        build_table(
            "facility",
            _("Entrepreneurs per facility"),
            [
                ("code", _("Code"), False),
                ("facility", _("Facility"), False),
                ("reached", _("Reached"), True),
                ("completed", _("Completed"), True),
            ],
            (
                [
                    row["code"],
                    facility_label(data, row["code"]),
                    _figure(publication, f"reached@{row['code']}", row["reached"]),
                    _figure(publication, f"completed@{row['code']}", row["completed"]),
                ]
                for row in data["scopes"][ALL]["funnel"]
            ),
        )
    ]


def entrepreneurs_by_sector(data: SnapshotData, publication: Publication) -> list[Table]:
    """Business sectors, with "no business recorded": Jakarta = Σ sectors."""
    items = data["scopes"][ALL]["breakdowns"]["sector"]
    sectors = [_figure(publication, f"registered@sector:{item['key']}", item["count"]) for item in items]
    publication.sum(_total(data, publication), [figure.key for figure in sectors])
    return [
        build_table(
            "sector",
            _("Entrepreneurs by business sector"),
            [("code", _("Code"), False), ("sector", _("Sector"), False), ("entrepreneurs", _("Entrepreneurs"), True)],
            (
                [item["key"], breakdown_label("sector", item["key"]), figure]
                for item, figure in zip(items, sectors, strict=True)
            ),
        )
    ]


def financing_outcomes(data: SnapshotData, publication: Publication) -> list[Table]:
    """P7 applications and disbursed loans per kecamatan and per product (counts only: an
    amount would tell a small count's loans). Jakarta's totals are not shown but follow from
    either table: total = Σ kecamatan = Σ products, for applications; loans disbursed are
    published by kecamatan only. In each row loans disbursed are at most the applications
    (declared with `at_most`). Two tables of one hidden total tie their hidden cells together
    (the difference of their sums is known); with disbursed in both as well, the inequality
    summed over a row's hidden cells pinned small counts that no single cell's narrowing sees
    (found by reports/tests/test_open_data_attack_outcomes.py). With one table for disbursed,
    nothing ties its hidden total, and a disbursed count is pinned only where its applications
    are, which `protect` prevents."""
    scope = data["scopes"][ALL]["financing"]
    tables = []
    for figure in ("applications", "disbursed"):
        total = publication.count(f"financing.{figure}", scope[figure], shown=False)
        publication.sum(
            total,
            [
                publication.count(f"financing.{figure}@{row['code']}", row["financing"][figure])
                for row in data["kecamatan"]
            ],
        )
    publication.sum(
        "financing.applications",
        [
            publication.count(f"financing.applications@product:{row['id']}", row["applications"])
            for row in scope["products"]
        ],
    )
    publication.at_most("financing.disbursed", "financing.applications")
    for row in data["kecamatan"]:
        publication.at_most(f"financing.disbursed@{row['code']}", f"financing.applications@{row['code']}")
    kota_names = {row["code"]: row["name"] for row in data["kota"]}
    columns = [("applications", _("Applications"), True), ("disbursed", _("Loans disbursed"), True)]
    tables.append(
        build_table(
            "financing",
            _("Financing (P7) by kecamatan"),
            [("code", _("Code"), False), ("kecamatan", _("Kecamatan"), False), ("kota", _("Kota"), False), *columns],
            (
                [
                    row["code"],
                    row["name"],
                    kota_names.get(row["kota"], ""),
                    Figure(f"financing.applications@{row['code']}"),
                    Figure(f"financing.disbursed@{row['code']}"),
                ]
                for row in data["kecamatan"]
            ),
        )
    )
    tables.append(
        build_table(
            "financing-products",
            _("Financing (P7) by product"),
            [("id", _("Id"), False), ("product", _("Product"), False), ("bank", _("Bank"), False), columns[0]],
            (
                [
                    str(row["id"]),
                    row["name"],
                    row["provider"],
                    Figure(f"financing.applications@product:{row['id']}"),
                ]
                for row in scope["products"]
            ),
        )
    )
    return tables


def naik_kelas_by_kecamatan(data: SnapshotData, publication: Publication) -> list[Table]:
    """P6 outcomes per kecamatan: reporting entrepreneurs, wirausaha baru, naik kelas, and
    Jakarta's totals on the landing page beside the registered headline.

    - Naik kelas and wirausaha baru of Jakarta are the sums of their columns (headline
      weight: `protect` withholds table cells, not them, when a small cell needs company).
    - Reporting is at most the kecamatan's registered count, and wirausaha baru and naik kelas
      at most reporting (`at_most`), so that a kecamatan where everyone reports does not
      publish its hidden registered count as a lower bound.
    - Those who reported last month are at most Jakarta's reporting entrepreneurs (the
      column's sum, not shown itself) and its registered total."""
    rows = []
    for row in data["kecamatan"]:
        outcomes = row["outcomes"]
        code = row["code"]
        publication.at_most(f"reporting@{code}", f"registered@{code}")
        for key in ("wirausaha_baru", "naik_kelas"):
            publication.at_most(f"{key}@{code}", f"reporting@{code}")
        rows.append(
            [
                row["code"],
                row["name"],
                _figure(publication, f"reporting@{row['code']}", outcomes["reporting"]),
                _figure(publication, f"wirausaha_baru@{row['code']}", outcomes["wirausaha_baru"]),
                _figure(publication, f"naik_kelas@{row['code']}", outcomes["naik_kelas"]),
            ]
        )
    totals = data["scopes"][ALL]["outcomes"]
    codes = [row["code"] for row in data["kecamatan"]]
    for key in ("naik_kelas", "wirausaha_baru"):
        publication.sum(publication.count(key, totals[key], weight=HEADLINE), [f"{key}@{code}" for code in codes])
    reporting = publication.count("reporting", totals["reporting"], shown=False)
    publication.sum(reporting, [f"reporting@{code}" for code in codes])
    reported = publication.count("reported_last_month", totals["reported_last_month"], weight=HEADLINE)
    publication.at_most(reported, reporting)
    publication.at_most(reported, REGISTERED)
    return [
        build_table(
            "naik-kelas",
            _("Monthly reports and outcomes by kecamatan"),
            [
                ("code", _("Code"), False),
                ("kecamatan", _("Kecamatan"), False),
                ("reporting", _("Reporting entrepreneurs"), True),
                ("wirausaha_baru", _("Wirausaha baru"), True),
                ("naik_kelas", _("Naik kelas"), True),
            ],
            rows,
        )
    ]


Declaration = Callable[[SnapshotData, Publication], list[Table]]
PUBLIC_FIGURES: tuple[Declaration, ...] = (
    registrations_by_area,
    registrations_by_month,
    entrepreneurs_by_facility,
    entrepreneurs_by_sector,
    financing_outcomes,
    naik_kelas_by_kecamatan,
)


def _declare(data: SnapshotData) -> tuple[Publication, list[Table]]:
    publication = Publication()
    _total(data, publication)  # the landing page's headline, whatever the tables
    tables = [table for declare in PUBLIC_FIGURES for table in declare(data, publication)]
    return publication, tables


def public_figures(data: SnapshotData) -> dict[str, int | str]:
    """What every public cell publishes (for `SnapshotData.public`), decided across all at once."""
    publication, _tables = _declare(data)
    return protect(publication)


def _shown(data: SnapshotData, key: str) -> int | str:
    return data["public"].get(key, WITHHELD)


def open_data_tables(data: SnapshotData) -> dict[str, Table]:
    """The public tables, each count replaced by what the snapshot publishes for it."""
    _publication, tables = _declare(data)
    for table in tables:
        table.rows = [
            [_shown(data, value.key) if isinstance(value, Figure) else value for value in row] for row in table.rows
        ]
    return {table.slug: table for table in tables}
