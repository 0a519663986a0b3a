import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN, ActivityFactory, center
from registrations.models import Attendance, Business, Enrollment, Entrepreneur, StatusChange
from registrations.tests import admin_fixtures
from registrations.tests.admin_fixtures import admin_url, changelist_results
from registrations.tests.factories import (
    BusinessFactory,
    EnrollmentFactory,
    EntrepreneurFactory,
    UserFactory,
    make_nik,
)

pytestmark = pytest.mark.django_db

# Shared fixtures (a module rather than a conftest, so that parallel branches do not collide).
gambir_person = admin_fixtures.gambir_person
menteng_person = admin_fixtures.menteng_person


def post_action(client, url_name, action, objs, **extra):
    return client.post(
        admin_url(url_name), {"action": action, "_selected_action": [o.pk for o in objs], **extra}, follow=True
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- verification ---


def test_verify_action_verifies_records_who_and_writes_history(english, alice, gambir_person):
    person = gambir_person.entrepreneur
    english.force_login(alice)
    response = post_action(english, "registrations_entrepreneur_changelist", "verify", [person])
    person.refresh_from_db()
    assert person.status == Entrepreneur.Status.VERIFIED
    assert person.status_changed_by == alice
    log = StatusChange.objects.get(entrepreneur=person, to_status="verified")
    assert log.changed_by == alice and log.from_status == "submitted"
    latest = person.history.latest()
    assert latest.status == "verified" and latest.history_user == alice
    assert any("1 registration(s) verified" in m for m in messages_of(response))


def test_verify_action_reports_rows_it_could_not_change(english, alice, gambir_person):
    person = gambir_person.entrepreneur
    Entrepreneur.objects.filter(pk=person.pk).update(status="verified")
    english.force_login(alice)
    response = post_action(english, "registrations_entrepreneur_changelist", "verify", [person])
    assert any("already" in m for m in messages_of(response))


def test_reject_action_asks_for_a_reason_first(english, alice, gambir_person):
    person = gambir_person.entrepreneur
    english.force_login(alice)
    response = post_action(english, "registrations_entrepreneur_changelist", "reject", [person])
    assert response.templates[0].name == "admin/registrations/action_form.html"
    person.refresh_from_db()
    assert person.status == "submitted"


def test_reject_action_without_a_reason_changes_nothing(english, alice, gambir_person):
    person = gambir_person.entrepreneur
    english.force_login(alice)
    response = post_action(english, "registrations_entrepreneur_changelist", "reject", [person], apply="1", reason="")
    assert response.context["form"].errors["reason"]
    person.refresh_from_db()
    assert person.status == "submitted"


def test_reject_action_with_a_reason_rejects_and_logs_it(english, alice, gambir_person):
    person = gambir_person.entrepreneur
    english.force_login(alice)
    post_action(
        english, "registrations_entrepreneur_changelist", "reject", [person], apply="1", reason="Not a DKI resident"
    )
    person.refresh_from_db()
    assert person.status == "rejected"
    assert person.status_reason == "Not a DKI resident"
    assert person.history.latest().history_change_reason == "Not a DKI resident"


def test_enrol_action_requests_the_facility_through_the_service(english, alice, gambir_person):
    person = gambir_person.entrepreneur
    english.force_login(alice)
    post_action(english, "registrations_entrepreneur_changelist", "enrol", [person], apply="1", facility="P3")
    enrolment = Enrollment.objects.get(entrepreneur=person, facility_id="P3")
    assert enrolment.state == "requested" and enrolment.handled_by == alice
    assert StatusChange.objects.filter(enrollment=enrolment, to_status="requested").exists()


def test_enrol_action_respects_sequential_mode(english, alice, gambir_person, settings):
    settings.JAKPRENEUR_SEQUENTIAL_FACILITIES = True
    person = gambir_person.entrepreneur
    english.force_login(alice)
    response = post_action(
        english, "registrations_entrepreneur_changelist", "enrol", [person], apply="1", facility="P4"
    )
    assert not Enrollment.objects.filter(entrepreneur=person, facility_id="P4").exists()
    assert any("in order" in m for m in messages_of(response))


# --- enrolment transitions ---


def test_start_then_complete_p4_with_permit_fields(english, alice, gambir_person):
    enrolment = EnrollmentFactory(entrepreneur=gambir_person.entrepreneur, facility_id="P4")
    english.force_login(alice)
    post_action(english, "registrations_enrollment_changelist", "start", [enrolment])
    enrolment.refresh_from_db()
    assert enrolment.state == "active"
    post_action(
        english,
        "registrations_enrollment_changelist",
        "complete",
        [enrolment],
        apply="1",
        permit_type="nib",
        permit_number="9120001234567",
    )
    enrolment.refresh_from_db()
    assert enrolment.state == "completed"
    assert (enrolment.permit_type, enrolment.permit_number) == ("nib", "9120001234567")
    assert [h.state for h in enrolment.history.order_by("history_date")][-2:] == ["active", "completed"]
    assert StatusChange.objects.filter(enrollment=enrolment, from_status="active", to_status="completed").exists()


def test_completing_p7_without_amount_is_refused_for_that_row(english, alice, gambir_person):
    enrolment = EnrollmentFactory(entrepreneur=gambir_person.entrepreneur, facility_id="P7")
    english.force_login(alice)
    response = post_action(english, "registrations_enrollment_changelist", "complete", [enrolment], apply="1")
    enrolment.refresh_from_db()
    assert enrolment.state == "requested"
    assert any("P7 needs" in m for m in messages_of(response))


def test_completing_p7_records_the_financing(english, dina, gambir_person):
    enrolment = EnrollmentFactory(entrepreneur=gambir_person.entrepreneur, facility_id="P7")
    english.force_login(dina)
    post_action(
        english,
        "registrations_enrollment_changelist",
        "complete",
        [enrolment],
        apply="1",
        financing_amount="25000000",
        financing_provider="Bank DKI",
    )
    enrolment.refresh_from_db()
    assert enrolment.state == "completed" and enrolment.financing_amount == 25_000_000


def test_cancel_needs_a_reason_and_logs_it(english, alice, gambir_person):
    enrolment = EnrollmentFactory(entrepreneur=gambir_person.entrepreneur)
    english.force_login(alice)
    post_action(english, "registrations_enrollment_changelist", "cancel", [enrolment], apply="1", reason="Moved away")
    enrolment.refresh_from_db()
    assert enrolment.state == "cancelled"
    assert StatusChange.objects.get(enrollment=enrolment, to_status="cancelled").reason == "Moved away"


def test_an_invalid_transition_shows_an_error(english, alice, gambir_person):
    enrolment = EnrollmentFactory(entrepreneur=gambir_person.entrepreneur, state="completed")
    english.force_login(alice)
    response = post_action(english, "registrations_enrollment_changelist", "start", [enrolment])
    assert any("cannot become" in m for m in messages_of(response))


def test_enrolments_cannot_be_added_or_deleted_directly(client, dina):
    client.force_login(dina)
    assert client.get(admin_url("registrations_enrollment_add")).status_code == 403


# --- change form and walk-ins ---


def change_data(person, **overrides):
    data = {
        "full_name": person.full_name,
        "birth_date": person.birth_date.isoformat(),
        "gender": person.gender,
        "phone": person.phone,
        "email": person.email,
        "kelurahan": person.kelurahan_id,
        "address": person.address,
        "track": person.track,
        "business-TOTAL_FORMS": "0",
        "business-INITIAL_FORMS": "0",
        "enrollments-TOTAL_FORMS": "0",
        "enrollments-INITIAL_FORMS": "0",
        "attendances-TOTAL_FORMS": "0",
        "attendances-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def reveal_first(client, person) -> None:
    """The phone is editable once the person's full values were revealed with a reason."""
    response = client.post(
        admin_url("registrations_entrepreneur_reveal", person.pk), {"fields": ["phone"], "reason": "Correcting data"}
    )
    assert response.status_code == 302


def test_staff_edit_goes_through_the_service_with_history(client, alice):
    person = EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN)
    client.force_login(alice)
    reveal_first(client, person)
    response = client.post(
        admin_url("registrations_entrepreneur_change", person.pk),
        change_data(person, phone="0813 1111 2222", address="Jl. Baru 5", status="verified"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "+6281311112222"
    assert person.address == "Jl. Baru 5"
    assert person.status == "submitted"  # status is read-only in the form
    latest = person.history.latest()
    assert latest.history_user == alice and latest.history_change_reason == "staff edit"


def test_staff_cannot_move_someone_out_of_their_kecamatan(client, alice):
    person = EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN)
    client.force_login(alice)
    response = client.post(
        admin_url("registrations_entrepreneur_change", person.pk), change_data(person, kelurahan=MENTENG_KELURAHAN)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["kelurahan"]
    person.refresh_from_db()
    assert person.kecamatan_id == "31.71.01"


def test_dina_moving_someone_updates_kecamatan_and_home_centre(client, dina):
    person = EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN)
    client.force_login(dina)
    client.post(
        admin_url("registrations_entrepreneur_change", person.pk), change_data(person, kelurahan=MENTENG_KELURAHAN)
    )
    person.refresh_from_db()
    assert person.kecamatan_id == "31.71.06"
    assert person.home_center == center("31.71.06")


def business_inline_data(business, **fields):
    """The change page's POST with the business inline filled in."""
    values = {"name": "Warung Baru", "sector": "kuliner", "workers": "3", "turnover_band": "lt5jt", **fields}
    return change_data(
        business.entrepreneur,
        **{
            "business-TOTAL_FORMS": "1",
            "business-INITIAL_FORMS": "1",
            "business-0-id": business.pk,
            "business-0-entrepreneur": business.entrepreneur.pk,
            **{f"business-0-{name}": value for name, value in values.items()},
        },
    )


def test_business_edits_in_the_inline_are_saved_with_history(client, alice, gambir_person):
    person = gambir_person.entrepreneur
    client.force_login(alice)
    data = business_inline_data(gambir_person, nib="1234567890123")
    response = client.post(admin_url("registrations_entrepreneur_change", person.pk), data)
    assert response.status_code == 302
    business = Business.objects.get(pk=gambir_person.pk)
    assert (business.name, business.workers, business.nib) == ("Warung Baru", 3, "1234567890123")
    assert business.history.latest().history_user == alice


def test_a_staff_edit_of_the_email_changes_the_login_email_too(client, alice):
    person = EntrepreneurFactory(kelurahan_code=GAMBIR_KELURAHAN)
    client.force_login(alice)
    response = client.post(
        admin_url("registrations_entrepreneur_change", person.pk), change_data(person, email="Siti.Baru@Example.com")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    person.user.refresh_from_db()
    assert person.email == person.user.email == "siti.baru@example.com"
    assert person.history.latest().history_change_reason == "staff edit"


@pytest.mark.parametrize(("email", "code"), [("taken@example.com", "duplicate_email"), ("", "required")])
def test_a_staff_edit_cannot_take_another_accounts_email_or_leave_an_account_without_one(client, alice, email, code):
    UserFactory(email="taken@example.com")
    person = EntrepreneurFactory(kelurahan_code=GAMBIR_KELURAHAN)
    before = person.user.email
    client.force_login(alice)
    response = client.post(
        admin_url("registrations_entrepreneur_change", person.pk),
        change_data(person, email=email, address="Jl. Baru 5"),
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["adminform"].form.errors.as_data()["email"]] == [code]
    person.refresh_from_db()
    person.user.refresh_from_db()
    assert person.email == person.user.email == before
    assert person.address != "Jl. Baru 5"


def test_an_email_taken_after_the_form_checked_it_is_refused_by_the_service(english, alice, monkeypatch):
    from registrations import services

    UserFactory(email="taken@example.com")
    person = EntrepreneurFactory(kelurahan_code=GAMBIR_KELURAHAN)
    monkeypatch.setattr(services, "email_ensure_free", lambda **kwargs: None)  # the form's check passes
    english.force_login(alice)
    url = admin_url("registrations_entrepreneur_change", person.pk)
    response = english.post(url, change_data(person, email="taken@example.com"), follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Another account already uses this email address." in [str(m) for m in response.context["messages"]]
    person.refresh_from_db()
    assert person.email != "taken@example.com"


def test_the_email_of_a_walk_in_without_an_account_may_be_cleared(client, alice):
    person = EntrepreneurFactory(user=None, email="joko@example.com", kelurahan_code=GAMBIR_KELURAHAN)
    client.force_login(alice)
    response = client.post(admin_url("registrations_entrepreneur_change", person.pk), change_data(person, email=""))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == ""


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"full_name": "Ani \u202eGambir"}, "full_name"),
        ({"address": "Jl"}, "address"),
        ({"phone": "021 555 1234"}, "phone"),
        ({"birth_date": "1899-01-01"}, "birth_date"),
    ],
)
def test_staff_corrections_follow_the_registration_rules(client, alice, overrides, field):
    person = EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN)
    client.force_login(alice)
    reveal_first(client, person)
    response = client.post(admin_url("registrations_entrepreneur_change", person.pk), change_data(person, **overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert person.history.count() == 1  # the creation only


def test_without_a_reveal_the_phone_is_not_on_the_form_and_a_posted_one_is_ignored(client, alice):
    person = EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN, phone="+6281200001111")
    client.force_login(alice)
    response = client.post(
        admin_url("registrations_entrepreneur_change", person.pk), change_data(person, phone="0813 1111 2222")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "+6281200001111"


@pytest.mark.parametrize(("name", "value"), [("started_year", "1920"), ("workers", "100001"), ("name", "W\u200b")])
def test_business_inline_follows_the_registration_rules(client, alice, gambir_person, name, value):
    person = gambir_person.entrepreneur
    client.force_login(alice)
    data = business_inline_data(gambir_person, **{name: value})
    response = client.post(admin_url("registrations_entrepreneur_change", person.pk), data)
    assert response.status_code == 200
    assert name in response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert Business.objects.get(pk=gambir_person.pk).name == gambir_person.name


def walk_in(**overrides):
    birth = dt.date(1991, 5, 4)
    data = {
        "nik": make_nik(birth, "L", 4242),
        "full_name": "Joko Walk-in",
        "birth_date": birth.isoformat(),
        "gender": "L",
        "phone": "0812-3456-7890",
        "email": "",
        "kelurahan": GAMBIR_KELURAHAN,
        "address": "Jl. Kebon Sirih 1",
        "track": "naik_kelas",
        "business_name": "Bakso Joko",
        "sector": "kuliner",
        "started_year": "2015",
        "workers": "2",
        "turnover_band": "5-25jt",
        "facilities": ["P2"],
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_alice_registers_a_walk_in_through_the_service(client, alice):
    client.force_login(alice)
    response = client.post(admin_url("registrations_entrepreneur_add"), walk_in())
    assert response.status_code == 302
    person = Entrepreneur.objects.get(full_name="Joko Walk-in")
    assert person.source == "staff" and person.phone == "+6281234567890"
    assert person.consent_at is not None
    assert (person.business.name, person.business.started_year, person.business.workers) == ("Bakso Joko", 2015, 2)
    assert set(person.enrollments.values_list("facility_id", "state")) == {("P1", "completed"), ("P2", "requested")}
    assert StatusChange.objects.filter(entrepreneur=person, changed_by=alice, to_status="submitted").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nik": "12345"}, "nik"),
        ({"gender": "P"}, "nik"),
        ({"phone": "021-555-1234"}, "phone"),
        ({"consent": ""}, "consent"),
        ({"kelurahan": MENTENG_KELURAHAN}, "kelurahan"),
        ({"birth_date": "2015-01-01", "nik": make_nik(dt.date(2015, 1, 1), "L", 7)}, "birth_date"),
        ({"birth_date": "1899-12-31", "nik": make_nik(dt.date(1999, 12, 31), "L", 7)}, "birth_date"),
        ({"address": "Jl"}, "address"),
        ({"full_name": " J "}, "full_name"),
        ({"full_name": "\u200b\u200b"}, "full_name"),
        ({"full_name": "Joko \u202eWalk-in"}, "full_name"),
        ({"started_year": "1920"}, "started_year"),
        ({"workers": "-1"}, "workers"),
        ({"nib": "123"}, "nib"),
        ({"turnover_band": ""}, "turnover_band"),  # naik kelas answers every business question
    ],
)
def test_walk_in_form_uses_the_registration_rules(client, alice, overrides, field):
    client.force_login(alice)
    before = Entrepreneur.objects.count()
    response = client.post(admin_url("registrations_entrepreneur_add"), walk_in(**overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Entrepreneur.objects.filter(full_name="Joko Walk-in").exists()
    assert Entrepreneur.objects.count() == before


def test_walk_in_with_a_registered_nik_is_refused(client, alice, gambir_person):
    client.force_login(alice)
    person = gambir_person.entrepreneur
    data = walk_in(nik=person.nik, birth_date=person.birth_date.isoformat(), gender=person.gender)
    response = client.post(admin_url("registrations_entrepreneur_add"), data)
    assert response.context["adminform"].form.errors["nik"]
    assert Entrepreneur.objects.filter(nik=person.nik).count() == 1


def test_history_page_shows_the_changes(client, alice, gambir_person):
    person = gambir_person.entrepreneur
    client.force_login(alice)
    post_action(client, "registrations_entrepreneur_changelist", "verify", [person])
    response = client.get(admin_url("registrations_entrepreneur_history", person.pk))
    assert response.status_code == 200
    assert "alice@jakpreneur.test" in response.content.decode()


# --- masking ---


@pytest.fixture
def without_personal_data(db):
    group = Group.objects.get(name="center_staff")
    group.permissions.remove(Permission.objects.get(codename="view_personal_data"))


def test_nik_and_phone_are_masked_without_the_permission(client, alice, gambir_person, without_personal_data):
    person = gambir_person.entrepreneur
    client.force_login(alice)
    listing = client.get(admin_url("registrations_entrepreneur_changelist")).content.decode()
    page = client.get(admin_url("registrations_entrepreneur_change", person.pk)).content.decode()
    for html in (listing, page):
        assert person.nik not in html
        assert person.masked_nik in html
    assert person.phone not in page and person.masked_phone in page


def test_the_list_masks_the_nik_even_for_staff_who_verify_people(client, alice, gambir_person):
    # They reveal one person's NIK with a reason instead (test_reveal.py).
    client.force_login(alice)
    listing = client.get(admin_url("registrations_entrepreneur_changelist")).content.decode()
    assert gambir_person.entrepreneur.nik not in listing
    assert gambir_person.entrepreneur.masked_nik in listing


# --- search ---


@pytest.mark.parametrize(
    ("term", "found"),
    [("nik", True), ("0812 9999 0001", True), ("ani gam", True), ("Nobody", False), ("+62", False)],
)
def test_search_by_nik_phone_and_name(client, dina, term, found):
    person = EntrepreneurFactory(user=None, full_name="Ani Gambir", phone="+6281299990001")
    client.force_login(dina)
    response = client.get(
        admin_url("registrations_entrepreneur_changelist"), {"q": person.nik if term == "nik" else term}
    )
    assert (changelist_results(response) == [person]) is found


# --- activities and attendance ---


def test_centre_staff_create_activities_for_their_centre_only(client, alice):
    client.force_login(alice)
    form = client.get(admin_url("facilities_activity_add")).context["adminform"].form
    assert list(form.fields["center"].queryset) == [center("31.71.01")]
    assert form.fields["center"].required


def test_marking_attendance_and_completing_p2_for_attendees(client, alice):
    activity = ActivityFactory(center=center("31.71.01"))
    came = EntrepreneurFactory(user=None)
    open_p2 = EnrollmentFactory(entrepreneur=came, facility_id="P2")
    walked_in = EntrepreneurFactory(user=None)
    absent = EntrepreneurFactory(user=None)
    rows = [Attendance.objects.create(activity=activity, entrepreneur=p) for p in (came, walked_in, absent)]
    client.force_login(alice)
    post_action(client, "registrations_attendance_changelist", "mark_attended", rows[:2])
    post_action(client, "registrations_attendance_changelist", "mark_absent", rows[2:])
    assert [Attendance.objects.get(pk=r.pk).status for r in rows] == ["attended", "attended", "absent"]
    assert Attendance.objects.get(pk=rows[0].pk).marked_by == alice

    post_action(client, "facilities_activity_changelist", "complete_facility_for_attendees", [activity])
    open_p2.refresh_from_db()
    assert open_p2.state == "completed"
    assert Enrollment.objects.get(entrepreneur=walked_in, facility_id="P2").state == "completed"
    assert not Enrollment.objects.filter(entrepreneur=absent, facility_id="P2").exists()
    # Running it again changes nothing.
    post_action(client, "facilities_activity_changelist", "complete_facility_for_attendees", [activity])
    assert Enrollment.objects.filter(facility_id="P2").count() == 2


def test_adding_a_participant_uses_the_signup_rules(english, alice):
    activity = ActivityFactory(center=center("31.71.01"), capacity=1)
    first, second = EntrepreneurFactory(user=None), EntrepreneurFactory(user=None)
    english.force_login(alice)
    url = admin_url("registrations_attendance_add")
    assert english.post(url, {"activity": activity.pk, "entrepreneur": first.pk}).status_code == 302
    response = english.post(url, {"activity": activity.pk, "entrepreneur": second.pk}, follow=True)
    assert any("full" in m for m in messages_of(response))
    assert Attendance.objects.filter(activity=activity).count() == 1


# --- query counts: fixed, independent of the number of rows ---


def make_rows(n: int) -> None:
    for i in range(n):
        person = EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN if i % 2 else MENTENG_KELURAHAN)
        BusinessFactory(entrepreneur=person)
        EnrollmentFactory(entrepreneur=person)
        activity = ActivityFactory(center=center("31.71.01")) if i < 3 else None
        if activity:
            Attendance.objects.create(activity=activity, entrepreneur=person)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


LIST_PAGES = [
    ("registrations_entrepreneur_changelist", 13),
    ("registrations_enrollment_changelist", 13),
    ("registrations_business_changelist", 11),
    ("facilities_activity_changelist", 13),
    ("registrations_attendance_changelist", 13),
]


@pytest.mark.parametrize("user_fixture", ["dina", "alice"])
def test_changelists_use_a_fixed_number_of_queries(
    client, request, monkeypatch, user_fixture, django_assert_max_num_queries
):
    from registrations.admin import base as admin_base

    # 10 rows are counted exactly, 200 rows pass the cap: the same queries either way.
    monkeypatch.setattr(admin_base.EstimatedCountPaginator, "count_cap", 50)
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    make_rows(10)
    small = {name: queries_for(client, admin_url(name)) for name, _limit in LIST_PAGES}
    make_rows(190)
    for name, limit in LIST_PAGES:
        with django_assert_max_num_queries(limit):
            assert client.get(admin_url(name)).status_code == 200
        assert queries_for(client, admin_url(name)) == small[name], name


def test_change_views_use_a_fixed_number_of_queries(client, dina, django_assert_max_num_queries):
    client.force_login(dina)
    person = EntrepreneurFactory(user=None)
    BusinessFactory(entrepreneur=person)
    enrolment = EnrollmentFactory(entrepreneur=person, facility_id="P3")
    activity = ActivityFactory(center=center("31.71.01"))
    attendance = Attendance.objects.create(activity=activity, entrepreneur=person)
    pages = [
        admin_url("registrations_entrepreneur_change", person.pk),
        admin_url("registrations_enrollment_change", enrolment.pk),
        admin_url("facilities_activity_change", activity.pk),
        admin_url("registrations_attendance_change", attendance.pk),
        admin_url("registrations_business_change", person.business.pk),
        admin_url("registrations_entrepreneur_history", person.pk),
    ]
    for url in pages:  # warm the content-type cache
        client.get(url)
    small = [queries_for(client, url) for url in pages]
    for code in ("P2", "P4", "P5", "P6", "P7"):
        EnrollmentFactory(entrepreneur=person, facility_id=code)
    for _ in range(30):
        Attendance.objects.create(activity=activity, entrepreneur=EntrepreneurFactory(user=None))
    for url, before in zip(pages, small, strict=True):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200
        assert queries_for(client, url) == before, url


# --- large tables ---


def test_a_list_under_the_cap_is_counted_exactly(dina):
    from registrations.admin import base as admin_base

    for _ in range(3):
        EntrepreneurFactory(user=None)
    paginator = admin_base.EstimatedCountPaginator(Entrepreneur.objects.order_by("-id"), 50)
    assert (paginator.count, paginator.count_kind, paginator.count_label) == (3, "exact", "3")
    filtered = admin_base.EstimatedCountPaginator(Entrepreneur.objects.filter(gender="L").order_by("-id"), 50)
    assert filtered.count == Entrepreneur.objects.filter(gender="L").count()


def test_a_filtered_list_past_the_cap_says_cap_plus(monkeypatch, dina):
    from registrations.admin import base as admin_base

    monkeypatch.setattr(admin_base.EstimatedCountPaginator, "count_cap", 2)
    for _ in range(3):
        EntrepreneurFactory(user=None, status=Entrepreneur.Status.VERIFIED)
    paginator = admin_base.EstimatedCountPaginator(Entrepreneur.objects.verified().order_by("-id"), 50)
    assert (paginator.count, paginator.count_kind, paginator.count_label) == (2, "capped", "2+")


def test_the_unfiltered_list_past_the_cap_shows_the_table_estimate_on_postgresql(monkeypatch, dina):
    from django.db import connection

    from registrations.admin import base as admin_base

    monkeypatch.setattr(admin_base.EstimatedCountPaginator, "count_cap", 2)
    for _ in range(3):
        EntrepreneurFactory(user=None)
    paginator = admin_base.EstimatedCountPaginator(Entrepreneur.objects.order_by("-id"), 50)
    if connection.vendor != "postgresql":  # no table statistics: the cap, as for a filter
        assert (paginator.count, paginator.count_label) == (2, "2+")
        return
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pg_class SET reltuples = 12345 WHERE oid = 'registrations_entrepreneur'::regclass")
    with translation.override("en"):
        assert (paginator.count, paginator.count_kind, paginator.count_label) == (12345, "estimate", "about 12,345")


def test_a_user_who_sees_nothing_costs_no_count(carol, django_assert_num_queries):
    from registrations.admin import base as admin_base
    from registrations.selectors import entrepreneurs_visible_to

    EntrepreneurFactory(user=None)
    paginator = admin_base.EstimatedCountPaginator(entrepreneurs_visible_to(carol).order_by("-id"), 50)
    with django_assert_num_queries(0):
        assert paginator.count == 0


@pytest.mark.parametrize("user_fixture", ["dina", "alice"])
def test_the_changelist_shows_the_capped_count_with_the_same_queries(
    client, request, english, monkeypatch, user_fixture
):
    from registrations.admin import base as admin_base

    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    monkeypatch.setattr(admin_base.EstimatedCountPaginator, "count_cap", 5)
    url = admin_url("registrations_entrepreneur_changelist") + "?status__exact=submitted&q=aminah"

    def gambir_rows(n):
        for _ in range(n):
            EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN, full_name="Siti Aminah")
        Entrepreneur.objects.update(status=Entrepreneur.Status.SUBMITTED)

    gambir_rows(4)
    under = queries_for(client, url)
    assert "4 results" in client.get(url).content.decode()
    gambir_rows(20)
    assert queries_for(client, url) == under
    page = client.get(url).content.decode()
    assert "5+ results" in page
    assert "5+ entrepreneurs" in page
    assert "Select all 5+ entrepreneurs" in page


# --- staff accounts ---


def test_dinas_admin_cannot_make_anyone_a_superuser(client, dina):
    from registrations.models import User

    client.force_login(dina)
    form = client.get(admin_url("registrations_user_change", dina.pk)).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    root = User.objects.create_superuser(email="root@jakpreneur.test", password="x-long-password-1")
    assert client.get(admin_url("registrations_user_change", root.pk)).status_code in (302, 404)


def test_the_admin_is_branded_as_the_jakpreneur_back_office(client, dina):
    client.force_login(dina)
    client.cookies["django_language"] = "id"
    assert "Halaman petugas JakPreneur" in client.get("/admin/").content.decode()
    client.cookies["django_language"] = "en"
    assert "JakPreneur back office" in client.get("/admin/").content.decode()
