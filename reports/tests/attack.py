"""What an attacker does with the portal's public figures: collect every published number,
write down every relation between them, and try to recover each suppressed cell.

- `collect(client)` reads every public page that shows figures: the open data page (HTML), every
  open-data table as CSV and as JSON, and the landing page (its headline and its percentage of
  the target). A cell published as a number in any one of them is known.
- `attacker_system(published)` writes down what the attacker knows, from the meaning of the
  tables alone (not from the portal's code): registered entrepreneurs of Jakarta (the landing
  page's headline) = Σ kota = Σ months = Σ sectors; each kota = Σ its kecamatan; per facility,
  completed ≤ reached ≤ the headline; the landing page's percentage pins "achieved" (the
  registrations from the target's first month) within its rounding, and achieved = Σ those
  months. Bounds are the publication's own: "<5" is 0–4, "x" (withheld) is 5 or more, a count
  is ≥ 0.
- `subtraction_attack` recovers what single (chained) subtractions give; `lp_attack` solves the
  whole system exactly (reports/tests/lp.py): a suppressed cell whose range holds one integer
  is recovered.

A table added to open data adds its cells to `collect` automatically (every table of
/open-data/all.json) and its relations to `attacker_system`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from html.parser import HTMLParser

from reports.tests.lp import System, feasible_ranges, integer_range

SMALL, WITHHELD = "<5", "x"
HEADLINE, ACHIEVED = "landing:registered", "landing:achieved"
# The meaning of each marker, as the open data page states it: the bounds of the hidden count.
MARKER_BOUNDS = {SMALL: (0, 4), WITHHELD: (5, None)}


@dataclass
class Published:
    """Every figure the public can see: cell name → count or marker; the landing page's
    percentage of the target and the target's value (None when not shown)."""

    cells: dict[str, int | str] = field(default_factory=dict)
    kota_of: dict[str, str] = field(default_factory=dict)  # kecamatan code → kota code
    percent: Fraction | None = None
    target_value: int | None = None

    def learn(self, name: str, value: int | str, source: str) -> None:
        if isinstance(value, str) and value not in MARKER_BOUNDS:
            raise AssertionError(f"{source}: {name} published as {value!r}, neither a count nor a marker")
        known = self.cells.get(name)
        if isinstance(known, int) and isinstance(value, int):
            assert known == value, f"{source}: {name} is {value} here and {known} elsewhere"
        if known is None or isinstance(value, int):
            self.cells[name] = value


def _count(text: str) -> int | str:
    text = text.strip().replace(",", "")
    return int(text) if text.isdigit() else text


# --- collecting --------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """The cells of every <table id="table-SLUG"> of a page, as text, row by row."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._slug = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (attrs.get("id") or "").startswith("table-"):
            self._slug = attrs["id"].removeprefix("table-")
            self.tables[self._slug] = []
        elif tag == "tr" and self._slug:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._slug].append(self._row)
            self._row = None
        elif tag == "table":
            self._slug = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def collect(client) -> Published:
    """Every published figure, from every public format (the client browses in English)."""
    published = Published()
    payload = client.get("/open-data/all.json").json()
    columns = {}
    for slug, records in payload["tables"].items():
        # A new table must say which of its columns are counts, and add its relations below.
        assert slug in NUMERIC_COLUMNS, f"the attacker does not know the open data table {slug!r} yet"
        columns[slug] = list(records[0]) if records else []
        for record in records:
            row, *_rest = record.values()
            for key, value in record.items():
                if key in NUMERIC_COLUMNS[slug]:
                    published.learn(f"{slug}:{row}:{key}", value, f"{slug}.json")
                else:
                    assert not isinstance(value, int | float), f"{slug}.{key} publishes numbers the attacker ignores"
        csv_text = client.get(f"/open-data/{slug}.csv").content.decode("utf-8-sig")
        for row in list(csv.reader(io.StringIO(csv_text)))[1:]:
            for key, text in zip(columns[slug], row, strict=True):
                if key in NUMERIC_COLUMNS.get(slug, ()):
                    published.learn(f"{slug}:{row[0]}:{key}", _count(text), f"{slug}.csv")
    page = _Tables()
    page.feed(client.get("/open-data/").content.decode())
    for slug, rows in page.tables.items():
        for row in rows[1:]:
            if len(row) != len(columns[slug]):
                continue  # "No data."
            for key, text in zip(columns[slug], row, strict=True):
                if key in NUMERIC_COLUMNS.get(slug, ()):
                    published.learn(f"{slug}:{row[0]}:{key}", _count(text), "open data page")
    kota_code = {record["kota"]: record["code"] for record in payload["tables"]["kota"]}
    published.kota_of = {record["code"]: kota_code[record["kota"]] for record in payload["tables"]["kecamatan"]}
    _collect_landing(client.get("/").content.decode(), published)
    return published


