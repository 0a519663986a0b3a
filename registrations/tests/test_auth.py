import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def siti():
    return EntrepreneurFactory(full_name="Siti Rahmawati")


def test_the_login_page_asks_for_an_email_address(english):
    response = english.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="email"' in html
    assert 'autocomplete="current-password"' in html
    assert "Forgot your password?" in html


def test_logging_in_with_email_and_password_opens_my_page(client, siti):
    response = client.post(LOGIN, {"username": siti.user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert int(client.session[SESSION_KEY]) == siti.user_id


def test_a_wrong_password_shows_an_error_and_logs_nobody_in(english, siti):
    response = english.post(LOGIN, {"username": siti.user.email, "password": "wrong"})
    assert response.status_code == 200
    assert b'id="error-summary"' in response.content
    assert SESSION_KEY not in english.session


def test_login_is_rate_limited_per_ip(english, siti, settings):
    settings.RATELIMIT_LOGIN = "3/10m"
    for _attempt in range(3):
        assert english.post(LOGIN, {"username": siti.user.email, "password": "wrong"}).status_code == 200
    response = english.post(LOGIN, {"username": siti.user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert response["Retry-After"] == "600"
    assert SESSION_KEY not in english.session


def test_the_rate_limit_page_speaks_indonesian_by_default(client, settings):
    settings.RATELIMIT_LOGIN = "0/10m"
    response = client.post(LOGIN, {"username": "x@example.com", "password": "x"})
    assert response.status_code == 429
    assert b'<html lang="id">' in response.content


def test_logout_needs_a_post_and_logs_out(client, siti):
    client.force_login(siti.user)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_the_navbar_offers_login_and_register_or_my_page_and_logout(english, siti):
    html = english.get("/").content.decode()
    assert reverse("login") in html and reverse("registrations:register") in html
    english.force_login(siti.user)
    html = english.get("/").content.decode()
    assert 'action="/accounts/logout/"' in html
    assert "My JakPreneur" in html


def test_changing_the_password(client, siti):
    client.force_login(siti.user)
    assert client.get("/accounts/password_change/").status_code == 200
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "Ondel-Ondel-2025", "new_password2": "Ondel-Ondel-2025"},
    )
    assert response.status_code == 302
    siti.user.refresh_from_db()
    assert siti.user.check_password("Ondel-Ondel-2025")


def test_password_change_requires_login(client):
    assert client.get("/accounts/password_change/").status_code == 302


def test_resetting_a_forgotten_password_by_email(english, siti):
    response = english.post("/accounts/password_reset/", {"email": siti.user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your JakPreneur password"
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", message.body).group(1)
    response = english.get(link, follow=True)
    assert response.status_code == 200
    set_password_url = response.redirect_chain[-1][0]
    response = english.post(
        set_password_url, {"new_password1": "Ondel-Ondel-2025", "new_password2": "Ondel-Ondel-2025"}
    )
    assert response.status_code == 302
    siti.user.refresh_from_db()
    assert siti.user.check_password("Ondel-Ondel-2025")


def test_a_reset_for_an_unknown_address_reveals_nothing(english):
    response = english.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_is_rate_limited(english, settings):
    settings.RATELIMIT_PASSWORD_RESET = "1/h"
    english.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert english.post("/accounts/password_reset/", {"email": "nobody@example.com"}).status_code == 429
