"""Import of legacy OK OCE / spreadsheet records (CSV or XLSX; layout in docs/IMPORT.md).

This package reads and validates: each row is checked with the rules every form uses
(registrations/rules.py); invalid rows are reported with their line number (the row number a
spreadsheet shows, header = 1), column and error code. Valid rows are handed in batches to the
bulk service (services.entrepreneurs_import_batch), which writes them with their history and
status log.

An import is all-or-nothing: every batch is written in ONE transaction, which is committed
only when the whole file was read and no row was refused. A dry run takes exactly the same
path and rolls back at the end, so its verdict (errors and counts) is the real run's.

By subject (callers import the package: `from registrations import imports`):

- files.py: the layout (COLUMNS, REQUIRED), the file's type by content (`check_file_type`),
  its rows as text (`read_rows`), `ImportFileError`;
- rows.py: one row checked with the rules (`RowValidator`);
- report.py: what the import reports (`RowError`, `ImportResult` and its error CSV);
- run.py: `import_entrepreneurs`, all or nothing, one import at a time.
"""

from registrations.imports.files import (
    COLUMNS,
    REQUIRED,
    SIGNATURES,
    TEXT,
    XLSX,
    ImportFileError,
    check_file_type,
    read_rows,
)
from registrations.imports.report import ImportResult, RowError
from registrations.imports.rows import (
    EMPTY_ROW,
    FACILITY_CODES,
    GENDER_ALIASES,
    NOT_UTF8_MESSAGE,
    SHORT_LINE_MESSAGE,
    TRACK_ALIASES,
    RowValidator,
)
from registrations.imports.run import ADVISORY_LOCK_KEY, DEFAULT_BATCH_SIZE, import_entrepreneurs

__all__ = [
    "ADVISORY_LOCK_KEY",
    "COLUMNS",
    "DEFAULT_BATCH_SIZE",
    "EMPTY_ROW",
    "FACILITY_CODES",
    "GENDER_ALIASES",
    "NOT_UTF8_MESSAGE",
    "REQUIRED",
    "SHORT_LINE_MESSAGE",
    "SIGNATURES",
    "TEXT",
    "TRACK_ALIASES",
    "XLSX",
    "ImportFileError",
    "ImportResult",
    "RowError",
    "RowValidator",
    "check_file_type",
    "import_entrepreneurs",
    "read_rows",
]
