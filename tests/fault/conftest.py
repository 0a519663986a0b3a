"""Fixtures for the fault tests: a broker that does not answer, a running server."""

import socket

import pytest

from jakpreneur.celery import app as celery_app


def closed_port() -> int:
    """A local TCP port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reset_celery_connections() -> None:
    # The producer pool is built from broker_url on first use; drop it so the next publish
    # connects to whatever broker_url says now.
    celery_app.pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings):
    """Celery and /healthz pointed at a Redis port nobody listens on (Redis "stopped")."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    conf = celery_app.conf
    previous = (conf.broker_url, conf.task_always_eager)
    conf.broker_url = url
    conf.task_always_eager = False
    _reset_celery_connections()
    yield url
    conf.broker_url, conf.task_always_eager = previous
    _reset_celery_connections()
