import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from facilities.tests.factories import ActivityFactory, facility, kelurahan
from registrations import services
from registrations.models import Attendance, Business, Enrollment, Entrepreneur, StatusChange, User
from registrations.tests.factories import EntrepreneurFactory, UserFactory, make_nik

pytestmark = pytest.mark.django_db


def data(**overrides) -> services.EntrepreneurData:
    birth = dt.date(1990, 3, 17)
    values = {
        "nik": make_nik(birth, "P", 7),
        "full_name": "Siti Rahmawati",
        "birth_date": birth,
        "gender": "P",
        "phone": "+6281234567890",
        "kelurahan": kelurahan("31.71.06.1001"),
        "address": "Jl. Cikini Raya 10",
        "email": "siti@example.com",
        "facilities": ["P2", "P4"],
    }
    values.update(overrides)
    return services.EntrepreneurData(**values)


@pytest.fixture
def staff(dina):
    """A staff member who may act on everyone (the services check the actor's scope:
    test_services_scope.py)."""
    return dina


def test_registration_creates_account_entrepreneur_p1_and_requests():
    entrepreneur = services.entrepreneur_register(data=data(), password="a-strong-passphrase-9", actor=None)
    assert entrepreneur.status == Entrepreneur.Status.SUBMITTED
    assert entrepreneur.kecamatan_id == "31.71.06"
    assert entrepreneur.home_center.kecamatan_id == "31.71.06"
    assert User.objects.get(email="siti@example.com").check_password("a-strong-passphrase-9")
    states = dict(entrepreneur.enrollments.values_list("facility_id", "state"))
    assert states == {"P1": "completed", "P2": "requested", "P4": "requested"}
    assert set(entrepreneur.enrollments.values_list("center__kecamatan_id", flat=True)) == {"31.71.06"}
    assert (
        StatusChange.objects.filter(entrepreneur=entrepreneur, enrollment__isnull=True, to_status="submitted").count()
        == 1
    )
    assert not Business.objects.exists()


def test_registration_with_business_data_creates_the_business():
    business = services.BusinessData(name="Kue Bu Siti", sector="kuliner", nib="1234567890123", workers=3)
    entrepreneur = services.entrepreneur_register(data=data(track="naik_kelas", business=business), actor=None)
    assert entrepreneur.business.name == "Kue Bu Siti"
    assert entrepreneur.business.nib == "1234567890123"
    assert entrepreneur.user is None


def test_a_duplicate_nik_is_refused_without_revealing_the_owner():
    services.entrepreneur_register(data=data(), password="a-strong-passphrase-9", actor=None)
    with pytest.raises(ValidationError) as excinfo:
        services.entrepreneur_register(
            data=data(email="other@example.com"), password="a-strong-passphrase-9", actor=None
        )
    assert "nik" in excinfo.value.message_dict
    assert "Siti" not in str(excinfo.value)
    assert Entrepreneur.objects.count() == 1
    assert User.objects.count() == 1


def test_a_duplicate_email_is_refused_and_writes_nothing():
    services.entrepreneur_register(data=data(), password="a-strong-passphrase-9", actor=None)
    other = data(nik=make_nik(dt.date(1991, 1, 2), "L", 3), gender="L", birth_date=dt.date(1991, 1, 2))
    with pytest.raises(ValidationError) as excinfo:
        services.entrepreneur_register(data=other, password="a-strong-passphrase-9", actor=None)
    assert "email" in excinfo.value.message_dict
    assert Entrepreneur.objects.count() == 1


def test_verify_and_reject_record_who_when_and_why(staff):
    entrepreneur = EntrepreneurFactory()
    services.entrepreneur_verify(entrepreneur=entrepreneur, actor=staff)
    entrepreneur.refresh_from_db()
    assert entrepreneur.status == "verified" and entrepreneur.status_changed_by == staff
    services.entrepreneur_reject(entrepreneur=entrepreneur, actor=staff, reason="NIK belongs to another person")
    change = StatusChange.objects.filter(entrepreneur=entrepreneur).first()
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
        "verified",
        "rejected",
        staff,
        "NIK belongs to another person",
    )
    assert entrepreneur.history.first().history_change_reason == "NIK belongs to another person"


def test_reject_needs_a_reason(staff):
    entrepreneur = EntrepreneurFactory()
    with pytest.raises(ValidationError):
        services.entrepreneur_reject(entrepreneur=entrepreneur, actor=staff, reason="  ")
    entrepreneur.refresh_from_db()
    assert entrepreneur.status == "submitted"


