"""The outbox: a job is a row of the caller's transaction, handed to the broker after the
commit, run once however often it is handed over, and relayed when the broker was away."""

import datetime as dt
import logging
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from jakpreneur.celery import app as celery_app
from jakpreneur.celery import enqueue_on_commit
from outbox import services
from outbox.models import Job
from outbox.tests.sample_tasks import FLAKY, RUNS, broken, flaky, record

pytestmark = pytest.mark.django_db


def _enqueue(callbacks, task, *args, **kwargs) -> Job:
    with callbacks(execute=True):
        enqueue_on_commit(task, *args, **kwargs)
    return Job.objects.latest("id")


def test_the_job_is_a_row_of_the_transaction_and_runs_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue_on_commit(record, 7, tag="a")
        job = Job.objects.get()
        assert (job.task_name, job.args, job.kwargs) == ("outbox.tests.record", [7], {"tag": "a"})
        assert RUNS == []  # nothing runs before the commit
    callbacks[0]()
    assert RUNS == [(7, "a")]
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.attempts == 1 and job.published_at and job.done_at


def test_a_rolled_back_transaction_leaves_no_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_on_commit(record, 1)
            raise RuntimeError("the registration failed")
    assert callbacks == [] and RUNS == [] and not Job.objects.exists()


def test_a_job_handed_over_twice_runs_once(django_capture_on_commit_callbacks, caplog):
    job = _enqueue(django_capture_on_commit_callbacks, record, 1)
    with caplog.at_level(logging.INFO, logger="jakpreneur.tasks"):
        assert services.job_publish(job=job) is services.Handover.TAKEN
        assert services.job_publish(job=job) is services.Handover.TAKEN
    assert RUNS == [(1, "")]
    assert f"outbox job {job.pk} is done or running elsewhere" in caplog.text
    assert Job.objects.get().attempts == 1


def test_a_job_running_elsewhere_is_left_alone_until_its_lease_ends(django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=False):
        enqueue_on_commit(record, 1)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now(), claimed_by="another-worker")
    services.job_publish(job=job)
    assert RUNS == []
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - dt.timedelta(minutes=31))
    services.job_publish(job=job)
    assert RUNS == [(1, "")]
    assert Job.objects.get().state == Job.State.DONE


def test_a_failed_run_gives_the_job_back_until_the_last_attempt(django_capture_on_commit_callbacks, settings, caplog):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    with caplog.at_level(logging.WARNING, logger="jakpreneur.tasks"):
        job = _enqueue(django_capture_on_commit_callbacks, broken, 1)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.last_error) == (Job.State.PENDING, 1, "ValueError: template missing")
    assert "Could not queue task outbox.tests.broken" in caplog.text
    assert list(Job.objects.due(now=timezone.now())) == [job]
    services.jobs_relay()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 2)
    assert not Job.objects.due(now=timezone.now()).exists()
    assert RUNS == [(1, "broken"), (1, "broken")]


def test_in_eager_mode_a_run_that_asks_for_a_retry_waits_for_the_relay(django_capture_on_commit_callbacks):
    # Eager Celery does not retry by itself (it propagates the Retry): the job is given back.
    FLAKY["failures_left"] = 1
    job = _enqueue(django_capture_on_commit_callbacks, flaky, 5)
    job.refresh_from_db()
    assert (job.state, job.attempts, RUNS) == (Job.State.PENDING, 1, [(5, "flaky")])
    assert services.jobs_relay() == (1, True)
    job.refresh_from_db()
    assert (job.state, job.attempts, RUNS) == (Job.State.DONE, 2, [(5, "flaky")] * 2)


def test_a_job_of_an_unknown_task_is_given_up(django_capture_on_commit_callbacks, caplog):
    job = Job.objects.create(task_name="registrations.tasks.renamed_long_ago", args=[1])
    with caplog.at_level(logging.ERROR, logger="jakpreneur.tasks"):
        assert services.jobs_relay() == (0, True)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "unknown task" in job.last_error
    assert "names an unknown task" in caplog.text


def test_the_relay_picks_only_jobs_the_broker_does_not_have():
    now = timezone.now()
    long_ago = now - dt.timedelta(hours=2)
    pending = Job.objects.create(task_name="outbox.tests.record", args=[1])
    Job.objects.create(task_name="outbox.tests.record", args=[2], published_at=now)  # queued just now
    lost = Job.objects.create(task_name="outbox.tests.record", args=[3], published_at=long_ago)
    Job.objects.create(task_name="outbox.tests.record", args=[4], published_at=long_ago, started_at=now)
    Job.objects.create(task_name="outbox.tests.record", args=[5], published_at=long_ago, done_at=now)
    Job.objects.create(task_name="outbox.tests.record", args=[6], failed_at=now)
    assert list(Job.objects.due(now=now).order_by("id")) == [pending, lost]
    assert services.jobs_relay(now=now) == (2, True)
    assert RUNS == [(1, ""), (3, "")]


def test_the_relay_stops_at_the_first_refusal_of_the_broker(caplog):
    celery_app.conf.task_always_eager = False  # (the root conftest puts it back)
    jobs = [Job.objects.create(task_name="outbox.tests.record", args=[n]) for n in range(3)]
    refusals = [None, OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")]
    with mock.patch.object(record, "apply_async", side_effect=refusals) as apply_async:
        with caplog.at_level(logging.INFO, logger="jakpreneur.tasks"):
            assert services.jobs_relay() == (1, False)
    # Polled every few seconds during an outage: the relay command logs the outage once.
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert apply_async.call_count == 2
    first, _ = apply_async.call_args_list
    assert first.kwargs == {"args": [0], "kwargs": {}, "headers": {"outbox_job": jobs[0].pk}}
    assert [job.state for job in Job.objects.order_by("id")] == [Job.State.QUEUED, Job.State.PENDING, Job.State.PENDING]


def test_prune_deletes_old_done_and_given_up_jobs_only(settings):
    settings.OUTBOX_RETENTION_DAYS = 30
    now = timezone.now()
    old = now - dt.timedelta(days=31)
    Job.objects.create(task_name="t", done_at=old)
    Job.objects.create(task_name="t", failed_at=old)
    kept = [
        Job.objects.create(task_name="t", done_at=now - dt.timedelta(days=29)),
        Job.objects.create(task_name="t", published_at=old),  # never ran: still due
        Job.objects.create(task_name="t"),
    ]
    assert services.jobs_prune(now=now) == 2
    assert list(Job.objects.order_by("id")) == kept
