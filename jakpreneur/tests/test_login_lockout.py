"""Login throttling (django-axes): lockout keyed by account + address, on the admin login
and the site login alike."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from jakpreneur.tests.html_checks import assert_strict_csp

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def _login(client, email, password, ip="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": email, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Every attempt checks a password; PBKDF2 at full strength would make this module slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _fail(client, email, times, ip="203.0.113.7"):
    for attempt in range(1, times + 1):
        response = _login(client, email, "wrong-password", ip=ip)
        # The form again with its error, until the last allowed failure locks the account.
        assert response.status_code == (429 if attempt >= settings_limit() else 200)


def settings_limit() -> int:
    from django.conf import settings

    return settings.AXES_FAILURE_LIMIT


def test_axes_is_on_in_tests_and_checks_credentials_first(settings):
    assert settings.AXES_ENABLED is True
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_repeated_wrong_passwords_lock_the_account_from_that_address(english, dina, settings):
    _fail(english, dina.email, settings.AXES_FAILURE_LIMIT - 1)
    response = _login(english, dina.email, "wrong-password")
    assert response.status_code == 429
    assert b"Sign-in temporarily locked" in response.content
    assert b"30 minutes" in response.content
    assert_strict_csp(response)


def test_the_correct_password_is_refused_while_locked(english, dina, settings):
    _fail(english, dina.email, settings.AXES_FAILURE_LIMIT)
    response = _login(english, dina.email, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in english.session


def test_the_lockout_counts_the_email_whatever_its_case(english, dina, settings):
    _fail(english, dina.email.upper(), settings.AXES_FAILURE_LIMIT)
    assert _login(english, dina.email, PASSWORD).status_code == 429


def test_the_same_account_from_another_address_is_not_locked(client, dina, settings):
    _fail(client, dina.email, settings.AXES_FAILURE_LIMIT)
    response = _login(client, dina.email, PASSWORD, ip="198.51.100.20")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_another_account_from_the_locked_address_is_not_locked(client, dina, alice, settings):
    _fail(client, dina.email, settings.AXES_FAILURE_LIMIT)
    assert _login(client, alice.email, PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(client, dina, settings):
    _fail(client, dina.email, settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, dina.email, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=dina.email).exists()
    client.logout()
    _fail(client, dina.email, settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, dina.email, PASSWORD).status_code == 302


def test_the_client_address_comes_from_our_proxies_only(rf, settings):
    from jakpreneur.security import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    assert client_ip(request) == "10.0.0.2"  # no trusted proxy: the header is ignored
    settings.DJANGO_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.9"  # what our proxy saw, not what the client claimed


def test_the_site_login_locks_out_entrepreneurs_too(english, settings):
    from registrations.models import User

    User.objects.create_user(email="warga@example.id", password=PASSWORD)
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = english.post(
            "/accounts/login/", {"username": "warga@example.id", "password": "nope"}, REMOTE_ADDR="203.0.113.8"
        )
        assert response.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200)
    assert b"Sign-in temporarily locked" in response.content
    response = english.post(
        "/accounts/login/", {"username": "Warga@Example.id", "password": PASSWORD}, REMOTE_ADDR="203.0.113.8"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in english.session
