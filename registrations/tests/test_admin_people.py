"""The entrepreneur's change form, walk-in registration, history, masking and search in the
back office: every edit goes through the services and the registration rules."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission

from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN, center
from registrations.models import Business, Entrepreneur, StatusChange
from registrations.tests import admin_fixtures
from registrations.tests.admin_fixtures import admin_url, changelist_results, post_action
from registrations.tests.factories import (
    EntrepreneurFactory,
    UserFactory,
    make_nik,
)

pytestmark = pytest.mark.django_db

# Shared fixtures (a module rather than a conftest, so that parallel branches do not collide).
gambir_person = admin_fixtures.gambir_person


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
