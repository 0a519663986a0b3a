"""Reading an import file: its layout (COLUMNS, REQUIRED), its type checked by content and
name (`check_file_type`), and its rows as text (`read_rows`, CSV or XLSX). A file that cannot
be read as a whole raises `ImportFileError`; nothing is written then."""

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

COLUMNS = (
    "legacy_id",
    "nik",
    "full_name",
    "birth_date",
    "gender",
    "phone",
    "email",
    "kelurahan_code",
    "address",
    "track",
    "business_name",
    "sector",
    "nib",
    "workers",
    "turnover_band",
    "started_year",
    "facilities_completed",
    "registered_date",
)
REQUIRED = ("nik", "full_name", "birth_date", "gender", "phone", "kelurahan_code", "address")


# What a file is, from its first bytes: the name and the browser's content type can lie.
XLSX, TEXT = "xlsx", "text"
SIGNATURES = (
    (b"PK\x03\x04", XLSX),
    (b"\x89PNG", gettext_lazy("a PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"GIF8", gettext_lazy("a GIF image")),
    (b"%PDF", gettext_lazy("a PDF document")),
    (b"\xd0\xcf\x11\xe0", gettext_lazy("an old Excel (.xls) or Word file")),
    (b"\x1f\x8b", gettext_lazy("a gzip archive")),
    (b"\xff\xfe", gettext_lazy("UTF-16 text")),
    (b"\xfe\xff", gettext_lazy("UTF-16 text")),
)


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, empty, no rows, no header, missing
    columns, damaged); nothing was written."""


def _header_key(value) -> str:
    return str(value or "").strip().lower().replace(" ", "_").replace("-", "_")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_file_type(file, filename: str) -> str:
    """XLSX or TEXT, from the name's suffix AND the first bytes, which must agree (a name or a
    browser's content type can lie); raises ImportFileError saying what the file looks like."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not head:
        raise ImportFileError(_("The file is empty."))
    kind = next((kind for signature, kind in SIGNATURES if head.startswith(signature)), TEXT)
    if suffix == ".xlsx":
        if kind == TEXT:
            raise ImportFileError(_("This file is not an XLSX workbook (it looks like text: a CSV file?)."))
        if kind != XLSX:
            raise ImportFileError(_("This file is not an XLSX workbook (it looks like %(kind)s).") % {"kind": kind})
        return XLSX
    if kind == XLSX:
        raise ImportFileError(_("This file is an XLSX workbook, not a CSV file: name it .xlsx and upload it again."))
    if kind != TEXT:
        raise ImportFileError(
            _("This file is not a CSV text file (it looks like %(kind)s). Save it as CSV UTF-8 and upload it again.")
            % {"kind": kind}
        )
    return TEXT


def read_rows(file, filename: str) -> Iterator[tuple[int, dict[str, str], bool]]:
    """Yield (line, {column: text}, cut short) for each non-empty data row; line 1 is the
    header, and lines are counted as a spreadsheet counts rows (a quoted cell holding a line
    break is one row). Bytes that are not UTF-8 reach the cells as lone surrogates, for the
    validator to report on their line (see `not_utf8`)."""
    if check_file_type(file, filename) == XLSX:
        yield from _read_xlsx(file)
    else:
        yield from _read_csv(file)


def _check_header(header: list[str]) -> None:
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(
            _("The file has no column(s) %(columns)s. See docs/IMPORT.md for the layout.")
            % {"columns": ", ".join(missing)}
        )


def _read_csv(file) -> Iterator[tuple[int, dict[str, str], bool]]:
    # surrogateescape: a byte that is not UTF-8 becomes a lone surrogate in its cell instead
    # of stopping the file, so the report can name its line and column.
    text = io.TextIOWrapper(file, encoding="utf-8-sig", errors="surrogateescape", newline="")
    sample = text.read(4096)
    text.seek(0)
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(text, delimiter=delimiter)
    line = 1
    try:
        header = [_header_key(h) for h in next(reader)]
        _check_header(header)
        wanted = {i for i, name in enumerate(header) if name in COLUMNS}
        for values in reader:
            line += 1
            if not any(v.strip() for v in values):
                continue
            cut = any(i >= len(values) for i in wanted)
            yield line, {key: value.strip() for key, value in zip(header, values, strict=False)}, cut
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    except csv.Error as error:
        raise ImportFileError(
            _("Line %(line)s of the CSV file cannot be read (%(error)s).") % {"line": line + 1, "error": error}
        ) from None
    finally:
        text.detach()  # the caller owns the file


def _read_xlsx(file) -> Iterator[tuple[int, dict[str, str], bool]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a broken file
        raise ImportFileError(_("The XLSX file cannot be read: it is damaged or not a workbook.")) from None
    line = 1
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        try:
            header = [_header_key(h) for h in next(rows)]
        except StopIteration:
            raise ImportFileError(_("The file is empty.")) from None
        _check_header(header)
        for line, values in enumerate(rows, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            yield line, {key: _cell(value) for key, value in zip(header, values, strict=False)}, False
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet fails mid-way with zip, zlib or XML errors
        raise ImportFileError(
            _("The XLSX file is damaged after line %(line)s: save it again from the spreadsheet program.")
            % {"line": line}
        ) from None
    finally:
        workbook.close()
