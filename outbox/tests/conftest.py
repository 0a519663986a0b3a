"""Fixtures for the outbox tests."""

import pytest

from outbox.tests.sample_tasks import FLAKY, RUNS


@pytest.fixture(autouse=True)
def _runs():
    """Each test starts with no recorded runs of the sample tasks."""
    RUNS.clear()
    FLAKY["failures_left"] = 0
    yield
    RUNS.clear()
