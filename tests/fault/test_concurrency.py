"""Races against a running server: 50 people at once with one NIK, 50 at once for 10 places.

The requests go over HTTP to Django's live server, one thread and one database connection
per request, as gunicorn's threads would. PostgreSQL only: SQLite serialises writers on one
file lock, so there is no race to win or lose there.
"""

import datetime as dt
import http.client
import secrets
import threading
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection
from django.test import Client

from facilities.tests.factories import MENTENG_KELURAHAN, ActivityFactory, center
from registrations.models import Attendance, Entrepreneur, User
from registrations.tests.factories import EntrepreneurFactory, make_nik

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock and unique-index races need PostgreSQL"),
]

PEOPLE = 50
CSRF = "a" * 32  # a CSRF secret we set as the cookie and echo in the header


@pytest.fixture(autouse=True)
def _server_settings(settings):
    # Fast password hashing (50 accounts) and no per-IP rate limit (every request is 127.0.0.1).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.RATELIMIT_ENABLE = False


def _open_connection(host: str, port: int) -> http.client.HTTPConnection:
    """A kept-alive connection the server has already served once, so that it is accepted
    and waiting: the live server's listen backlog is short, and the race to provoke is
    between requests, not between TCP handshakes."""
    conn = http.client.HTTPConnection(host, port, timeout=120)
    conn.request("GET", "/healthz")
    response = conn.getresponse()
    response.read()
    assert response.status == 200 and not response.will_close
    return conn


def post_all(url: str, requests: list[tuple[str, dict, dict]]) -> list[tuple[int, str]]:
    """POST every (path, form, cookies) at the same moment, each on its own connection."""
    parts = urlsplit(url)
    connections = [_open_connection(parts.hostname, parts.port) for _ in requests]
    results: list[tuple[int, str] | None] = [None] * len(requests)
    barrier = threading.Barrier(len(requests))

    def send(index: int, path: str, form: dict, cookies: dict) -> None:
        conn = connections[index]
        cookies = {"csrftoken": CSRF, "django_language": "en", **cookies}
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "X-CSRFToken": CSRF,
        }
        body = urlencode(form, doseq=True)
        barrier.wait()
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        results[index] = (response.status, response.read().decode("utf-8", "replace"))
        conn.close()

    threads = [threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert all(result is not None for result in results), "a request never got an answer"
    return results


def registration(nik: str, n: int) -> dict:
    return {
        "email": f"warga{n}-{secrets.token_hex(3)}@example.id",
        "password1": "Sangat-Rahasia-2024",
        "password2": "Sangat-Rahasia-2024",
        "nik": nik,
        "full_name": f"Warga Menteng {n}",
        "birth_date": "1990-05-17",
        "gender": "L",
        "phone": f"0812{n:08d}",
        "kelurahan": MENTENG_KELURAHAN,
        "address": "Jl. Cikini Raya No. 1",
        "track": "pemula",
        "facilities": ["P2"],
        "consent": "on",
    }


def test_fifty_simultaneous_registrations_of_one_nik_give_one_entrepreneur(live_server):
    nik = make_nik(dt.date(1990, 5, 17), "L", 77)
    results = post_all(live_server.url, [("/register/", registration(nik, n), {}) for n in range(PEOPLE)])

    statuses = [status for status, _ in results]
    assert 500 not in statuses
    assert statuses.count(302) == 1, statuses
    assert statuses.count(200) == PEOPLE - 1, statuses
    refused = [body for status, body in results if status == 200]
    assert all("This NIK is already registered" in body for body in refused)
    assert Entrepreneur.objects.filter(nik=nik).count() == 1
    # The losers' accounts were rolled back with their registrations: nothing half-written.
    assert User.objects.filter(email__startswith="warga").count() == 1
    winner = Entrepreneur.objects.get(nik=nik)
    assert winner.user is not None
    assert winner.enrollments.count() == 2  # P1 completed, P2 requested


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_fifty_simultaneous_signups_for_ten_places_give_ten_attendances(live_server):
    activity = ActivityFactory(center=center("31.71.06"), capacity=10)
    people = [EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN) for _ in range(PEOPLE)]
    path = f"/me/activities/{activity.pk}/signup/"
    results = post_all(live_server.url, [(path, {}, {"sessionid": _session_cookie(p.user)}) for p in people])

    statuses = [status for status, _ in results]
    assert 500 not in statuses
    assert set(statuses) == {302}  # back to their page, with "signed up" or "full"
    assert Attendance.objects.filter(activity=activity, status=Attendance.Status.REGISTERED).count() == 10
    assert Attendance.objects.filter(activity=activity).count() == 10
