"""Import jobs: the admin uploads a legacy file, the worker imports it (all or nothing).

The web request only checks the file's type, stores it in private storage, writes an
ImportJob and queues `registrations.tasks.run_import_job` through the outbox
(`enqueue_on_commit`). The task calls `import_job_run`, which imports the file inside ONE
transaction and records the outcome on the job in that same transaction: the job says "done"
exactly when the rows are committed. A worker killed mid-way leaves nothing written and the
job "running" with no progress, which the page shows as stale and which can be run again.

Progress while the import's transaction is still open cannot be written to the job's row
(nobody else would see it before the commit, and a second connection would wait on the row
lock the transaction might hold). So the count of rows *checked* so far goes to the cache (the
shared Redis in production, `import_job_progress`), with the time it was written: the page
reads it while the job runs, and its age tells a live run from a dead one.
"""

import datetime as dt
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jakpreneur.celery import enqueue_on_commit
from registrations import masking
from registrations.models import ImportJob, User

logger = logging.getLogger(__name__)

IMPORT_PERMISSION = "registrations.import_entrepreneur"
# The first refusals kept on the job (the page shows 200; the downloads all of these).
IMPORT_REPORT_MAX_ERRORS = 20_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:progress"


def import_job_progress(job: ImportJob) -> tuple[int, dt.datetime | None]:
    """(rows checked, when last reported) of a running job, from the cache; the job's own
    counts and start time when the cache has nothing (or cannot be read)."""
    try:
        value = cache.get(_progress_key(job.pk))
    except Exception:  # noqa: BLE001 - progress is advisory: an unreachable cache only hides it
        value = None
    if value and value.get("attempt") == job.attempt:
        return value["rows"], dt.datetime.fromtimestamp(value["at"], tz=dt.UTC)
    return job.rows_checked, job.started_at


def import_job_is_stale(job: ImportJob, *, now: dt.datetime | None = None) -> bool:
    """A running job whose worker has reported nothing for IMPORT_STALE_AFTER_MINUTES, or that
    has run longer than the task may (its worker is gone: nothing was written)."""
    if job.status != ImportJob.Status.RUNNING or job.started_at is None:
        return False
    now = now or timezone.now()
    _rows, last = import_job_progress(job)
    silent = now - (last or job.started_at) > dt.timedelta(minutes=settings.IMPORT_STALE_AFTER_MINUTES)
    too_long = now - job.started_at > dt.timedelta(seconds=settings.IMPORT_TIME_LIMIT_SECONDS)
    return silent or too_long


def _check_may_import(actor: User | None) -> None:
    if actor is None or not actor.is_active or not actor.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied(_("You may not import entrepreneurs."))


@transaction.atomic
def import_job_create(*, upload, dry_run: bool, actor: User) -> ImportJob:
    """Check the upload's type (by its content, not its name), store it privately and queue
    its import. Raises ValidationError for a file that is not a CSV or XLSX one."""
    from registrations import imports  # the imports package uses the services package

    _check_may_import(actor)
    try:
        imports.check_file_type(upload, upload.name)
    except imports.ImportFileError as error:
        raise ValidationError({"file": str(error)}, code="file_type") from None
    job = ImportJob(filename=upload.name[:255], dry_run=dry_run, created_by=actor)
    job.file.save(upload.name, upload, save=False)
    job.save()
    enqueue_on_commit(_task(), job.pk, job.attempt)
    return job


@transaction.atomic
def import_job_rerun(*, job: ImportJob, actor: User, dry_run: bool) -> ImportJob:
    """Queue a finished, failed or stale job's file again (a dry run or the real import).
    Running the same file twice creates nobody twice: a known NIK is updated or left alone."""
    from registrations.selectors import import_jobs_visible_to

    _check_may_import(actor)
    job = import_jobs_visible_to(actor).select_for_update().filter(pk=job.pk).first()
    if job is None:
        raise PermissionDenied(_("This import job is not yours."))
    if not job.file:
        raise ValidationError(
            _(
                "The uploaded file was deleted %(days)s days after its import, as the retention rule says; "
                "upload it again."
            )
            % {"days": settings.IMPORT_FILE_RETENTION_DAYS},
            code="file_deleted",
        )
    if job.status == ImportJob.Status.QUEUED or (
        job.status == ImportJob.Status.RUNNING and not import_job_is_stale(job)
    ):
        raise ValidationError(_("This import is still queued or running."), code="busy")
    job.attempt += 1
    job.dry_run = dry_run
    job.status = ImportJob.Status.QUEUED
    _reset_outcome(job)
    job.started_at = job.finished_at = None
    job.save()
    enqueue_on_commit(_task(), job.pk, job.attempt)
    return job


