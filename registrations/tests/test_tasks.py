import pytest
from django.core import mail

from registrations.tasks import send_registration_confirmation
from registrations.tests.factories import EnrollmentFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def siti():
    entrepreneur = EntrepreneurFactory(full_name="Siti Rahmawati")
    EnrollmentFactory(entrepreneur=entrepreneur, facility_id="P1", state="completed")
    EnrollmentFactory(entrepreneur=entrepreneur, facility_id="P4")
    return entrepreneur


def test_it_sends_the_confirmation_in_english(siti, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert send_registration_confirmation(siti.pk, language="en") is True
    message = mail.outbox[0]
    assert message.to == [siti.email]
    assert message.subject == "Your JakPreneur registration has been received"
    assert "Hello Siti Rahmawati," in message.body
    assert "P4 Licensing: Requested" in message.body
    assert siti.home_center.name in message.body
    assert "http://127.0.0.1:8000/me/" in message.body
    html = message.alternatives[0][0]
    assert "<li>P4 Licensing: Requested</li>" in html


def test_it_speaks_indonesian_by_default(siti):
    send_registration_confirmation(siti.pk)
    assert "P4 Perizinan" in mail.outbox[0].body


def test_an_unknown_language_falls_back_to_indonesian(siti):
    send_registration_confirmation(siti.pk, language="xx")
    assert "P4 Perizinan" in mail.outbox[0].body


def test_it_sends_nothing_for_a_missing_entrepreneur_or_address():
    assert send_registration_confirmation(999_999) is False
    walk_in = EntrepreneurFactory(user=None, email="")
    assert send_registration_confirmation(walk_in.pk) is False
    assert mail.outbox == []


def test_it_can_be_queued_through_celery(siti):
    # Tests run tasks eagerly; this goes through apply_async like the request path does.
    send_registration_confirmation.apply_async(args=[siti.pk], kwargs={"language": "en"})
    assert len(mail.outbox) == 1
