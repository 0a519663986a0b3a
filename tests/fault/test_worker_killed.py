"""A progress computation killed mid-way (SIGKILL, as the OOM killer or a lost machine would)
leaves the previous snapshot the latest, and the next run completes."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from reports import services
from reports.models import ProgressSnapshot

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the killed process must share the test database, which is in memory on SQLite",
    ),
]

# `manage.py compute_progress`, except that once the new snapshot row is written (inside the
# computation's transaction, before the commit) it says so and waits to be killed.
PAUSED_RUN = """
import sys, time
import django
django.setup()
from django.core.management import call_command
from django.db.models.signals import post_save
from reports.models import ProgressSnapshot

def pause(sender, instance, created, **kwargs):
    print("inserted", instance.pk, flush=True)
    time.sleep(120)

post_save.connect(pause, sender=ProgressSnapshot)
call_command("compute_progress")
"""


def _env() -> dict:
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="jakpreneur.settings",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    )
    return env


def _wait_until_backends_gone(pids_before: set[int]) -> None:
    """The killed process's PostgreSQL session aborts its transaction (and advisory lock) when
    it notices the closed socket; wait for that rather than race it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            current = {row[0] for row in cursor.fetchall()}
        if not (current - pids_before - {connection.connection.info.backend_pid}):
            return
        time.sleep(0.2)


def test_a_killed_computation_leaves_the_previous_snapshot_and_the_next_run_completes():
    previous = services.progress_snapshot_create()
    assert previous is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        before = {row[0] for row in cursor.fetchall()}

    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_RUN],
        cwd=BASE_DIR,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("inserted"), process.stderr.read()
        # Written but not committed: nobody else sees it.
        assert ProgressSnapshot.objects.count() == 1
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    _wait_until_backends_gone(before)

    assert ProgressSnapshot.objects.count() == 1
    assert ProgressSnapshot.objects.order_by("-computed_at").first().pk == previous.pk

    result = subprocess.run(
        [sys.executable, "manage.py", "compute_progress"],
        cwd=BASE_DIR,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Snapshot" in result.stdout
    latest = ProgressSnapshot.objects.order_by("-computed_at").first()
    assert latest.pk != previous.pk
    assert ProgressSnapshot.objects.count() == 2
