"""Issue 13, item 7: the admin login has the site login's per-address rate limit, and both
count against one budget per address."""

import pytest
from django.contrib.auth import SESSION_KEY

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
SITE_LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery-staple"
ATTACKER = "203.0.113.66"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.RATELIMIT_LOGIN = "3/10m"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _admin_login(client, username, password, ip=ATTACKER):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip)


def test_the_admin_login_is_rate_limited_per_address(english, dina):
    # A different account each time: the per-account lockout (axes) never triggers.
    for n in range(3):
        assert _admin_login(english, f"guess{n}@jakpreneur.test", "wrong").status_code == 200
    response = _admin_login(english, dina.email, PASSWORD)
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert response["Retry-After"] == "600"
    assert SESSION_KEY not in english.session
    # Another address is not affected, and reading the form is never limited.
    assert english.get(ADMIN_LOGIN, REMOTE_ADDR=ATTACKER).status_code == 200
    response = _admin_login(english, dina.email, PASSWORD, ip="198.51.100.7")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_the_site_and_admin_logins_share_one_budget(client, dina):
    for n in range(2):
        client.post(SITE_LOGIN, {"username": f"guess{n}@example.id", "password": "wrong"}, REMOTE_ADDR=ATTACKER)
    assert _admin_login(client, "guess@example.id", "wrong").status_code == 200
    assert _admin_login(client, dina.email, PASSWORD).status_code == 429
    response = client.post(SITE_LOGIN, {"username": dina.email, "password": PASSWORD}, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