def test_a_facility_cannot_be_requested_twice_while_open():
    entrepreneur = EntrepreneurFactory()
    services.enrollment_request(entrepreneur=entrepreneur, facility=facility("P3"), actor=None)
    with pytest.raises(ValidationError) as excinfo:
        services.enrollment_request(entrepreneur=entrepreneur, facility=facility("P3"), actor=None)
    assert excinfo.value.code == "already_open"
    assert entrepreneur.enrollments.filter(facility_id="P3").count() == 1


def test_sequential_mode_needs_the_previous_facility_completed(settings, staff):
    settings.JAKPRENEUR_SEQUENTIAL_FACILITIES = True
    entrepreneur = services.entrepreneur_register(data=data(facilities=[]), actor=None)
    with pytest.raises(ValidationError) as excinfo:
        services.enrollment_request(entrepreneur=entrepreneur, facility=facility("P3"), actor=None)
    assert excinfo.value.code == "sequential"
    p2 = services.enrollment_request(entrepreneur=entrepreneur, facility=facility("P2"), actor=None)
    services.enrollment_complete(enrollment=p2, actor=staff)
    assert (
        services.enrollment_request(entrepreneur=entrepreneur, facility=facility("P3"), actor=None).state == "requested"
    )


def test_free_choice_is_the_default():
    entrepreneur = EntrepreneurFactory()
    assert (
        services.enrollment_request(entrepreneur=entrepreneur, facility=facility("P7"), actor=None).state == "requested"
    )


def test_enrolment_transitions_record_outcomes_and_history(staff):
    entrepreneur = EntrepreneurFactory()
    enrollment = services.enrollment_request(entrepreneur=entrepreneur, facility=facility("P4"), actor=None)
    services.enrollment_start(enrollment=enrollment, actor=staff)
    done = services.enrollment_complete(enrollment=enrollment, actor=staff, permit_type="pirt", permit_number="PIRT-1")
    assert (done.state, done.permit_type, done.permit_number, done.handled_by) == ("completed", "pirt", "PIRT-1", staff)
    assert done.started_at and done.completed_at
    assert list(StatusChange.objects.filter(enrollment=done).values_list("from_status", "to_status")) == [
        ("active", "completed"),
        ("requested", "active"),
        ("", "requested"),
    ]
    with pytest.raises(ValidationError):
        services.enrollment_cancel(enrollment=done, actor=staff)
    assert Enrollment.objects.get(pk=done.pk).state == "completed"


def test_signup_enforces_capacity():
    activity = ActivityFactory(capacity=1)
    services.attendance_signup(activity=activity, entrepreneur=EntrepreneurFactory(), actor=None)
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_signup(activity=activity, entrepreneur=EntrepreneurFactory(), actor=None)
    assert excinfo.value.code == "full"
    assert Attendance.objects.count() == 1


def test_signup_enforces_the_deadline():
    activity = ActivityFactory(
        starts_at=timezone.now() + dt.timedelta(days=1),
        registration_deadline=timezone.now() - dt.timedelta(minutes=1),
    )
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_signup(activity=activity, entrepreneur=EntrepreneurFactory(), actor=None)
    assert excinfo.value.code == "deadline"
    assert not Attendance.objects.exists()


def test_a_cancelled_place_can_be_taken_again():
    activity = ActivityFactory(capacity=1)
    entrepreneur = EntrepreneurFactory()
    attendance = services.attendance_signup(activity=activity, entrepreneur=entrepreneur, actor=None)
    services.attendance_cancel(attendance=attendance, actor=None)
    other = services.attendance_signup(activity=activity, entrepreneur=EntrepreneurFactory(), actor=None)
    assert other.status == "registered"
    with pytest.raises(ValidationError):
        services.attendance_signup(activity=activity, entrepreneur=entrepreneur, actor=None)


# --- defence in depth: the services check what they are given with the same rules ---


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"full_name": "\u200b\u200b"}, "full_name", "hidden_characters"),
        ({"full_name": "S"}, "full_name", "name_short"),
        ({"phone": "12345"}, "phone", "phone_format"),
        ({"address": "Jl"}, "address", "address_short"),
        ({"nik": "3171"}, "nik", "nik_format"),
        ({"gender": "L"}, "nik", "nik_gender"),
        (
            {"birth_date": dt.date(2015, 3, 17), "nik": make_nik(dt.date(2015, 3, 17), "P", 7)},
            "birth_date",
            "too_young",
        ),
        ({"business": services.BusinessData(name="Kue", started_year=1920)}, "started_year", "year_too_early"),
        ({"business": services.BusinessData(name="Kue\u202e")}, "business_name", "hidden_characters"),
    ],
)
def test_registration_refuses_values_no_form_checked(overrides, field, code):
    with pytest.raises(ValidationError) as excinfo:
        services.entrepreneur_register(data=data(**overrides), password="a-strong-passphrase-9", actor=None)
    assert [e.code for e in excinfo.value.error_dict[field]] == [code]
    assert not Entrepreneur.objects.exists() and not User.objects.exists()


