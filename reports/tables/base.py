"""The table every page and download shows (`Table`), how one is built from columns, and the
labels tables share (kota names, facilities, breakdown keys, "behind")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from registrations.models import Business, Entrepreneur
from reports.snapshot import (
    AreaShare,
    SnapshotData,
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


def with_drill(queries: list[str], table: Table) -> Table:
    table.drill = queries
    return table


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


def behind_label(share: AreaShare | None) -> str:
    if share is None:
        return ""
    return _("behind") if share["behind"] else _("on track")