# The count columns of each open-data table; the first column of a row names it.
NUMERIC_COLUMNS = {
    "kota": ("registered",),
    "kecamatan": ("registered",),
    "month": ("new_registrations",),
    "facility": ("reached", "completed"),
    "sector": ("entrepreneurs",),
    "financing": ("applications", "disbursed"),
    "financing-products": ("applications",),  # loans disbursed are published by kecamatan only
    "naik-kelas": ("reporting", "wirausaha_baru", "naik_kelas"),
}
# The landing page's P6 totals: naik kelas and wirausaha baru add up their naik-kelas columns;
# the number who reported last month (beside the reporting rate) stands alone.
LANDING_OUTCOMES = ("naik_kelas", "wirausaha_baru")
REPORTED = "landing:reported_last_month"
# The attacker's own unknowns: figures not published but implied (never "protected" cells).
FINANCING_TOTALS = {figure: f"financing:total:{figure}" for figure in ("applications", "disbursed")}


def _collect_landing(body: str, published: Published) -> None:
    headline = re.search(r'class="progress-headline[^"]*">\s*([\d,]+)\s*<', body)
    if headline:
        published.learn(HEADLINE, int(headline.group(1).replace(",", "")), "landing page")
    for key in LANDING_OUTCOMES:
        found = re.search(rf'data-public="{key}">\s*([\d,]+)\s*<', body)
        if found:
            published.learn(f"landing:{key}", int(found.group(1).replace(",", "")), "landing page")
    reported = re.search(r"\(([\d,]+) reported\)", body)
    if reported:
        published.learn(REPORTED, int(reported.group(1).replace(",", "")), "landing page")
    share = re.search(r"([\d.]+)% of the target of ([\d,]+)", body)
    if share:
        published.percent = Fraction(share.group(1))
        published.target_value = int(share.group(2).replace(",", ""))


# --- the attacker's knowledge ------------------------------------------------------------------


@dataclass
class Knowledge:
    """Known counts, and every relation: Σ coefficient·cell = 0 (equations) or ≤ 0."""

    known: dict[str, int]
    bounds: dict[str, tuple[int, int | None]]  # the unknowns
    equations: list[dict[str, int]]
    inequalities: list[dict[str, int]]

    def value(self, name: str) -> int | None:
        return self.known.get(name)


