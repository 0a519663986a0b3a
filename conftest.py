"""Project-wide pytest fixtures. App-specific fixtures live in each app's tests/conftest.py."""

import uuid

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


# The cast. Roles are groups (created with their permissions by migrations); centre staff
# see the kecamatan in their `kecamatan_scope` only.
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
    return _staff("alice@jakpreneur.test", "center_staff", kecamatan=(GAMBIR,))


@pytest.fixture
def bob(db):
    """Centre staff at Menteng (31.71.06)."""
    return _staff("bob@jakpreneur.test", "center_staff", kecamatan=(MENTENG,))


@pytest.fixture
def carol(db):
    """Centre staff with no kecamatan assigned: sees nothing."""
    return _staff("carol@jakpreneur.test", "center_staff")


@pytest.fixture
def olga(db):
    """An official (Dinas head, Biro Perekonomian, DPRD): dashboard only, no admin."""
    return _staff("olga@jakpreneur.test", "official", is_staff=False)


@pytest.fixture
def dina(db):
    """Dinas admin: everything, all kecamatan."""
    return _staff("dina@jakpreneur.test", "dinas_admin")


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test counts rate limits from zero: a per-test key prefix isolates the counters
    (in LocMem or in a shared Redis) without flushing a cache other code may be using. (The
    site and admin logins share a per-address budget, so tests of either would add up.)"""
    settings.RATELIMIT_CACHE_PREFIX = f"rl:test:{uuid.uuid4().hex}:"