def test_registration_stores_the_cleaned_values():
    entrepreneur = services.entrepreneur_register(
        data=data(full_name=" Siti  Rahmawati ", phone="0812 3456 7890", email=" Siti@Example.com "), actor=None
    )
    assert (entrepreneur.full_name, entrepreneur.phone, entrepreneur.email) == (
        "Siti Rahmawati",
        "+6281234567890",
        "siti@example.com",
    )


def test_one_update_service_for_staff_and_the_entrepreneur_keeps_the_login_email_in_sync(staff):
    person = EntrepreneurFactory()
    services.entrepreneur_update(entrepreneur=person, actor=staff, changes={"email": "Baru@Example.com"})
    person.refresh_from_db()
    person.user.refresh_from_db()
    assert person.email == person.user.email == "baru@example.com"
    assert person.history.latest().history_change_reason == "staff edit"
    services.entrepreneur_update(
        entrepreneur=person, actor=person.user, changes={"phone": "0813 0000 1111"}, reason="contact data changed"
    )
    person.refresh_from_db()
    assert person.phone == "+6281300001111"
    assert person.history.latest().history_change_reason == "contact data changed"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"email": "taken@example.com"}, "email", "duplicate_email"),
        ({"email": ""}, "email", "required"),  # the account logs in with it
        ({"full_name": "Siti\u2067"}, "full_name", "hidden_characters"),
        ({"gender": "L"}, "birth_date", "nik_gender"),
        ({"track": "pensiun"}, "track", "invalid_choice"),
    ],
)
def test_the_update_service_refuses_and_changes_nothing(staff, changes, field, code):
    UserFactory(email="taken@example.com")
    person = EntrepreneurFactory(gender="P")
    before = (person.email, person.full_name, person.gender, person.track, person.history.count())
    with pytest.raises(ValidationError) as excinfo:
        services.entrepreneur_update(entrepreneur=person, actor=staff, changes=changes)
    assert [e.code for e in excinfo.value.error_dict[field]] == [code]
    person.refresh_from_db()
    person.user.refresh_from_db()
    assert (person.email, person.full_name, person.gender, person.track, person.history.count()) == before
    assert person.user.email == person.email


def test_a_birth_date_correction_is_checked_against_the_registration_day(staff, settings):
    registered = timezone.now() - dt.timedelta(days=365 * 3)
    person = EntrepreneurFactory(registered_at=registered)
    # 18 today, but 15 when they registered: not a correction the programme can accept.
    birth = timezone.localdate().replace(year=timezone.localdate().year - 18) - dt.timedelta(days=30)
    with pytest.raises(ValidationError) as excinfo:
        services.entrepreneur_update(
            entrepreneur=person,
            actor=staff,
            changes={"birth_date": birth},
        )
    assert [e.code for e in excinfo.value.error_dict["birth_date"]] == ["too_young"]


def test_business_upsert_refuses_what_the_business_form_refuses():
    person = EntrepreneurFactory()
    for business, field in (
        (services.BusinessData(name="Kue", started_year=1949), "started_year"),
        (services.BusinessData(name="Kue", workers=-1), "workers"),
        (services.BusinessData(name="Kue", nib="123"), "nib"),
        (services.BusinessData(name="Kue", sector="mining"), "sector"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            services.business_upsert(entrepreneur=person, data=business, actor=None)
        assert set(excinfo.value.error_dict) == {field}
    assert not Business.objects.exists()


def test_the_home_centre_comes_from_the_cached_copy_else_the_database(monkeypatch, django_assert_num_queries):
    from facilities import cache as reference
    from facilities.models import Center
    from registrations.services.common import home_center_of

    gambir = Center.objects.get(kecamatan_id="31.71.01")
    reference.center_of_kecamatan("31.71.01")
    with django_assert_num_queries(0):
        assert home_center_of("31.71.01") == gambir
    # A centre another process created a moment ago, which this copy does not know yet.
    monkeypatch.setattr(reference, "center_of_kecamatan", lambda code: None)
    with django_assert_num_queries(1):
        assert home_center_of("31.71.01") == gambir
