"""Shared by the browser and fault tests."""

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests after every other transactional test.

    Once Playwright's sync API has started, Django's connection objects seen by later tests
    in this thread are new ones without the serialized migration data, so serialized
    rollback silently restores nothing and a test that follows a flush finds no regions,
    centres or roles. pytest-django's own ordering (which runs after this hook) is a stable
    sort, so the browser tests stay last within the transactional tests.
    """
    items.sort(key=lambda item: item.nodeid.startswith("tests/browser/"))
