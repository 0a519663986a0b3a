"""Import of legacy OK OCE / spreadsheet records (CSV or XLSX; layout in docs/IMPORT.md).

This module reads and validates: each row is checked with the rules every form uses
(registrations/rules.py); invalid rows are reported with their line number, column and
error code. Valid rows are handed in batches to the bulk service
(services.entrepreneurs_import_batch), which writes them with their history and status log.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

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


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, missing columns)."""


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

    @property
    def valid(self) -> int:
        return self.created + self.updated + self.unchanged

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


def read_rows(file, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, {column: text}) for each non-empty data row; line 1 is the header."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        yield from _read_xlsx(file)
    elif suffix == ".csv":
        yield from _read_csv(file)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))


def _check_header(header: list[str]) -> None:
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(
            _("The file has no column(s) %(columns)s. See docs/IMPORT.md for the layout.")
            % {"columns": ", ".join(missing)}
        )


def _read_csv(file) -> Iterator[tuple[int, dict[str, str]]]:
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="") if not isinstance(file, io.TextIOBase) else file
    try:
        sample = text.read(4096)
        text.seek(0)
    except UnicodeDecodeError:
        raise ImportFileError(_("The CSV file is not UTF-8 text.")) from None
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = [_header_key(h) for h in next(reader)]
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    except (UnicodeDecodeError, csv.Error):
        raise ImportFileError(_("The CSV file is not UTF-8 text.")) from None
    _check_header(header)
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            yield reader.line_num, {key: value.strip() for key, value in zip(header, values, strict=False)}
    except (UnicodeDecodeError, csv.Error) as error:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _read_xlsx(file) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a broken file
        raise ImportFileError(_("The XLSX file cannot be read.")) from None
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
            yield line, {key: _cell(value) for key, value in zip(header, values, strict=False)}
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

    def clean(self, line: int, raw: dict[str, str]) -> ImportRow | list[RowError]:
        raw = {**EMPTY_ROW, **raw}
        check = rules.Checker()
        for name in REQUIRED:
            if not raw[name]:
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
        if row is not None:
            return row
        nik = "".join(raw["nik"].split())
        return [
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


# --- the import: read, validate, hand each batch to the bulk service ---------------------------


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
    """Validate and import a legacy file; returns counts and the per-line errors.

    `allowed_kecamatan` (None = all) refuses rows of other kecamatan. With `dry_run` nothing
    is written, but created/updated/unchanged are still counted against the database.
    """
    result = ImportResult(dry_run=dry_run)
    validator = RowValidator(allowed_kecamatan=allowed_kecamatan)
    seen_niks: dict[str, int] = {}
    seen_legacy: dict[str, int] = {}
    batch: list[ImportRow] = []
    for line, raw in read_rows(file, filename):
        result.total += 1
        cleaned = validator.clean(line, raw)
        if isinstance(cleaned, list):
            result.errors.extend(cleaned)
        elif cleaned.nik in seen_niks:
            result.errors.append(
                RowError(line, cleaned.nik, "nik", _("Same NIK as line %(line)s.") % {"line": seen_niks[cleaned.nik]})
            )
        elif cleaned.legacy_id and cleaned.legacy_id in seen_legacy:
            result.errors.append(
                RowError(
                    line,
                    cleaned.nik,
                    "legacy_id",
                    _("Same legacy id as line %(line)s.") % {"line": seen_legacy[cleaned.legacy_id]},
                )
            )
        else:
            seen_niks[cleaned.nik] = line
            if cleaned.legacy_id:
                seen_legacy[cleaned.legacy_id] = line
            batch.append(cleaned)
        if len(batch) >= batch_size:
            _write(batch, result=result, actor=actor, dry_run=dry_run)
            batch = []
            if progress:
                progress(result.total)
    if batch:
        _write(batch, result=result, actor=actor, dry_run=dry_run)
    if progress:
        progress(result.total)
    result.errors.sort(key=lambda e: e.line)
    return result


def _write(rows: list[ImportRow], *, result: ImportResult, actor: User | None, dry_run: bool) -> None:
    outcome = services.entrepreneurs_import_batch(rows=rows, actor=actor, dry_run=dry_run)
    result.created += outcome.created
    result.updated += outcome.updated
    result.unchanged += outcome.unchanged
    result.errors.extend(RowError(row.line, row.nik, name, text, code) for row, name, code, text in outcome.refused)
