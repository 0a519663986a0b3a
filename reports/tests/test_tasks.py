import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError

from reports import services
from reports.models import ProgressSnapshot
from reports.tasks import compute_progress

pytestmark = pytest.mark.django_db


def test_the_task_stores_a_snapshot_and_returns_its_id(people):
    people.add()
    snapshot_id = compute_progress.apply().get()
    snapshot = ProgressSnapshot.objects.get(pk=snapshot_id)
    assert snapshot.registered_total == 1 and snapshot.duration_ms >= 0


def test_the_task_is_safe_to_rerun_after_a_lost_worker():
    assert compute_progress.acks_late is True
    assert compute_progress.reject_on_worker_lost is True
    assert OperationalError in compute_progress.autoretry_for
    assert compute_progress.retry_backoff


def test_the_task_retries_on_database_errors(monkeypatch):
    calls = []
    real = services.progress_snapshot_create

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(services, "progress_snapshot_create", flaky)
    # Eagerly, Celery re-applies a retried task at once (without the backoff delay).
    result = compute_progress.apply(throw=False)
    assert len(calls) == 2
    assert ProgressSnapshot.objects.filter(pk=result.get()).exists()
    assert ProgressSnapshot.objects.count() == 1


def test_the_task_returns_none_when_another_run_holds_the_lock(monkeypatch):
    monkeypatch.setattr(services, "progress_snapshot_create", lambda **kwargs: None)
    assert compute_progress.apply().get() is None


def test_beat_runs_the_task_every_interval():
    entry = settings.CELERY_BEAT_SCHEDULE["compute-progress"]
    assert entry["task"] == compute_progress.name == "reports.tasks.compute_progress"
    assert entry["schedule"] == settings.PROGRESS_INTERVAL_SECONDS == 600


def test_the_management_command_computes_a_snapshot(people, capsys):
    people.add()
    call_command("compute_progress")
    assert ProgressSnapshot.objects.get().registered_total == 1
    assert "1 registered entrepreneurs" in capsys.readouterr().out
