"""End to end through a real broker: a Celery worker consumes compute_progress from Redis.

Runs when CELERY_BROKER_URL points at a reachable Redis and the database is PostgreSQL (CI);
the worker runs in a thread of this process and uses the same test database.
"""

import os
import time

import pytest
from django.db import connection, connections

from reports.models import ProgressSnapshot
from reports.tasks import compute_progress


def _broker_problem() -> str | None:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        return "CELERY_BROKER_URL does not point at Redis (embedded mode runs tasks eagerly)"
    if connection.vendor == "sqlite":
        return "a worker thread cannot share SQLite's in-memory test database; CI runs this on PostgreSQL"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001 - any failure means "no broker here"
        return f"the broker at {url} does not answer ({error.__class__.__name__})"
    return None


pytestmark = [
    pytest.mark.celery_broker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(_broker_problem() is not None, reason=str(_broker_problem())),
]


def test_a_real_worker_computes_the_snapshot_sent_through_the_broker(people, monkeypatch):
    from celery.contrib.testing.worker import start_worker

    from jakpreneur.celery import app

    people.add()
    people.add(status="rejected")
    # The worker thread closes its connection after each task instead of keeping it open
    # (an open connection would stop the test database from being dropped).
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    assert app.conf.task_always_eager is False
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30):
        compute_progress.apply_async()
        deadline = time.monotonic() + 60
        while not ProgressSnapshot.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.2)  # waiting for the worker, not for time to pass
    snapshot = ProgressSnapshot.objects.get()
    assert snapshot.registered_total == 1
    assert snapshot.data["scopes"]["all"]["totals"]["rejected"] == 1
