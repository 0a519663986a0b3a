"""What an import reports: the refused rows (`RowError`: line, NIK, column, message, code)
and the counts (`ImportResult`), with the error report as a formula-safe CSV."""

import io
from dataclasses import dataclass, field

from jakpreneur import spreadsheets


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
