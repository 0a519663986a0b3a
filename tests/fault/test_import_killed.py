"""An import killed mid-way (SIGKILL of the worker, as the OOM killer or a lost machine would)
writes nothing, leaves its job "running" and then stale, and the job runs again, once, without
duplicating anybody (issue 13.3 and 13.6)."""

import datetime as dt
import signal
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from registrations import services
from registrations.models import Entrepreneur, ImportJob, StatusChange
from registrations.tests.test_import import csv_file, row
from tests.fault.processes import BASE_DIR, django_env
from tests.fault.test_worker_killed import _wait_until_backends_gone

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the killed process must share the test database, which is in memory on SQLite",
    ),
]

PEOPLE = 7
BATCH = 3

# The worker's task for one job, except that after the first batch is written (inside the
# import's transaction, before the commit) it says so and waits to be killed.
PAUSED_RUN = """
import sys, time
import django
django.setup()
from registrations import imports, services

written = services.entrepreneurs_import_batch

def first_batch_then_wait(**kwargs):
    outcome = written(**kwargs)
    print("written", outcome.created, flush=True)
    time.sleep(120)
    return outcome

services.entrepreneurs_import_batch = first_batch_then_wait
imports.DEFAULT_BATCH_SIZE = %(batch)d
from registrations.models import ImportJob
job = ImportJob.objects.get(pk=%(job)d)
print(services.import_job_run(job_id=job.pk, attempt=job.attempt))
"""


def test_a_killed_import_writes_nothing_and_runs_again_once(dina, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = csv_file([row(serial=n) for n in range(1, PEOPLE + 1)]).getvalue()
    job = ImportJob(filename="legacy.csv", created_by=dina)
    job.file.save("legacy.csv", ContentFile(content), save=False)
    job.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        before = {pid for (pid,) in cursor.fetchall()}

    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_RUN % {"job": job.pk, "batch": BATCH}],
        cwd=BASE_DIR,
        env=django_env(DJANGO_MEDIA_ROOT=str(tmp_path)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("written 3"), process.stderr.read()
        # Written but not committed: nobody else sees it; the job says it runs.
        assert not Entrepreneur.objects.exists()
        assert ImportJob.objects.get().status == "running"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    _wait_until_backends_gone(before)

    job.refresh_from_db()
    assert job.status == "running" and not Entrepreneur.objects.exists() and not StatusChange.objects.exists()
    # Silent past IMPORT_STALE_AFTER_MINUTES: stale, and it may run again.
    later = timezone.now() + dt.timedelta(minutes=settings.IMPORT_STALE_AFTER_MINUTES + 1)
    assert services.import_job_is_stale(job, now=later)
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - dt.timedelta(hours=1))
    job.refresh_from_db()
    # (Autocommit: the queued task runs eagerly right away, in this process.)
    services.import_job_rerun(job=job, actor=dina, dry_run=False)
    job.refresh_from_db()
    assert (job.status, job.attempt, job.rows_written) == ("done", 2, PEOPLE)
    assert Entrepreneur.objects.count() == PEOPLE

    # The killed attempt's message, delivered again by the broker, runs nothing.
    assert services.import_job_run(job_id=job.pk, attempt=1) == "skipped"
    # The same file again: nobody twice.
    services.import_job_rerun(job=job, actor=dina, dry_run=False)
    job.refresh_from_db()
    assert (job.status, job.rows_created, job.rows_unchanged) == ("done", 0, PEOPLE)
    assert Entrepreneur.objects.count() == PEOPLE
