"""Issue 13, item 7: after signing in on the site, each person lands where their work is."""

import pytest

from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery-staple"


def _sign_in(client, user, **extra):
    return client.post(LOGIN, {"username": user.email, "password": PASSWORD, **extra})


@pytest.mark.parametrize(
    ("who", "home"),
    [("olga", "/dashboard/"), ("alice", "/admin/"), ("dina", "/admin/"), ("entrepreneur", "/me/")],
)
def test_each_person_lands_where_their_work_is(client, request, who, home):
    user = EntrepreneurFactory().user if who == "entrepreneur" else request.getfixturevalue(who)
    response = _sign_in(client, user)
    assert response.status_code == 302
    assert response["Location"] == home
    assert client.get(home).status_code == 200
    # Signed in already: the login page sends them on to the same place.
    assert client.get(LOGIN)["Location"] == home


def test_a_safe_next_wins_over_the_home(client, olga):
    response = _sign_in(client, olga, next="/open-data/")
    assert response["Location"] == "/open-data/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_an_unsafe_next_is_ignored(client, olga, target):
    response = _sign_in(client, olga, next=target)
    assert response["Location"] == "/dashboard/"


def test_an_official_who_opens_my_page_is_pointed_to_the_dashboard(english, olga):
    english.force_login(olga)
    body = english.get("/me/").content.decode()
    assert "This account has no entrepreneur registration." in body
    assert 'href="/dashboard/"' in body and "Open the dashboard" in body
