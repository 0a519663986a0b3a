"""Redis stopped: the request path goes on, queued work waits in the outbox (logged), /healthz
says so. tests/fault/test_outbox.py brings the broker back and sees the work done once."""

import logging

import pytest
from celery import shared_task

from jakpreneur.celery import enqueue_on_commit
from outbox.models import Job
from registrations.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.celery_broker]


@shared_task(name="tests.fault.noop")
def noop(user_id: int) -> None:
    """A stand-in for the confirmation email task."""


def test_healthz_reports_the_broker_down_and_stays_healthy(client, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    payload = response.json()
    assert payload["database"]["status"] == "ok"
    assert payload["broker"]["status"] == "down"


def test_enqueue_on_commit_keeps_the_job_in_the_outbox_and_the_write_stands(
    broker_down, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.WARNING, logger="jakpreneur.tasks"):
        with django_capture_on_commit_callbacks(execute=True):
            user = User.objects.create_user(email="warga@example.id", password="x-long-password-1")
            enqueue_on_commit(noop, user.pk)
    (record,) = [r for r in caplog.records if r.name == "jakpreneur.tasks"]
    assert "Could not queue task tests.fault.noop" in record.getMessage()
    assert record.levelno == logging.WARNING  # delayed, not lost
    assert User.objects.filter(pk=user.pk).exists()
    job = Job.objects.get()
    assert (job.task_name, job.args, job.state) == ("tests.fault.noop", [user.pk], Job.State.PENDING)


def test_nothing_is_published_when_the_transaction_rolls_back(broker_down, caplog, django_capture_on_commit_callbacks):
    from django.db import transaction

    with caplog.at_level(logging.ERROR, logger="jakpreneur.tasks"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    enqueue_on_commit(noop, 1)
                    raise RuntimeError("rolled back")
            except RuntimeError:
                pass
    assert callbacks == []
    assert not [r for r in caplog.records if r.name == "jakpreneur.tasks"]
    assert not Job.objects.exists()


@pytest.fixture
def _isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.RATELIMIT_ENABLE = False


def test_registration_works_and_the_confirmation_email_waits_in_the_outbox(
    client, broker_down, caplog, django_capture_on_commit_callbacks, _isolated
):
    from django.core import mail

    from registrations.models import Entrepreneur
    from registrations.tests.registration_payloads import registration_data

    data = registration_data()
    with caplog.at_level(logging.WARNING, logger="jakpreneur.tasks"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/register/", data)
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    entrepreneur = Entrepreneur.objects.get(nik=data["nik"])
    (failure,) = [r for r in caplog.records if r.name == "jakpreneur.tasks"]
    assert "send_registration_confirmation" in failure.getMessage()
    job = Job.objects.get()
    assert (job.args, job.kwargs, job.state) == ([entrepreneur.pk], {"language": "id"}, Job.State.PENDING)
    assert f"outbox job {job.pk}" in failure.getMessage()
    assert mail.outbox == []
    assert client.get("/me/").status_code == 200


def test_login_works_with_the_broker_down(client, broker_down, _isolated):
    User.objects.create_user(email="warga@example.id", password="Batik-Tenun-2024!")
    response = client.post("/accounts/login/", {"username": "warga@example.id", "password": "Batik-Tenun-2024!"})
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_the_back_office_works_with_the_broker_down(client, broker_down, dina, _isolated):
    from registrations.tests.factories import EntrepreneurFactory

    entrepreneur = EntrepreneurFactory()
    client.force_login(dina)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/registrations/entrepreneur/").status_code == 200
    assert client.get(f"/admin/registrations/entrepreneur/{entrepreneur.pk}/change/").status_code == 200


def test_an_import_upload_with_the_broker_down_is_kept_queued_for_the_relay(
    client, dina, broker_down, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from registrations.models import Entrepreneur, ImportJob
    from registrations.tests.test_import import csv_file, row

    settings.MEDIA_ROOT = tmp_path
    client.force_login(dina)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/registrations/entrepreneur/import/",
            {"file": SimpleUploadedFile("legacy.csv", csv_file([row()]).getvalue(), content_type="text/csv")},
        )
    assert response.status_code == 302  # the upload never waits on the broker
    job = ImportJob.objects.get()
    assert job.status == "queued" and not Entrepreneur.objects.exists()
    outbox = Job.objects.get()
    assert (outbox.task_name, outbox.args, outbox.state) == (
        "registrations.tasks.run_import_job",
        [job.pk, job.attempt],
        Job.State.PENDING,
    )
