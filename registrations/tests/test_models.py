import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from registrations.models import Business, Enrollment, Entrepreneur, User
from registrations.tests.factories import EnrollmentFactory, EntrepreneurFactory, make_nik

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_duplicate_nik():
    first = EntrepreneurFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EntrepreneurFactory(nik=first.nik)
    assert Entrepreneur.objects.filter(nik=first.nik).count() == 1


def test_the_database_refuses_a_nik_that_is_not_16_digits():
    with pytest.raises(IntegrityError), transaction.atomic():
        EntrepreneurFactory(nik="12345")


def test_the_database_refuses_a_phone_not_in_e164():
    with pytest.raises(IntegrityError), transaction.atomic():
        EntrepreneurFactory(phone="081234567890")


def test_the_database_refuses_two_open_enrolments_for_one_facility():
    enrollment = EnrollmentFactory(facility_id="P2", state=Enrollment.State.REQUESTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrollmentFactory(entrepreneur=enrollment.entrepreneur, facility_id="P2", state=Enrollment.State.ACTIVE)


def test_a_closed_enrolment_does_not_block_a_new_one():
    enrollment = EnrollmentFactory(facility_id="P2", state=Enrollment.State.COMPLETED)
    EnrollmentFactory(entrepreneur=enrollment.entrepreneur, facility_id="P2", state=Enrollment.State.CANCELLED)
    EnrollmentFactory(entrepreneur=enrollment.entrepreneur, facility_id="P2", state=Enrollment.State.REQUESTED)
    assert enrollment.entrepreneur.enrollments.count() == 3


def test_the_database_refuses_a_malformed_nib():
    entrepreneur = EntrepreneurFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Business.objects.create(entrepreneur=entrepreneur, name="Toko", nib="123")


def test_users_log_in_by_email_and_have_no_username():
    user = User.objects.create_user(email="Siti@Example.COM", password="x-long-password-1")
    assert user.email == "siti@example.com"
    assert user.check_password("x-long-password-1")
    assert User.USERNAME_FIELD == "email"
    assert "username" not in {field.name for field in User._meta.get_fields()}


def test_masked_nik_and_phone_hide_the_middle():
    entrepreneur = EntrepreneurFactory.build(nik=make_nik(dt.date(1990, 3, 17), "L", 1), phone="+6281234567890")
    assert entrepreneur.masked_nik == "3171********0002"
    assert entrepreneur.masked_phone == "0812****7890"


def test_enrolment_transitions_follow_the_state_machine():
    enrollment = Enrollment(state=Enrollment.State.REQUESTED)
    assert enrollment.can_become("active") and enrollment.can_become("cancelled")
    enrollment.state = Enrollment.State.COMPLETED
    assert not enrollment.can_become("active") and not enrollment.can_become("cancelled")
