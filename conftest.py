"""Project-wide pytest fixtures. App-specific fixtures live in each app's tests/conftest.py."""

import json
import uuid
from dataclasses import dataclass

import pytest

from jakpreneur.access import CENTER_STAFF, DINAS_ADMIN, OFFICIAL, PENDAMPING
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


@pytest.fixture(autouse=True, scope="session")
def _jinja2_pages_report_their_context():
    """Django's test client learns which templates a response rendered, and with what context
    (`response.templates`, `response.context`), from the `template_rendered` signal, which
    only Django's own templates send while testing. The Jinja2 pages (jakpreneur/jinja.py:
    /me/) send it here too, so their tests read them the same way."""
    import jinja2
    from django.test.signals import template_rendered

    original = jinja2.Template.render

    def render(self, *args, **kwargs):
        context = dict(*args, **kwargs)
        template_rendered.send(sender=self, template=self, context=context)
        return original(self, context)

    jinja2.Template.render = render
    yield
    jinja2.Template.render = original


# --- the data migrations loaded, for transactional tests ----------------------------------------
# A transactional test (live server, threads, subprocesses, Playwright) ends with a flush that
# empties every table. The flush's post_migrate puts the roles back (jakpreneur.access), but
# not what data migrations loaded: regions, centres, facilities, the RPJMD target. So every
# transactional test starts by putting the database back as migrations left it, from a copy
# taken once. (Not Django's serialized_rollback: once Playwright's sync API runs, the test
# body sees another connection object, without the serialized copy.)


@dataclass(frozen=True)
class MigrationData:
    contents: str  # serialize_db_to_string() right after the test database was migrated
    sentinel: str | None  # a model migrations filled that post_migrate does not refill

    def restore_if_flushed(self) -> None:
        from django.apps import apps
        from django.core.management import call_command
        from django.db import connection

        if self.sentinel is None or apps.get_model(self.sentinel)._base_manager.exists():
            return
        # Really empty tables first: the flush's post_migrate made content types and
        # permissions again, with other ids than the copy's. Sequences stay past the copy's ids.
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(self.contents)


REFILLED_BY_POST_MIGRATE = {"contenttypes.contenttype", "auth.permission", "auth.group"}


@pytest.fixture(scope="session")
def _migration_data(django_db_setup, django_db_blocker) -> MigrationData:
    """The test database as migrations left it, copied when the first transactional test
    starts (non-transactional tests run before it and roll back)."""
    from django.db import connection

    with django_db_blocker.unblock():
        contents = connection.creation.serialize_db_to_string()
    labels = (row["model"] for row in json.loads(contents))
    return MigrationData(contents, next((label for label in labels if label not in REFILLED_BY_POST_MIGRATE), None))


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _transactional_tests_start_from_migration_data(request):
    if not _is_transactional(request):
        return
    data = request.getfixturevalue("_migration_data")
    request.getfixturevalue("transactional_db")
    data.restore_if_flushed()


@pytest.fixture
def english(client):
    """The test client, browsing the site in English."""
    client.cookies["django_language"] = "en"
    return client


# The cast. Roles are groups, with the permissions of the access table (jakpreneur/access.py);
# centre staff see the kecamatan in their `kecamatan_scope` only; mentors (maya, mark) their
# own caseload.
GAMBIR = "31.71.01"
MENTENG = "31.71.06"


def _staff(email: str, role: str, *, kecamatan: tuple[str, ...] = (), is_staff: bool = True):
    from django.contrib.auth.models import Group

    from registrations.models import User

    user = User.objects.create_user(email=email, password="correct-horse-battery-staple", is_staff=is_staff)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    if kecamatan:
        user.kecamatan_scope.set(kecamatan)
    return user


@pytest.fixture
def alice(db):
    """Centre staff at Gambir (31.71.01)."""
    return _staff("alice@jakpreneur.test", CENTER_STAFF, kecamatan=(GAMBIR,))


@pytest.fixture
def bob(db):
    """Centre staff at Menteng (31.71.06)."""
    return _staff("bob@jakpreneur.test", CENTER_STAFF, kecamatan=(MENTENG,))


@pytest.fixture
def carol(db):
    """Centre staff with no kecamatan assigned: sees nothing."""
    return _staff("carol@jakpreneur.test", CENTER_STAFF)


@pytest.fixture
def olga(db):
    """An official (Dinas head, Biro Perekonomian, DPRD): dashboard only, no admin."""
    return _staff("olga@jakpreneur.test", OFFICIAL, is_staff=False)


@pytest.fixture
def dina(db):
    """Dinas admin: everything, all kecamatan."""
    return _staff("dina@jakpreneur.test", DINAS_ADMIN)


@pytest.fixture
def maya(db):
    """A mentor (pendamping) of Gambir: her own caseload only."""
    return _staff("maya@jakpreneur.test", PENDAMPING, kecamatan=(GAMBIR,))


@pytest.fixture
def mark(db):
    """A mentor (pendamping) of Menteng."""
    return _staff("mark@jakpreneur.test", PENDAMPING, kecamatan=(MENTENG,))


@pytest.fixture(autouse=True)
def _fresh_reference_cache(settings):
    """Each test reads reference data (facilities/cache.py) fresh: its own generation key and
    no copy left in this process by an earlier test whose changes were rolled back."""
    from facilities import cache as reference

    settings.REFERENCE_CACHE_PREFIX = f"ref:test:{uuid.uuid4().hex}:"
    reference.forget_local_copies()
    yield
    reference.forget_local_copies()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test counts rate limits from zero: a per-test key prefix isolates the counters
    (in LocMem or in a shared Redis) without flushing a cache other code may be using. (The
    site and admin logins share a per-address budget, so tests of either would add up.)"""
    settings.RATELIMIT_CACHE_PREFIX = f"rl:test:{uuid.uuid4().hex}:"
