"""Import of legacy OK OCE / spreadsheet records (CSV or XLSX; layout in docs/IMPORT.md).

This module reads and validates: each row is checked with the rules every form uses
(registrations/rules.py); invalid rows are reported with their line number (the row number a
spreadsheet shows, header = 1), column and error code. Valid rows are handed in batches to the
bulk service (services.entrepreneurs_import_batch), which writes them with their history and
status log.

An import is all-or-nothing: every batch is written in ONE transaction, which is committed
only when the whole file was read and no row was refused. A dry run takes exactly the same
path and rolls back at the end, so its verdict (errors and counts) is the real run's.
"""

import csv
import datetime as dt
import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilities.models import Center, Kelurahan
from jakpreneur import spreadsheets
from registrations import rules, services
from registrations.models import User
from registrations.services import ImportRow

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
EMPTY_ROW = dict.fromkeys(COLUMNS, "")
FACILITY_CODES = {f"P{n}" for n in range(1, 8)}
DEFAULT_BATCH_SIZE = 2000
GENDER_ALIASES = {"l": "L", "laki-laki": "L", "laki laki": "L", "m": "L", "p": "P", "perempuan": "P", "f": "P"}
TRACK_ALIASES = {"pemula": "pemula", "naik_kelas": "naik_kelas", "naik kelas": "naik_kelas", "": "pemula"}
# One import writes at a time (PostgreSQL advisory lock, held until the import's transaction
# ends): two files naming the same NIK then never race on the unique index.
ADVISORY_LOCK_KEY = 7_318_240_013

logger = logging.getLogger(__name__)

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


