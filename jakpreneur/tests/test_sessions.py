"""The session engine (jakpreneur/sessions.py) and sign-in backend (jakpreneur/backends.py):
Django's database sessions and ModelBackend with their per-request reads compiled once. What
a signed-in person gets must not change: the same sessions, expiry, sign-out on a password
change or a deactivated account, and sessions written before the change still valid."""

import datetime as dt

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from jakpreneur.backends import DJANGO_MODEL_BACKEND, MODEL_BACKEND
from jakpreneur.sessions import SessionStore
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def siti():
    return EntrepreneurFactory(full_name="Siti Rahmawati")


def signed_in(user, backend=MODEL_BACKEND) -> Client:
    client = Client()
    client.force_login(user, backend=backend)
    return client


def test_signing_in_stores_our_backend_and_opens_my_page(client, siti):
    response = client.post("/accounts/login/", {"username": siti.user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == MODEL_BACKEND
    assert client.get("/me/").status_code == 200


def test_a_session_signed_in_before_the_change_stays_signed_in(siti):
    """Sessions written through Django's ModelBackend (every session before this engine)."""
    client = signed_in(siti.user, backend=DJANGO_MODEL_BACKEND)
    row = Session.objects.get()
    assert SessionStore().decode(row.session_data)[BACKEND_SESSION_KEY] == MODEL_BACKEND
    # The stored data says Django's backend: written by Django's own engine.
    assert Session.objects.get().get_decoded()[BACKEND_SESSION_KEY] == DJANGO_MODEL_BACKEND
    response = client.get("/me/")
    assert response.status_code == 200
    assert b"Siti Rahmawati" in response.content


def test_an_expired_session_signs_nobody_in(siti):
    client = signed_in(siti.user)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_unknown_session_key_signs_nobody_in_and_is_not_kept(client, siti):
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key="x" * 32).exists()


def test_the_session_and_the_account_are_one_query_each(siti, django_assert_num_queries):
    client = signed_in(siti.user)
    client.get("/accounts/password_change/")
    with django_assert_num_queries(2) as captured:  # the session, the account; the page reads nothing else
        assert client.get("/accounts/password_change/").status_code == 200
    tables = [query["sql"] for query in captured.captured_queries]
    assert '"django_session"' in tables[0] and '"registrations_user"' in tables[1]


def test_a_deactivated_account_is_signed_out(siti):
    client = signed_in(siti.user)
    siti.user.is_active = False
    siti.user.save(update_fields=["is_active"])
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_password_changed_elsewhere_signs_this_session_out(siti):
    phone, laptop = signed_in(siti.user), signed_in(siti.user)
    new = "a-new-Passw0rd-for-Siti"
    response = laptop.post(
        "/accounts/password_change/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert laptop.get("/me/").status_code == 200  # the session that changed it stays in
    response = phone.get("/me/")
    assert response.status_code == 302
    assert SESSION_KEY not in phone.session
