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

from growth import selectors, services
from jakpreneur import spreadsheets
from registrations.models import Business, User
from registrations.rules import clean_nik

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
    """Validate a whole sheet: ([services.ImportedReport], [UploadError], rows read)."""
    today = today or timezone.localdate()
    raw_rows = []
    try:
        for line, raw in spreadsheets.read_table(file, filename, required=COLUMNS):
            raw_rows.append((line, raw))
            if len(raw_rows) > MAX_ROWS:
                raise UploadFileError(_("The file has more than %(n)s rows: split it.") % {"n": MAX_ROWS})
    except spreadsheets.SpreadsheetError as error:
        raise UploadFileError(str(error)) from None

    errors: list[UploadError] = []
    niks: dict[int, str] = {}
    for line, raw in raw_rows:
        try:
            niks[line] = clean_nik(raw.get("nik", ""), today=today)
        except ValidationError as error:
            errors.extend(_errors_of(line, raw.get("nik", ""), ValidationError({"nik": error})))
    # Only the uploader's scope: a NIK outside it reads exactly like one that does not exist.
    # Plain values, not instances: a sheet can hold 20,000 people.
    in_scope = dict(
        selectors.growth_entrepreneurs_visible_to(actor)
        .filter(nik__in=sorted(set(niks.values())))
        .values_list("nik", "id")
    )
    started = dict(
        Business.objects.filter(entrepreneur__in=list(in_scope.values()), started_year__isnull=False).values_list(
            "entrepreneur_id", "started_year"
        )
    )
    seen: dict[tuple[str, dt.date], int] = {}
    rows: list[services.ImportedReport] = []
    for line, raw in raw_rows:
        nik = niks.get(line)
        if nik is None:
            continue
        entrepreneur_id = in_scope.get(nik)
        if entrepreneur_id is None:
            errors.append(UploadError(line, nik, "nik", _("No one with this NIK in your caseload."), "not_in_scope"))
            continue
        figures = services.ReportFigures(raw.get("turnover", ""), raw.get("assets", ""), raw.get("workers", ""))
        try:
            period, figures = services.check_report(
                period=raw.get("period", ""), figures=figures, started_year=started.get(entrepreneur_id), today=today
            )
        except ValidationError as error:
            errors.extend(_errors_of(line, nik, error))
            continue
        if (nik, period) in seen:
            errors.append(
                UploadError(
                    line,
                    nik,
                    "period",
                    _("Same NIK and month as line %(line)s.") % {"line": seen[(nik, period)]},
                    "duplicate_row",
                )
            )
            continue
        seen[(nik, period)] = line
        rows.append(services.ImportedReport(line=line, entrepreneur_id=entrepreneur_id, period=period, figures=figures))
    errors.sort(key=lambda e: e.line)
    return rows, errors, len(raw_rows)


def upload_reports(*, file, filename: str, actor: User, dry_run: bool = False) -> UploadResult:
    """Check the whole sheet; write it only when every row is right (all or nothing)."""
    rows, errors, total = read_sheet(file=file, filename=filename, actor=actor)
    result = UploadResult(total=total, errors=errors, dry_run=dry_run)
    if errors:
        return result
    outcome = services.reports_import(rows=rows, actor=actor, dry_run=dry_run)
    result.created, result.corrected, result.unchanged = outcome.created, outcome.corrected, outcome.unchanged
    return result
