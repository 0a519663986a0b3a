import pytest

from conftest import _staff
from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN
from jakpreneur.access import CURATOR
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory, UserFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def siti(db):
    """An entrepreneur of Gambir with a business and an account."""
    entrepreneur = EntrepreneurFactory(
        kelurahan_code=GAMBIR_KELURAHAN, user=UserFactory(email="siti@example.id"), full_name="Siti Rahmawati"
    )
    BusinessFactory(entrepreneur=entrepreneur, name="Dapur Siti")
    return entrepreneur


@pytest.fixture
def budi(db):
    """An entrepreneur of Menteng."""
    return EntrepreneurFactory(
        kelurahan_code=MENTENG_KELURAHAN, user=UserFactory(email="budi@example.id"), full_name="Budi Santoso"
    )


@pytest.fixture
def cora(db):
    """A curator: a staff account with the curator role."""
    return _staff("cora@jakpreneur.test", CURATOR)


@pytest.fixture
def carl(db):
    """Another curator, not listed on the rounds of the tests."""
    return _staff("carl@jakpreneur.test", CURATOR)


@pytest.fixture
def client_of(client):
    def login(entrepreneur):
        client.force_login(entrepreneur.user)
        return client

    return login
