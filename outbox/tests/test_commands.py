"""`manage.py outbox_relay --once`: one pass over the waiting jobs. (The long-running loop is
exercised against PostgreSQL in tests/fault/test_outbox.py.)"""

import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from kombu.exceptions import OperationalError

from jakpreneur.celery import app as celery_app
from outbox.models import Job
from outbox.tests.sample_tasks import RUNS, record

pytestmark = pytest.mark.django_db


def test_one_pass_hands_over_every_waiting_job_batch_after_batch(monkeypatch):
    monkeypatch.setattr("outbox.services.RELAY_BATCH", 2)
    for n in range(5):
        Job.objects.create(task_name="outbox.tests.record", args=[n])
    out = io.StringIO()
    call_command("outbox_relay", "--once", stdout=out)
    assert "5 job(s) handed to the broker." in out.getvalue()
    assert [(n, "") for n in range(5)] == RUNS
    assert not Job.objects.unfinished().exists()
    out = io.StringIO()
    call_command("outbox_relay", "--once", stdout=out)
    assert "0 job(s) handed to the broker." in out.getvalue()
    assert len(RUNS) == 5


def test_one_pass_with_the_broker_down_fails_and_keeps_the_jobs():
    celery_app.conf.task_always_eager = False  # (the root conftest puts it back)
    Job.objects.create(task_name="outbox.tests.record", args=[1])
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(record, "apply_async", side_effect=refused), pytest.raises(CommandError, match="broker"):
        call_command("outbox_relay", "--once", stdout=io.StringIO())
    assert Job.objects.get().state == Job.State.PENDING


def test_a_zero_interval_is_refused():
    with pytest.raises(CommandError, match="interval"):
        call_command("outbox_relay", "--interval", "0")


def test_the_stack_runs_a_relay():
    from pathlib import Path

    procfile = (Path(__file__).resolve().parents[2] / "Procfile").read_text()
    assert "relay: python manage.py outbox_relay" in procfile.splitlines()


def test_the_loop_logs_an_outage_once_survives_errors_and_stops_when_asked(monkeypatch, caplog):
    import logging

    from django.db import OperationalError as DatabaseError

    from outbox.management.commands.outbox_relay import Command

    passes = iter([(0, False), (0, False), DatabaseError("server closed the connection"), (2, True), (0, True)])

    def relay():
        outcome = next(passes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    command = Command()
    command._stopping = False
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        command._stopping = len(sleeps) == 5

    monkeypatch.setattr("outbox.services.jobs_relay", relay)
    monkeypatch.setattr("outbox.services.jobs_prune", lambda: 0)
    monkeypatch.setattr(command, "_sleep", sleep)
    with caplog.at_level(logging.INFO, logger="jakpreneur.tasks"):
        command._loop(interval=2)
    messages = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "jakpreneur.tasks"]
    assert messages.count(("WARNING", "Outbox relay: the broker is down; jobs wait in the outbox")) == 1
    assert ("INFO", "Outbox relay: the broker is back") in messages
    assert ("INFO", "Outbox: 2 job(s) handed to the broker") in messages
    assert [m for level, m in messages if level == "ERROR"] == ["Outbox relay pass failed; retrying in 2s"]
    assert sleeps == [2, 2, 2, 2, 2]
