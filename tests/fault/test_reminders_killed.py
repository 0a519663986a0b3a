"""The monthly reminder job killed mid-run (SIGKILL inside its second chunk) and run again:
every entrepreneur gets exactly one reminder, queued exactly once through the outbox."""

import signal
import subprocess
import sys

import pytest
from django.core import mail
from django.db import connection

from growth import services
from growth.models import ReminderSent
from outbox.models import Job
from registrations.tests.factories import EntrepreneurFactory
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

CHUNK = 3
PERIOD = "2026-01-01"

# The reminder job in chunks of 3, which says so and waits to be killed as soon as it queues
# the first reminder of its second chunk (inside that chunk's transaction, before the commit).
PAUSED_RUN = f"""
import datetime as dt, sys, time
import django
django.setup()
from growth import services
from growth.services import reminders

queued = []
real = reminders.enqueue_on_commit

def enqueue(task, *args):
    queued.append(args)
    if len(queued) == {CHUNK} + 1:
        print("paused", flush=True)
        time.sleep(120)
    real(task, *args)

reminders.enqueue_on_commit = enqueue  # the name reminders_queue calls
services.reminders_queue(period=dt.date.fromisoformat("{PERIOD}"), chunk_size={CHUNK})
"""


def test_a_killed_reminder_run_then_a_rerun_reminds_everyone_exactly_once(django_capture_on_commit_callbacks):
    import datetime as dt

    people = [EntrepreneurFactory(full_name=f"Warga {n}") for n in range(8)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        before = {row[0] for row in cursor.fetchall()}

    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_RUN],
        cwd=BASE_DIR,
        env=django_env(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("paused"), process.stderr.read()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    _wait_until_backends_gone(before)

    # The first chunk committed (its reminders and their jobs); the second rolled back.
    assert ReminderSent.objects.count() == CHUNK
    first = set(ReminderSent.objects.values_list("entrepreneur_id", flat=True))
    assert Job.objects.filter(task_name="growth.tasks.send_report_reminder").count() == CHUNK

    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.reminders_queue(period=dt.date.fromisoformat(PERIOD), chunk_size=CHUNK)
    assert outcome.entrepreneurs == len(people) - CHUNK

    # Exactly one reminder and one job per person; the rerun emailed only the others.
    reminded = list(ReminderSent.objects.values_list("entrepreneur_id", flat=True))
    assert sorted(reminded) == sorted(p.pk for p in people)
    jobs = [job.args[0] for job in Job.objects.filter(task_name="growth.tasks.send_report_reminder")]
    assert sorted(jobs) == sorted(p.pk for p in people)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people if p.pk not in first)

    with django_capture_on_commit_callbacks(execute=True):
        again = services.reminders_queue(period=dt.date.fromisoformat(PERIOD), chunk_size=CHUNK)
    assert again.entrepreneurs == 0 and Job.objects.count() == len(people)
