"""Fixtures for the fault tests: a broker that does not answer, a running server."""

import socket

import pytest

from jakpreneur.celery import app as celery_app


def closed_port() -> int:
    """A local TCP port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down(settings):
    """Celery and /healthz pointed at a Redis port nobody listens on (Redis "stopped")."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    conf = celery_app.conf
    previous = (conf.broker_url, conf.broker_write_url, conf.task_always_eager)
    # The connection pools are built from broker_url on first use: set them aside (without
    # closing them: kombu keeps them in a process-wide registry other tests use) so the test
    # builds its own against the dead port, and put the working ones back afterwards.
    pools = (celery_app._pool, celery_app.amqp._producer_pool)
    celery_app._pool = celery_app.amqp._producer_pool = None
    conf.broker_url = conf.broker_write_url = url
    conf.task_always_eager = False
    yield url
    conf.broker_url, conf.broker_write_url, conf.task_always_eager = previous
    celery_app._pool, celery_app.amqp._producer_pool = pools


@pytest.fixture(scope="session")
def _migration_data(django_db_setup, django_db_blocker) -> str:
    """The database as migrations left it (regions, centres, facilities, target, roles),
    serialized once, before any transactional test has emptied it."""
    from django.db import connection, connections

    for candidate in connections.all():
        contents = getattr(candidate, "_test_serialized_contents", None)
        if contents:
            return contents
    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


def _reload_migration_data(contents: str) -> None:
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from facilities.models import Center

    if Center.objects.exists() and Group.objects.filter(permissions__isnull=False).exists():
        return
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def _restore_migration_data(request):
    """Transactional tests (live server, threads, subprocesses) start from the migration
    data. The flush that ends a transactional test empties every table; Django's serialized
    rollback puts it back, but not once Playwright's event loop has given this thread
    another connection object, so check and do it here."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    contents = request.getfixturevalue("_migration_data")
    request.getfixturevalue("transactional_db")
    _reload_migration_data(contents)


@pytest.fixture(scope="module", autouse=True)
def _leave_migration_data(request, django_db_blocker):
    """After a module of transactional tests, leave the migration data in place for whatever
    runs next (the browser tests expect roles and permissions, which they do not reload)."""
    yield
    marks = getattr(request.module, "pytestmark", [])
    marks = marks if isinstance(marks, list) else [marks]
    if not any(mark.name == "django_db" and mark.kwargs.get("transaction") for mark in marks):
        return
    contents = request.getfixturevalue("_migration_data")
    with django_db_blocker.unblock():
        _reload_migration_data(contents)