@dataclass
class RowError:
    line: int
    nik: str
    field: str
    message: str
    code: str = ""  # the rule's code, e.g. "nik_format" (registrations/rules.py)


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False  # committed: a real run without a single refused row

    @property
    def valid(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def rejected_lines(self) -> int:
        return len({e.line for e in self.errors})

    def error_report_csv(self) -> str:
        buffer = io.StringIO()
        writer = spreadsheets.csv_writer(buffer)  # the values echoed may be formula-like
        writer.writerow(["line", "nik", "field", "error"])
        for error in self.errors:
            writer.writerow([error.line, error.nik, error.field, error.message])
        return buffer.getvalue()


# --- reading ---------------------------------------------------------------------------------


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


# --- validation ------------------------------------------------------------------------------


def _parse_date(value: str) -> dt.date:
    if len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValidationError(_("Enter the date as YYYY-MM-DD."), code="invalid")


class RowValidator:
    """Validates one row at a time with the rules of registrations/rules.py, as the forms do
    (each column on its own, then the NIK against a valid birth date and gender); keeps the
    small lookups (kelurahan → kecamatan and centre) in memory for the whole file.

    What is the importer's own is reading a spreadsheet: more date formats, the legacy words
    for gender and track (`laki-laki`, `naik kelas`), codes in any case, and defaults for
    the optional columns (track pemula, registration date today)."""

    def __init__(self, *, allowed_kecamatan: frozenset[str] | None = None, today: dt.date | None = None):
        centers = dict(Center.objects.values_list("kecamatan_id", "id"))
        self.kelurahan = {
            code: (kec, centers.get(kec)) for code, kec in Kelurahan.objects.values_list("code", "kecamatan_id")
        }
        self.allowed_kecamatan = allowed_kecamatan
        self.today = today or timezone.localdate()
        self.tz = timezone.get_current_timezone()

    def clean(self, line: int, raw: dict[str, str], cut: bool = False) -> ImportRow | list[RowError]:
        raw = {**EMPTY_ROW, **raw}
        check = rules.Checker()
        for name in COLUMNS:
            if not raw[name].isascii() and not _is_utf8(raw[name]):
                check.errors[name] = [ValidationError(NOT_UTF8_MESSAGE, code="not_utf8")]
                raw[name] = ""  # reported once, as bytes; its other rules would only echo that
        for name in REQUIRED:
            if not raw[name] and name not in check.errors:
                check.errors[name] = [ValidationError(_("This column is required."), code="required")]
        today = self.today
        registered_date = check("registered_date", self._registered_date, raw["registered_date"])
        region = check("kelurahan_code", self._region, raw["kelurahan_code"])
        legacy_id = check("legacy_id", rules.clean_legacy_id, raw["legacy_id"])
        facilities = check("facilities_completed", _facility_codes, raw["facilities_completed"])
        # The spreadsheet's words and formats, read into the values the rules take.
        values = raw | {
            "birth_date": check("birth_date", _parse_date, raw["birth_date"]),
            "gender": GENDER_ALIASES.get(raw["gender"].lower(), raw["gender"]),
            "track": TRACK_ALIASES.get(raw["track"].lower(), raw["track"]),
            "sector": raw["sector"].lower(),
            "turnover_band": raw["turnover_band"].lower(),
        }
        kecamatan_id, center_id = region or (None, None)
        row = ImportRow.checked(
            check,
            person=values,
            business=values if any(raw[name] for name in rules.BUSINESS_RULES) else None,
            on=registered_date or today,
            today=today,
            line=line,
            legacy_id=legacy_id or None,
            kelurahan_id=raw["kelurahan_code"],
            kecamatan_id=kecamatan_id,
            home_center_id=center_id,
            facilities=facilities,
            registered_at=dt.datetime.combine(registered_date, dt.time(9, 0), tzinfo=self.tz)
            if registered_date
            else None,
        )
        nik = "".join(raw["nik"].split())
        cut_short = [RowError(line, nik, "", str(SHORT_LINE_MESSAGE), "short_line")] if cut else []
        if row is not None and not cut:
            return row
        return cut_short + [
            RowError(line, nik, name, " ".join(error), error.code)
            for name, errors in check.errors.items()
            for error in errors
        ]

    def _registered_date(self, value: str) -> dt.date | None:
        if not value:
            return None
        registered = _parse_date(value)
        if registered > self.today:
            raise ValidationError(_("The registration date is in the future."), code="future_date")
        return registered

    def _region(self, code: str) -> tuple[str, int]:
        region = self.kelurahan.get(code)
        if region is None:
            raise ValidationError(
                _("Unknown kelurahan code (use the Kemendagri code, e.g. 31.71.01.1001)."), code="invalid_choice"
            )
        if region[1] is None:
            raise ValidationError(_("There is no JakPreneur centre for this kecamatan yet."), code="no_center")
        if self.allowed_kecamatan is not None and region[0] not in self.allowed_kecamatan:
            raise ValidationError(_("This kelurahan is outside the kecamatan you manage."), code="out_of_scope")
        return region


NOT_UTF8_MESSAGE = gettext_lazy(
    "This cell holds bytes that are not UTF-8 text (the file was saved in another encoding, or "
    "is damaged). Save the file as CSV UTF-8 and upload it again."
)
SHORT_LINE_MESSAGE = gettext_lazy(
    "This line has fewer cells than the header: the file is cut off or the line is broken."
)


def _is_utf8(text: str) -> bool:
    """False when the text holds the surrogates surrogateescape made of bytes that are not
    UTF-8 (encoding to UTF-8 refuses exactly those)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _facility_codes(value: str) -> list[str]:
    codes = []
    for code in value.replace(",", ";").split(";"):
        code = code.strip().upper()
        if not code:
            continue
        if code not in FACILITY_CODES:
            raise ValidationError(
                _("Unknown facility %(code)s (use P1 to P7)."), code="invalid_choice", params={"code": code}
            )
        if code not in codes:
            codes.append(code)
    return codes


# --- the import: read, validate, hand each batch to the bulk service, all in one transaction ---


class _Discard(Exception):
    """Leaves the import's transaction without committing it (a dry run, or a refused row)."""


def import_entrepreneurs(
    *,
    file,
    filename: str,
    actor: User | None = None,
    dry_run: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    allowed_kecamatan: frozenset[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate and import a legacy file, all or nothing; returns counts and per-line errors.

    Every batch goes to the bulk service inside ONE transaction, committed only when the
    file was read to its end without a refused row (`result.written`); otherwise, and in a
    dry run, it is rolled back. A dry run thus does exactly what the real run does and says
    what it would write. After the first refused row the remaining batches are only checked
    (counted, nothing written), in both runs alike. `allowed_kecamatan` (None = all) refuses
    rows of other kecamatan. Raises ImportFileError (nothing written) for a file that cannot
    be read. Called inside a transaction, this one is a savepoint of it.
    """
    result = ImportResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            _one_import_at_a_time()
            _import(file, filename, result, actor, batch_size, allowed_kecamatan, progress)
            if dry_run or result.errors:
                raise _Discard
    except _Discard:
        return result
    result.written = True
    return result


def _one_import_at_a_time() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def _import(file, filename, result, actor, batch_size, allowed_kecamatan, progress) -> None:
    validator = RowValidator(allowed_kecamatan=allowed_kecamatan)
    seen_niks: dict[str, int] = {}
    seen_legacy: dict[str, int] = {}
    batch: list[ImportRow] = []
    for line, raw, cut in read_rows(file, filename):
        result.total += 1
        cleaned = validator.clean(line, raw, cut)
        if isinstance(cleaned, list):
            result.errors.extend(cleaned)
        elif cleaned.nik in seen_niks:
            result.errors.append(
                RowError(
                    line,
                    cleaned.nik,
                    "nik",
                    _("Same NIK as line %(line)s.") % {"line": seen_niks[cleaned.nik]},
                    "duplicate_nik",
                )
            )
        elif cleaned.legacy_id and cleaned.legacy_id in seen_legacy:
            result.errors.append(
                RowError(
                    line,
                    cleaned.nik,
                    "legacy_id",
                    _("Same legacy id as line %(line)s.") % {"line": seen_legacy[cleaned.legacy_id]},
                    "duplicate_legacy_id",
                )
            )
        else:
            seen_niks[cleaned.nik] = line
            if cleaned.legacy_id:
                seen_legacy[cleaned.legacy_id] = line
            batch.append(cleaned)
        if len(batch) >= batch_size:
            _write(batch, result=result, actor=actor)
            batch = []
            if progress:
                progress(result.total)
    if batch:
        _write(batch, result=result, actor=actor)
    if result.total == 0:
        raise ImportFileError(_("The file has a header but no rows to import."))
    if progress:
        progress(result.total)
    result.errors.sort(key=lambda e: e.line)


def _write(rows: list[ImportRow], *, result: ImportResult, actor: User | None) -> None:
    """Write a batch, or once a row was refused only check and count it: the transaction
    will be rolled back, and the report still lists every refusal the file holds."""
    try:
        outcome = services.entrepreneurs_import_batch(rows=rows, actor=actor, dry_run=bool(result.errors))
    except (DatabaseError, ValueError):
        # The rules should leave nothing for the database to refuse; should it refuse a value
        # anyway, the batch (a savepoint) is undone and the report says where, not a 500.
        logger.exception("The database refused an import batch (lines %s-%s)", rows[0].line, rows[-1].line)
        result.errors.append(
            RowError(
                rows[0].line,
                "",
                "",
                _("The database refused a value on lines %(first)s to %(last)s.")
                % {"first": rows[0].line, "last": rows[-1].line},
                "database_refused",
            )
        )
        return
    result.created += outcome.created
    result.updated += outcome.updated
    result.unchanged += outcome.unchanged
    result.errors.extend(RowError(row.line, row.nik, name, text, code) for row, name, code, text in outcome.refused)
