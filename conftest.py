"""Project-wide pytest fixtures. App-specific fixtures live in each app's tests/conftest.py."""

import pytest

from jakpreneur.celery import app as celery_app


@pytest.fixture(autouse=True)
def _celery_eager_unless_broker_test(request):
    """Run tasks in-process in tests, even when CI points CELERY_BROKER_URL at Redis.

    Tests marked `celery_broker` exercise the real broker and worker instead.
    """
    if request.node.get_closest_marker("celery_broker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def english(client):
    """The test client, browsing the site in English."""
    client.cookies["django_language"] = "en"
    return client