def import_files_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the uploaded files of import jobs that finished (or were uploaded and never
    finished) more than IMPORT_FILE_RETENTION_DAYS ago: a legacy sheet holds many people's
    NIK, phone and address, and nothing needs it once its import is done and checked
    (docs/PRIVACY.md). The job's row stays, with its counts and masked refusals. Returns how
    many files were deleted; a file already gone from storage is counted as deleted. Running
    and queued jobs younger than the limit are left alone."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)
    old = (
        ImportJob.objects.exclude(file="")
        .filter(created_at__lt=cutoff)
        .exclude(finished_at__gte=cutoff)
        .exclude(status=ImportJob.Status.RUNNING, started_at__gte=cutoff)
    )
    deleted = 0
    storage = ImportJob._meta.get_field("file").storage
    for job_id, name in old.values_list("pk", "file").iterator():
        storage.delete(name)  # a missing file is no error (Storage.delete's contract)
        deleted += ImportJob.objects.filter(pk=job_id, file=name).update(file="")
    if deleted:
        logger.info("Import files deleted after %s days: %s", settings.IMPORT_FILE_RETENTION_DAYS, deleted)
    return deleted


def _reset_outcome(job: ImportJob) -> None:
    job.rows_checked = job.rows_created = job.rows_updated = job.rows_unchanged = 0
    job.rows_written = job.lines_refused = 0
    job.errors = []
    job.message = ""


def import_job_run(*, job_id: int, attempt: int) -> str:
    """Run one queued job (the worker's task): claim it, import its file all or nothing and
    record the outcome in the import's own transaction. Returns the job's final status, or
    "skipped" when this run is not the one queued (done already, re-queued, gone)."""
    from registrations import imports
    from registrations.selectors import kecamatan_codes_for

    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, attempt=attempt, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=now
    )
    if not claimed:
        return "skipped"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    actor = job.created_by

    def progress(rows: int) -> None:
        try:
            cache.set(
                _progress_key(job.pk),
                {"rows": rows, "at": timezone.now().timestamp(), "attempt": job.attempt},
                timeout=24 * 3600,
            )
        except Exception:  # noqa: BLE001 - progress is advisory; the import goes on
            logger.warning("Import job %s: progress not stored (cache unavailable)", job.pk)

    try:
        _check_may_import(actor)  # the uploader may have lost the right since
        with transaction.atomic(), job.file.open("rb") as handle:
            result = imports.import_entrepreneurs(
                file=handle,
                filename=job.filename,
                actor=actor,
                dry_run=job.dry_run,
                batch_size=imports.DEFAULT_BATCH_SIZE,
                allowed_kecamatan=kecamatan_codes_for(actor),
                progress=progress,
            )
            _record(job, result)
            job.save()
    except (imports.ImportFileError, PermissionDenied) as error:
        _finish_failed(job, str(error))
    except Exception:
        # Nothing was written (the import's transaction rolled back); say so, and keep the
        # details for the log, not the page.
        logger.exception("Import job %s failed", job.pk)
        _finish_failed(job, _("The import stopped on an unexpected error; nothing was written. Run it again."))
    return job.status


def _record(job: ImportJob, result) -> None:
    job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.rows_checked = result.total
    job.rows_created, job.rows_updated, job.rows_unchanged = result.created, result.updated, result.unchanged
    job.rows_written = result.created + result.updated if result.written else 0
    job.lines_refused = result.rejected_lines
    job.errors = [
        [e.line, _masked_nik(e.nik), e.field, _printable(e.message), e.code]
        for e in result.errors[:IMPORT_REPORT_MAX_ERRORS]
    ]
    job.message = ""


def _finish_failed(job: ImportJob, message: str) -> None:
    job.status = ImportJob.Status.FAILED
    job.finished_at = timezone.now()
    _reset_outcome(job)
    job.message = _printable(message)
    ImportJob.objects.filter(pk=job.pk, attempt=job.attempt).update(
        status=job.status,
        finished_at=job.finished_at,
        rows_checked=0,
        rows_created=0,
        rows_updated=0,
        rows_unchanged=0,
        rows_written=0,
        lines_refused=0,
        errors=[],
        message=job.message,
    )


def _masked_nik(nik: str) -> str:
    """The report (page and downloads) shows a NIK masked, as every admin page does
    (registrations/masking.py): the line number finds the row in the uploader's own file.
    Text that is not a run of digits is no NIK and is shown as typed (inert in spreadsheets)."""
    if nik.isdigit() and len(nik) >= 8:
        return masking.mask_nik(nik)
    return _printable(nik)


def _printable(text: str) -> str:
    """Control characters shown as \\xNN: a refused value may hold a NUL, which a JSON column
    on PostgreSQL cannot store and a page should not print."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def _task():
    from registrations.tasks import run_import_job

    return run_import_job
