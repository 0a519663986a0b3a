"""The import itself: read, validate, and hand each batch of valid rows to the bulk service
(services.entrepreneurs_import_batch), all in ONE transaction, committed only when no row was
refused; a dry run takes the same path and rolls back."""

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from registrations import services
from registrations.imports.files import ImportFileError, read_rows
from registrations.imports.report import ImportResult, RowError
from registrations.imports.rows import RowValidator
from registrations.models import User
from registrations.services import ImportRow

DEFAULT_BATCH_SIZE = 2000
# One import writes at a time (PostgreSQL advisory lock, held until the import's transaction
# ends): two files naming the same NIK then never race on the unique index.
ADVISORY_LOCK_KEY = 7_318_240_013

# The name the module had before it became a package, so log settings keep finding it.
logger = logging.getLogger("registrations.imports")


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
