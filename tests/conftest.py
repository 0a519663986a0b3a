"""Shared by the browser and fault tests (the tests that need a running server)."""

import pytest


def pytest_collection_modifyitems(config, items):
    """Transactional tests (live server, threads) restore the reference data they start from.

    A transactional test ends by flushing every table, including the regions, centres and
    facilities that migrations load; the next such test would find them gone. With
    serialized_rollback each one reloads them first.
    """
    for item in items:
        if "tests/browser/" not in item.nodeid and "tests/fault/" not in item.nodeid:
            continue
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback"):
            continue
        item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False)
