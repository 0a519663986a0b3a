"""Import legacy OK OCE / spreadsheet records:

    manage.py import_entrepreneurs FILE [--dry-run] [--batch-size N] [--report errors.csv]

The column layout is in docs/IMPORT.md.
"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registrations import imports


class Command(BaseCommand):
    help = "Import entrepreneurs from a legacy CSV or XLSX file (see docs/IMPORT.md)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count, write nothing.")
        parser.add_argument("--batch-size", type=int, default=imports.DEFAULT_BATCH_SIZE)
        parser.add_argument("--report", help="Write the rows that were not imported to this CSV file.")

    def handle(self, *args, file, dry_run, batch_size, report, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"No such file: {file}")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.monotonic()
        interactive = sys.stdout.isatty()

        def progress(rows: int) -> None:
            rate = rows / max(time.monotonic() - started, 1e-6)
            line = f"{rows:,} rows read ({rate:,.0f} rows/s)"
            if interactive:
                self.stdout.write(f"\r{line}", ending="")
            else:
                self.stdout.write(line)

        try:
            with source.open("rb") as handle:
                result = imports.import_entrepreneurs(
                    file=handle, filename=source.name, dry_run=dry_run, batch_size=batch_size, progress=progress
                )
        except imports.ImportFileError as error:
            raise CommandError(str(error)) from None
        if interactive:
            self.stdout.write("")
        elapsed = time.monotonic() - started
        counts = (
            f"{result.total:,} rows in {elapsed:.1f}s: {result.created:,} new, {result.updated:,} updated, "
            f"{result.unchanged:,} unchanged, {result.rejected_lines:,} rejected."
        )
        # All or nothing: say plainly whether anything was saved.
        if result.written:
            self.stdout.write(self.style.SUCCESS(f"{counts} Saved."))
        elif dry_run:
            verdict = " The real run would save nothing: correct the rows below." if result.errors else ""
            self.stdout.write(self.style.SUCCESS(f"{counts} Dry run: nothing was saved.{verdict}"))
        else:
            self.stdout.write(self.style.ERROR(f"{counts} Nothing was saved: correct the rows below and run again."))
        for error in result.errors[:20]:
            self.stdout.write(f"  line {error.line}: {error.field}: {error.message}")
        if len(result.errors) > 20:
            self.stdout.write(f"  … {len(result.errors) - 20} more errors" + ("" if report else " (use --report FILE)"))
        if report:
            Path(report).write_text(result.error_report_csv(), encoding="utf-8")
            self.stdout.write(f"Error report written to {report}.")
