"""The mentors' monthly sheet (CSV or XLSX, one row per NIK and month): read through
jakpreneur.spreadsheets, every row checked with the report rules (growth/rules.py) and the
uploader's scope, then written all together by `services.reports_import`, or not at all.

Columns: nik, period (YYYY-MM), turnover, assets, workers. Uploading the same file again
writes nothing new; a changed figure is a correction, kept in the report's history.
"""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from growth import services
from jakpreneur import spreadsheets
from registrations.models import User
from registrations.rules import by_value, clean_nik

COLUMNS = ("nik", "period", "turnover", "assets", "workers")
MAX_ROWS = 20_000  # a month's sheet of a kecamatan; bigger files are split


class UploadFileError(Exception):
    """The file as a whole is refused (type, header, a half file, too many rows)."""


@dataclass
class UploadError:
    line: int
    nik: str
    field: str
    message: str
    code: str = ""


@dataclass
class UploadResult:
    total: int = 0
    created: int = 0
    corrected: int = 0
    unchanged: int = 0
    errors: list[UploadError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def written(self) -> bool:
        return not self.errors and not self.dry_run and bool(self.created or self.corrected)

    def error_report_csv(self) -> str:
        buffer = io.StringIO()
        writer = spreadsheets.csv_writer(buffer)  # the values echoed may be formula-like
        writer.writerow(["line", "nik", "field", "error"])
        for error in self.errors:
            writer.writerow([error.line, error.nik, error.field, error.message])
        return buffer.getvalue()


def _errors_of(line: int, nik: str, error: ValidationError) -> list[UploadError]:
    if hasattr(error, "error_dict"):
        return [
            UploadError(line, nik, name, " ".join(e.messages), e.code or "")
            for name, errors in error.error_dict.items()
            for e in errors
        ]
    return [UploadError(line, nik, "", " ".join(error.messages), error.code or "")]


def read_sheet(*, file, filename: str, actor: User, today: dt.date | None = None):
    """Validate a whole sheet: ([services.ImportedReport], [UploadError], rows read,
    services.SheetPeople). Column by column: each rule runs once per distinct cell, and the
    sheet's people are read in one query, in the uploader's scope."""
    today = today or timezone.localdate()
    try:
        lines, columns = spreadsheets.read_columns(file, filename, required=COLUMNS, max_rows=MAX_ROWS)
    except spreadsheets.SpreadsheetError as error:
        raise UploadFileError(str(error)) from None
    niks = by_value(clean_nik, columns["nik"], today=today)
    # Only the uploader's scope: a NIK outside it reads exactly like one that does not exist.
    people = services.sheet_people_of(actor=actor, niks={nik for nik in niks if isinstance(nik, str)})
    found = [people.by_nik.get(nik) if isinstance(nik, str) else None for nik in niks]
    checked = services.check_reports(
        **{
            name: [c for c, person in zip(columns[column], found, strict=True) if person]
            for name, column in (
                ("periods", "period"),
                ("turnovers", "turnover"),
                ("assets", "assets"),
                ("workers", "workers"),
            )
        },
        started_years=[person.started_year for person in found if person],
        today=today,
    )
    errors: list[UploadError] = []
    seen: dict[dt.date, dict[str, int]] = {}  # month → NIK → its first line
    rows: list[services.ImportedReport] = []
    checked_row = 0
    for line, raw_nik, nik, person in zip(lines, columns["nik"], niks, found, strict=True):
        if isinstance(nik, ValidationError):
            errors.extend(_errors_of(line, raw_nik, ValidationError({"nik": nik})))
            continue
        if person is None:
            errors.append(UploadError(line, nik, "nik", _("No one with this NIK in your caseload."), "not_in_scope"))
            continue
        period, figures = checked.months[checked_row], checked.figures[checked_row]
        checked_row += 1
        if isinstance(figures, ValidationError):
            errors.extend(_errors_of(line, nik, figures))
            continue
        first = seen.setdefault(period, {}).setdefault(nik, line)
        if first != line:
            message = _("Same NIK and month as line %(line)s.") % {"line": first}
            errors.append(UploadError(line, nik, "period", message, "duplicate_row"))
            continue
        rows.append(services.ImportedReport(line, person.id, period, figures))
    return rows, errors, len(lines), people


def upload_reports(*, file, filename: str, actor: User, dry_run: bool = False) -> UploadResult:
    """Check the whole sheet; write it only when every row is right (all or nothing)."""
    rows, errors, total, people = read_sheet(file=file, filename=filename, actor=actor)
    result = UploadResult(total=total, errors=errors, dry_run=dry_run)
    if errors:
        return result
    outcome = services.reports_import(rows=rows, people=people, actor=actor, dry_run=dry_run)
    result.created, result.corrected, result.unchanged = outcome.created, outcome.corrected, outcome.unchanged
    return result