def attacker_system(published: Published, *, achieved_from: str | None = None) -> Knowledge:
    """`achieved_from`: the first month ("YYYY-MM") the headline target counts, when it starts
    after the first published month (the target's period is public: it is in the RPJMD)."""
    cells = dict(published.cells)
    cells.setdefault(HEADLINE, None)
    for name in (*(f"landing:{key}" for key in LANDING_OUTCOMES), REPORTED):
        cells.setdefault(name, None)
    known = {name: value for name, value in cells.items() if isinstance(value, int)}
    bounds = {name: MARKER_BOUNDS.get(value, (0, None)) for name, value in cells.items() if not isinstance(value, int)}

    def column(slug: str, key: str) -> list[str]:
        return [name for name in cells if name.startswith(f"{slug}:") and name.endswith(f":{key}")]

    def whole_is_sum(whole: str, parts: list[str]) -> dict[str, int]:
        relation = {whole: 1}
        for part in parts:
            relation[part] = relation.get(part, 0) - 1
        return relation

    months = sorted(column("month", "new_registrations"))
    equations = [
        whole_is_sum(HEADLINE, column("kota", "registered")),
        whole_is_sum(HEADLINE, months),
        whole_is_sum(HEADLINE, column("sector", "entrepreneurs")),
    ]
    for kota in column("kota", "registered"):
        code = kota.split(":")[1]
        parts = [f"kecamatan:{kecamatan}:registered" for kecamatan, of in published.kota_of.items() if of == code]
        equations.append(whole_is_sum(kota, parts))
    for figure, total in FINANCING_TOTALS.items():
        # Jakarta's P7 total is not shown; both tables add up to it (and it is at most the headline).
        bounds[total] = (0, None)
        equations.append(whole_is_sum(total, column("financing", figure)))
        if column("financing-products", figure):
            equations.append(whole_is_sum(total, column("financing-products", figure)))
    inequalities = []
    for kecamatan_disbursed in column("financing", "disbursed"):
        inequalities.append({kecamatan_disbursed: 1, kecamatan_disbursed.replace(":disbursed", ":applications"): -1})
    for product_disbursed in column("financing-products", "disbursed"):
        inequalities.append({product_disbursed: 1, product_disbursed.replace(":disbursed", ":applications"): -1})
    for reached in column("facility", "reached"):
        completed = reached.replace(":reached", ":completed")
        inequalities += [{completed: 1, reached: -1}, {reached: 1, HEADLINE: -1}]
    # Monthly reports (naik-kelas): per kecamatan, wirausaha baru and naik kelas ≤ reporting
    # ≤ registered; the landing page's totals of two columns; reported last month ≤ registered.
    for key in LANDING_OUTCOMES:
        equations.append(whole_is_sum(f"landing:{key}", column("naik-kelas", key)))
    inequalities.append({REPORTED: 1, HEADLINE: -1})
    inequalities.append({REPORTED: 1, **dict.fromkeys(column("naik-kelas", "reporting"), -1)})
    for reporting in column("naik-kelas", "reporting"):
        code = reporting.split(":")[1]
        inequalities += [
            {f"naik-kelas:{code}:wirausaha_baru": 1, reporting: -1},
            {f"naik-kelas:{code}:naik_kelas": 1, reporting: -1},
            {reporting: 1, f"kecamatan:{code}:registered": -1},
        ]
    if published.percent is not None:
        # percent = round(100 · achieved / value, 1): achieved lies in a window of the rounding.
        low = math.ceil((published.percent - Fraction(1, 20)) * published.target_value / 100)
        high = math.floor((published.percent + Fraction(1, 20)) * published.target_value / 100)
        bounds[ACHIEVED] = (max(low, 0), high)
        counted = [name for name in months if achieved_from is None or name.split(":")[1] >= achieved_from]
        equations.append(whole_is_sum(ACHIEVED, counted))
    return Knowledge(known, bounds, equations, inequalities)


def protected_cells(knowledge: Knowledge) -> list[str]:
    """The cells the publication hides: every unknown but the attacker's own helpers."""
    return [name for name in knowledge.bounds if name != ACHIEVED and name not in FINANCING_TOTALS.values()]


# --- the attacks -------------------------------------------------------------------------------


def subtraction_attack(knowledge: Knowledge) -> dict[str, int]:
    """Chained single subtractions: a relation with one unknown left gives it away."""
    known, recovered = dict(knowledge.known), {}
    progress = True
    while progress:
        progress = False
        for relation in knowledge.equations:
            unknown = [name for name in relation if name not in known]
            if len(unknown) == 1:
                (name,) = unknown
                value = -sum(coefficient * known[other] for other, coefficient in relation.items() if other != name)
                known[name] = recovered[name] = value // relation[name]
                progress = True
    return {name: value for name, value in recovered.items() if name in protected_cells(knowledge)}


