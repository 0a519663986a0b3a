"""Fixtures for the fault tests: a broker that does not answer."""

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
