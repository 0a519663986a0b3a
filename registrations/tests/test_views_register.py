import threading
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from kombu.exceptions import OperationalError

from facilities import cache as reference
from registrations import forms, services
from registrations.models import Business, Enrollment, Entrepreneur, StatusChange, User
from registrations.tests.factories import EntrepreneurFactory, make_nik
from registrations.tests.registration_payloads import BIRTH_DATE, naik_kelas_data, registration_data

pytestmark = pytest.mark.django_db
URL = "/register/"
REGISTRATION_QUERIES = 39


def in_english(message) -> str:
    with translation.override("en"):
        return str(message)


def counts():
    return (User.objects.count(), Entrepreneur.objects.count(), Enrollment.objects.count(), Business.objects.count())


def test_the_form_shows_every_contract_field(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("email", "password1", "password2", "nik", "full_name", "birth_date", "gender", "phone"):
        assert f'name="{name}"' in html
    for name in ("kelurahan", "address", "track", "business_name", "sector", "facilities", "consent"):
        assert f'name="{name}"' in html
    assert 'type="date"' in html
    assert html.count("<optgroup") == 44


def test_a_valid_registration_creates_exactly_the_expected_rows(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, registration_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:me")
    assert counts() == (1, 1, 3, 0)
    entrepreneur = Entrepreneur.objects.get()
    assert entrepreneur.status == Entrepreneur.Status.SUBMITTED
    assert entrepreneur.source == Entrepreneur.Source.SELF
    assert entrepreneur.consent_at is not None
    assert entrepreneur.phone == "+6281234567890"
    assert entrepreneur.kecamatan_id == "31.71.01"
    assert entrepreneur.home_center.kecamatan_id == "31.71.01"
    assert entrepreneur.user.email == "siti@example.com"
    assert entrepreneur.user.check_password(registration_data()["password1"])
    states = dict(entrepreneur.enrollments.values_list("facility_id", "state"))
    assert states == {"P1": "completed", "P2": "requested", "P4": "requested"}
    assert set(entrepreneur.enrollments.values_list("center_id", flat=True)) == {entrepreneur.home_center_id}
    assert StatusChange.objects.filter(entrepreneur=entrepreneur).count() == 4
    assert int(client.session[SESSION_KEY]) == entrepreneur.user_id


def test_after_registering_the_person_sees_a_welcome_on_their_page(english):
    response = english.post(URL, registration_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("registrations:me")
    assert b"Welcome to JakPreneur" in response.content


def test_naik_kelas_registration_records_the_business(client):
    response = client.post(URL, naik_kelas_data())
    assert response.status_code == 302
    business = Business.objects.get()
    assert business.entrepreneur.track == Entrepreneur.Track.NAIK_KELAS
    assert (business.name, business.nib, business.workers) == ("Kue Basah Bu Siti", "1234567890123", 3)


@pytest.mark.parametrize(
    "overrides",
    [
        {"nik": "31710157089"},
        {"nik": make_nik(BIRTH_DATE, "L", 41)},
        {"birth_date": "2015-01-01"},
        {"phone": "0211234567"},
        {"kelurahan": "31.99.01.1001"},
        {"consent": None},
        {"password1": "12345678", "password2": "12345678"},
        {"email": ""},
        {"track": "naik_kelas"},
    ],
)
def test_an_invalid_registration_writes_nothing_and_shows_the_form(client, overrides):
    response = client.post(URL, registration_data(**overrides))
    assert response.status_code == 200
    assert counts() == (0, 0, 0, 0)
    assert b'id="error-summary"' in response.content
    assert SESSION_KEY not in client.session


def test_the_error_summary_links_to_the_field(english):
    response = english.post(URL, registration_data(nik="123"))
    html = response.content.decode()
    assert 'href="#id_nik"' in html
    assert "A NIK has exactly 16 digits." in html


def test_a_duplicate_nik_points_to_login_and_the_centre_without_revealing_the_owner(english):
    owner = EntrepreneurFactory(nik=make_nik(BIRTH_DATE, "P", 41), birth_date=BIRTH_DATE, gender="P")
    response = english.post(URL, registration_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert in_english(services.DUPLICATE_NIK_MESSAGE) in html
    assert owner.full_name not in html
    assert owner.user.email not in html
    assert Entrepreneur.objects.count() == 1


def test_a_duplicate_email_is_refused_whatever_its_case(english):
    User.objects.create_user(email="siti@example.com", password="x-Correct-Horse-9")
    response = english.post(URL, registration_data(email="Siti@Example.com"))
    assert response.status_code == 200
    assert in_english(services.DUPLICATE_EMAIL_MESSAGE) in response.content.decode()
    assert Entrepreneur.objects.count() == 0


def test_a_refusal_from_the_service_becomes_a_form_error(english, monkeypatch):
    # The NIK passes the form's own check (as when a simultaneous registration commits
    # in between); the service's refusal must come back as a field error, not a 500.
    owner = EntrepreneurFactory(nik=make_nik(BIRTH_DATE, "P", 41), birth_date=BIRTH_DATE, gender="P")
    monkeypatch.setattr(forms.Entrepreneur.objects, "filter", lambda **kw: Entrepreneur.objects.none())
    response = english.post(URL, registration_data())
    assert response.status_code == 200
    assert in_english(services.DUPLICATE_NIK_MESSAGE) in response.content.decode()
    assert list(Entrepreneur.objects.all()) == [owner]
    assert User.objects.count() == 1


def test_sequential_mode_refuses_later_facilities_and_accepts_p2(client, settings):
    settings.JAKPRENEUR_SEQUENTIAL_FACILITIES = True
    response = client.post(URL, registration_data(facilities=["P2", "P5"]))
    assert response.status_code == 200
    assert Entrepreneur.objects.count() == 0
    response = client.post(URL, registration_data(facilities=["P2"]))
    assert response.status_code == 302
    assert set(Enrollment.objects.values_list("facility_id", flat=True)) == {"P1", "P2"}


def test_the_form_explains_sequential_mode(english, settings):
    settings.JAKPRENEUR_SEQUENTIAL_FACILITIES = True
    response = english.get(URL)
    assert b"the facilities are taken in order" in response.content


def test_a_registered_entrepreneur_is_sent_to_their_page(client):
    entrepreneur = EntrepreneurFactory()
    client.force_login(entrepreneur.user)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:me")


def test_a_logged_in_staff_member_is_not_switched_to_a_new_account(client, alice):
    client.force_login(alice)
    response = client.post(URL, registration_data())
    assert response.status_code == 302
    assert Entrepreneur.objects.count() == 0
    assert int(client.session[SESSION_KEY]) == alice.pk


def test_the_confirmation_email_is_queued_only_after_commit(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(URL, registration_data())
    assert len(callbacks) == 1
    assert mail.outbox == []
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti@example.com"]


def test_the_confirmation_email_speaks_the_language_of_the_registration(english, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        english.post(URL, registration_data())
    assert mail.outbox[0].subject == "Your JakPreneur registration has been received"


def test_no_email_is_queued_when_the_registration_fails(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(URL, registration_data(consent=None))
    assert callbacks == []
    assert mail.outbox == []


def test_registration_succeeds_and_logs_when_the_broker_is_down(client, caplog, django_capture_on_commit_callbacks):
    with (
        mock.patch(
            "registrations.tasks.send_registration_confirmation.apply_async",
            side_effect=OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused."),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(URL, registration_data())
    assert response.status_code == 302
    assert Entrepreneur.objects.count() == 1
    assert "Could not queue task registrations.tasks.send_registration_confirmation" in caplog.text


def test_registration_is_rate_limited_per_ip_with_a_friendly_page(english, settings):
    settings.RATELIMIT_REGISTER = "2/h"
    for _attempt in range(2):
        assert english.post(URL, registration_data(consent=None), REMOTE_ADDR="10.0.0.1").status_code == 200
    response = english.post(URL, registration_data(), REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert int(response["Retry-After"]) == 3600
    assert Entrepreneur.objects.count() == 0
    # Reading the form is not limited, and another address is not affected.
    assert english.get(URL, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert english.post(URL, registration_data(), REMOTE_ADDR="10.0.0.2").status_code == 302


def test_the_rate_limit_page_is_in_indonesian_by_default(client, settings):
    settings.RATELIMIT_REGISTER = "0/h"
    response = client.post(URL, registration_data())
    assert response.status_code == 429
    assert b'lang="id"' in response.content


def test_registration_works_when_the_rate_limit_cache_is_down(client, caplog):
    from redis.exceptions import ConnectionError as RedisConnectionError

    with mock.patch("registrations.ratelimits.is_ratelimited", side_effect=RedisConnectionError("refused")):
        response = client.post(URL, registration_data())
    assert response.status_code == 302
    assert Entrepreneur.objects.count() == 1
    assert "Rate limit register not checked" in caplog.text


def _race(payloads: list[dict]) -> list:
    barrier = threading.Barrier(len(payloads))
    results: list = [None] * len(payloads)

    def post(index: int, payload: dict) -> None:
        try:
            client = Client(HTTP_COOKIE="django_language=en")
            barrier.wait(timeout=10)
            results[index] = client.post(URL, payload)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i, p)) for i, p in enumerate(payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads racing on a unique index need PostgreSQL's row locking"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_registrations_of_one_nik_create_one_record():
    first = registration_data(email="first@example.com")
    second = registration_data(email="second@example.com")
    responses = _race([first, second])
    assert sorted(r.status_code for r in responses) == [200, 302]
    assert Entrepreneur.objects.count() == 1
    assert User.objects.count() == 1
    refused = next(r for r in responses if r.status_code == 200)
    assert in_english(services.DUPLICATE_NIK_MESSAGE) in refused.content.decode()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_registrations_of_one_email_create_one_account():
    first = registration_data()
    second = registration_data(nik=make_nik(BIRTH_DATE, "P", 42), email="SITI@example.com")
    responses = _race([first, second])
    assert sorted(r.status_code for r in responses) == [200, 302]
    assert Entrepreneur.objects.count() == 1
    assert User.objects.count() == 1
    refused = next(r for r in responses if r.status_code == 200)
    assert in_english(services.DUPLICATE_EMAIL_MESSAGE) in refused.content.decode()


def test_the_form_and_a_registration_take_a_fixed_number_of_queries(client, django_assert_num_queries):
    client.get(URL)  # builds this process's copy of the reference data (facilities/cache.py)
    # The 267 kelurahan and the facilities come from the reference cache, on GET and POST alike:
    # the form itself reads nothing.
    with django_assert_num_queries(0):
        assert client.get(URL).status_code == 200
    # A refused POST: only the NIK and email checks.
    with django_assert_num_queries(2):
        response = client.post(URL, registration_data(consent=None))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["consent"]
    assert not Entrepreneur.objects.exists()


def test_a_registration_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    client.get(URL)
    reference.center_of_kecamatan("31.71.01")  # the centres' copy, built once per process
    # The NIK and email checks, then one transaction: user, entrepreneur, P1 and the two
    # facilities chosen (enrolment, history, status log each), the confirmation email's outbox
    # row, the login (session, last login). No kelurahan, centre or facility read: those are
    # cached (facilities/cache.py).
    with django_assert_num_queries(REGISTRATION_QUERIES):
        assert client.post(URL, registration_data()).status_code == 302
    with django_assert_num_queries(REGISTRATION_QUERIES):
        other = Client()
        data = registration_data(nik=make_nik(BIRTH_DATE, "P", 42), email="dewi@example.com", phone="0812 3456 7891")
        assert other.post(URL, data).status_code == 302