def lp_attack(knowledge: Knowledge) -> dict[str, tuple[int, int | None]]:
    """The exact integer range of every hidden cell given everything published."""
    system = System()
    for name, (low, high) in knowledge.bounds.items():
        system.unknown(name, low, high)

    def add(relation: dict[str, int], slack: str | None) -> None:
        constant = sum(
            coefficient * knowledge.known[name] for name, coefficient in relation.items() if name in knowledge.known
        )
        unknown = {name: coefficient for name, coefficient in relation.items() if name not in knowledge.known}
        if not unknown:
            assert (constant == 0) if slack is None else (constant <= 0), relation
            return
        if slack is not None:
            system.unknown(slack, 0, None)
            unknown[slack] = 1
        system.equation(unknown, -constant)

    for relation in knowledge.equations:
        add(relation, None)
    for number, relation in enumerate(knowledge.inequalities):
        add(relation, f"slack:{number}")
    ranges = feasible_ranges(system)
    return {name: integer_range(ranges[name]) for name in protected_cells(knowledge)}


def recovered(ranges: dict[str, tuple[int, int | None]]) -> dict[str, int]:
    return {name: low for name, (low, high) in ranges.items() if low == high}


# --- the truth, to check the attacker's model ---------------------------------------------------


def true_values(data: dict, *, achieved_from: str | None = None) -> dict[str, int]:
    """The value of every cell the attacker names, from the stored snapshot's raw figures."""
    scope = data["scopes"]["all"]
    values = {HEADLINE: scope["totals"]["registered"]}
    values |= {f"kota:{row['code']}:registered": row["registered"] for row in data["kota"]}
    values |= {f"kecamatan:{row['code']}:registered": row["registered"] for row in data["kecamatan"]}
    values |= {f"month:{month}:new_registrations": new for month, new in zip(data["months"], scope["new"], strict=True)}
    values |= {f"sector:{item['key']}:entrepreneurs": item["count"] for item in scope["breakdowns"]["sector"]}
    for row in scope["funnel"]:
        values[f"facility:{row['code']}:reached"] = row["reached"]
        values[f"facility:{row['code']}:completed"] = row["completed"]
    financing = scope["financing"]
    for figure, total in FINANCING_TOTALS.items():
        values[total] = financing[figure]
        values |= {f"financing:{row['code']}:{figure}": row["financing"][figure] for row in data["kecamatan"]}
        values |= {f"financing-products:{row['id']}:{figure}": row[figure] for row in financing["products"]}
    for row in data["kecamatan"]:
        for key in NUMERIC_COLUMNS["naik-kelas"]:
            values[f"naik-kelas:{row['code']}:{key}"] = row["outcomes"][key]
    for key in LANDING_OUTCOMES:
        values[f"landing:{key}"] = scope["outcomes"][key]
    values[REPORTED] = scope["outcomes"]["reported_last_month"]
    values[ACHIEVED] = sum(
        new
        for month, new in zip(data["months"], scope["new"], strict=True)
        if achieved_from is None or month >= achieved_from
    )
    return values


def check_model(knowledge: Knowledge, truth: dict[str, int]) -> None:
    """The attacker's relations and bounds hold for the true values (else the attack proves nothing)."""
    for name, value in knowledge.known.items():
        assert truth[name] == value, (name, value, truth[name])
    for name, (low, high) in knowledge.bounds.items():
        assert low <= truth[name] and (high is None or truth[name] <= high), (name, truth[name], low, high)
    for relation in knowledge.equations:
        assert sum(coefficient * truth[name] for name, coefficient in relation.items()) == 0, relation
    for relation in knowledge.inequalities:
        assert sum(coefficient * truth[name] for name, coefficient in relation.items()) <= 0, relation


def attack(client, data: dict, *, achieved_from: str | None = None) -> dict[str, int]:
    """Everything an attacker recovers from the public pages; checked against the truth."""
    knowledge = attacker_system(collect(client), achieved_from=achieved_from)
    truth = true_values(data, achieved_from=achieved_from)
    check_model(knowledge, truth)
    found = subtraction_attack(knowledge) | recovered(lp_attack(knowledge))
    for name, value in found.items():
        assert truth[name] == value, (name, value, truth[name])
    return found
