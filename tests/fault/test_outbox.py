"""Issue 13, item 5: with the broker down a registration's confirmation email is delayed, not
lost. Take the broker down, register, bring it back, run the relay: the email goes out once,
and running the relay again (or handing the job over twice) sends nothing more."""

import io
import os
import signal
import subprocess
import sys
import time

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from jakpreneur.celery import app as celery_app
from outbox import services
from outbox.models import Job
from registrations.models import Entrepreneur
from registrations.tests.factories import EntrepreneurFactory
from registrations.tests.registration_payloads import registration_data
from tests.fault.processes import BASE_DIR, broker_problem, django_env

pytestmark = pytest.mark.celery_broker


@pytest.fixture
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.RATELIMIT_ENABLE = False


def _register(client) -> dict:
    data = registration_data()
    assert client.post("/register/", data).status_code == 302
    return data


def _waiting_job(data: dict) -> Job:
    """The confirmation email of the registration: kept, not sent."""
    job = Job.objects.get()
    assert job.state == Job.State.PENDING
    assert job.args == [Entrepreneur.objects.get(nik=data["nik"]).pk]
    assert mail.outbox == []
    return job


def _relay_once() -> str:
    out = io.StringIO()
    call_command("outbox_relay", "--once", stdout=out)
    return out.getvalue()


def _confirmations() -> list:
    return [message for message in mail.outbox if "JakPreneur" in message.subject]


@pytest.mark.django_db
def test_the_relay_sends_the_email_once_when_tasks_can_run_again(
    client, broker_down, _fast, django_capture_on_commit_callbacks
):
    """Any database; "the broker is back" is the embedded mode here (tasks run in-process)."""
    with django_capture_on_commit_callbacks(execute=True):
        data = _register(client)
    job = _waiting_job(data)
    with pytest.raises(CommandError, match="broker"):
        _relay_once()  # still down: nothing sent, nothing lost
    assert Job.objects.get().state == Job.State.PENDING and mail.outbox == []

    celery_app.conf.task_always_eager = True  # (broker_down puts the dead broker back after)
    assert "1 job(s) handed to the broker." in _relay_once()
    (email,) = _confirmations()
    assert email.to == [data["email"]]
    assert "0 job(s) handed to the broker." in _relay_once()
    services.job_publish(job=job)  # handed over a second time, as a racing relay would
    assert len(_confirmations()) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 1)


def _bring_the_broker_back(url: str) -> None:
    celery_app._pool = celery_app.amqp._producer_pool = None  # rebuilt on first use, for `url`
    celery_app.conf.broker_url = celery_app.conf.broker_write_url = url


def _wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)  # waiting for the worker, not for time to pass


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(broker_problem() is not None, reason=str(broker_problem()))
def test_a_real_worker_sends_the_email_once_after_the_broker_comes_back(client, broker_down, _fast, monkeypatch):
    from celery.contrib.testing.worker import start_worker

    from outbox.tests.sample_tasks import RUNS, record

    real_broker = os.environ["CELERY_BROKER_URL"]
    data = _register(client)  # committed: the hand-over after the commit ran for real, and failed
    job = _waiting_job(data)

    _bring_the_broker_back(real_broker)
    celery_app.control.purge()  # nothing left over from other runs in this test's queue
    assert "1 job(s) handed to the broker." in _relay_once()
    services.job_publish(job=job)  # a duplicate hand-over (a racing relay, a redelivery)
    RUNS.clear()
    record.apply_async(args=["after the duplicates"])  # FIFO: once this ran, they all did

    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    with start_worker(celery_app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30):
        _wait_for(lambda: RUNS, "the worker to drain the queue")
    (email,) = _confirmations()
    assert email.to == [data["email"]]
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 1)
    assert "0 job(s) handed to the broker." in _relay_once()
    assert len(_confirmations()) == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the relay process must share the test database")
def test_the_relay_process_hands_jobs_over_until_it_is_stopped():
    entrepreneur = EntrepreneurFactory(email="relay.test@example.id")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "outbox_relay", "--interval", "0.2"],
        cwd=BASE_DIR,
        env=django_env(DJANGO_LOG_FORMAT="plain"),  # no broker: the relay runs tasks in-process
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # Written after the relay started, by nobody who hands it over: the relay's job.
        job = Job.objects.create(
            task_name="registrations.tasks.send_registration_confirmation",
            args=[entrepreneur.pk],
            kwargs={"language": "en"},
        )
        _wait_for(lambda: Job.objects.get(pk=job.pk).done_at, "the relay to run the job")
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert "To: relay.test@example.id" in output  # the console email backend
    assert "Outbox relay stopped" in output


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED is PostgreSQL's (SQLite has one writer)")
def test_a_relay_skips_the_jobs_another_relay_is_handing_over(settings):
    import threading
    from unittest import mock

    from outbox.tests.sample_tasks import record

    jobs = [Job.objects.create(task_name="outbox.tests.record", args=[n]) for n in range(4)]
    locked, release = threading.Event(), threading.Event()

    def other_relay() -> None:  # holds the first two rows as a relay does while publishing
        try:
            with transaction.atomic():
                list(Job.objects.select_for_update().filter(pk__in=[jobs[0].pk, jobs[1].pk]))
                locked.set()
                release.wait(timeout=20)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_relay)
    thread.start()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        assert locked.wait(timeout=20)
        with mock.patch.object(record, "apply_async") as apply_async:
            assert services.jobs_relay() == (2, True)
        assert [call.kwargs["args"] for call in apply_async.call_args_list] == [[2], [3]]
    finally:
        celery_app.conf.task_always_eager = eager
        release.set()
        thread.join()
    assert [job.state for job in Job.objects.order_by("id")] == ["pending", "pending", "queued", "queued"]
