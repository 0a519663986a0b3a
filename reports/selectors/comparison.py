"""The dashboard's kecamatan table: its filters and order from the query string
(`TableQuery`), applied to the table, and its lines as the template draws them."""

from __future__ import annotations

from dataclasses import dataclass

from reports.selectors.snapshots import kota_choices
from reports.snapshot import (
    SnapshotData,
)
from reports.tables import (
    Table,
)

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
