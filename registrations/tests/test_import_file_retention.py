"""Uploaded import files hold many people's NIK, phone and address: a daily job deletes them
IMPORT_FILE_RETENTION_DAYS after their import (docs/PRIVACY.md). The job's row, counts and
masked refusals stay; a purged job cannot be run again and says why."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from outbox.models import Job
from registrations import services, tasks
from registrations.models import ImportJob
from registrations.tests.admin_fixtures import admin_url
from registrations.tests.test_import import csv_file, row
from registrations.tests.test_import_jobs import queued_and_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_FILE_RETENTION_DAYS = 30


def stored(job: ImportJob):
    return django_settings.MEDIA_ROOT / "private" / job.file.name


def age(job: ImportJob, days: int) -> None:
    then = timezone.now() - dt.timedelta(days=days)
    ImportJob.objects.filter(pk=job.pk).update(created_at=then, started_at=then, finished_at=then)


def test_a_file_past_its_retention_is_deleted_and_the_job_keeps_its_figures(
    english, dina, django_capture_on_commit_callbacks
):
    english.force_login(dina)
    job = queued_and_run(
        english, django_capture_on_commit_callbacks, csv_file([row(serial=1), row(serial=2)]).getvalue()
    )
    path = stored(job)
    assert path.is_file()
    age(job, 29)
    assert tasks.purge_import_files() == 0  # within the retention: kept
    assert path.is_file()
    age(job, 31)
    assert tasks.purge_import_files() == 1
    assert not path.exists()
    job.refresh_from_db()
    assert (job.file.name, job.status, job.rows_written, job.rows_checked) == ("", "done", 2, 2)
    assert tasks.purge_import_files() == 0  # a rerun deletes nothing twice
    page = english.get(admin_url("registrations_importjob_change", job.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert "The uploaded file was deleted 30 days after its import" in text
    assert "Import this file" not in text


def test_a_purged_job_cannot_be_run_again_and_says_why(english, dina, django_capture_on_commit_callbacks):
    english.force_login(dina)
    job = queued_and_run(english, django_capture_on_commit_callbacks, csv_file([row(serial=1)]).getvalue())
    age(job, 40)
    services.import_files_purge()
    jobs_before = Job.objects.count()
    response = english.post(admin_url("registrations_importjob_run", job.pk), {"dry_run": "0"}, follow=True)
    assert response.status_code == 200
    assert "deleted 30 days after its import" in response.content.decode()
    job.refresh_from_db()
    assert (job.attempt, job.status) == (1, "done")
    assert Job.objects.count() == jobs_before  # nothing queued


def test_a_running_job_and_a_queued_young_one_keep_their_files(dina, tmp_path):
    old = timezone.now() - dt.timedelta(days=45)
    running = ImportJob.objects.create(
        filename="a.csv",
        created_by=dina,
        file="imports/a.csv",
        status="running",
        created_at=old,
        started_at=timezone.now(),
    )
    young = ImportJob.objects.create(filename="b.csv", created_by=dina, file="imports/b.csv")
    abandoned = ImportJob.objects.create(filename="c.csv", created_by=dina, file="imports/c.csv", created_at=old)
    assert services.import_files_purge() == 1  # a file that is already gone counts as deleted
    assert ImportJob.objects.get(pk=running.pk).file.name == "imports/a.csv"
    assert ImportJob.objects.get(pk=young.pk).file.name == "imports/b.csv"
    assert ImportJob.objects.get(pk=abandoned.pk).file.name == ""


def test_the_purge_is_scheduled_daily():
    schedule = django_settings.CELERY_BEAT_SCHEDULE["purge-import-files"]
    assert schedule["task"] == "registrations.tasks.purge_import_files"
