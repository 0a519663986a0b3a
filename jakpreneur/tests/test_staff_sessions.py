import time

import pytest

from jakpreneur.middleware import LAST_SEEN, STAFF_FLAG
from registrations.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cast", ["alice", "dina"])
def test_back_office_sessions_end_with_the_browser(client, cast, request):
    client.force_login(request.getfixturevalue(cast))
    assert client.session.get_expire_at_browser_close()
    assert client.session[STAFF_FLAG] is True


def test_an_officials_session_is_an_ordinary_one(client, olga):
    # Officials see aggregates only, never personal data.
    client.force_login(olga)
    assert not client.session.get_expire_at_browser_close()
    assert STAFF_FLAG not in client.session


def test_an_entrepreneurs_session_lasts_two_weeks(client, settings):
    user = User.objects.create_user(email="warga@example.id", password="x-very-long-password-1")
    client.force_login(user)
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 14 * 24 * 3600


def _idle(client, seconds):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


def test_a_staff_session_idle_too_long_is_logged_out(client, dina, settings):
    client.force_login(dina)
    _idle(client, settings.STAFF_SESSION_IDLE_MINUTES * 60 + 1)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


def test_a_staff_session_in_use_stays_signed_in(client, dina, settings):
    client.force_login(dina)
    _idle(client, settings.STAFF_SESSION_IDLE_MINUTES * 60 - 30)
    assert client.get("/admin/").status_code == 200
    # The request counted as activity: the clock starts again.
    assert int(time.time()) - client.session[LAST_SEEN] < 5
    assert client.get("/admin/").status_code == 200
