"""Keeping migration-loaded reference data alive across transactional tests.

A transactional test ends by emptying every table, including what migrations loaded (regions,
facilities, the RPJMD target, roles and their permissions), so later tests would find an
empty catalogue. `keep_migration_data` is a generator for a module-scoped fixture: it
remembers the data before the module runs and puts it back once the module is done.
"""

from django.core.management import call_command
from django.db import connection, connections


def _serialized_contents() -> str:
    for candidate in connections.all():
        contents = getattr(candidate, "_test_serialized_contents", None)
        if contents:
            return contents
    # Connections are context-local; when this context never saw the test database being
    # serialized, serialize what is there now (the migration data: no test has run yet).
    return connection.creation.serialize_db_to_string()


def keep_migration_data(django_db_blocker):
    with django_db_blocker.unblock():
        contents = _serialized_contents()
    yield
    with django_db_blocker.unblock():
        # The test's own flush may have re-created content types and permissions (post_migrate)
        # with other ids; start from really empty tables.
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(contents)
