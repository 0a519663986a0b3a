import datetime as dt

import pytest
from django.utils import timezone

from registrations.forms import BusinessForm, ContactForm, RegistrationForm
from registrations.models import Entrepreneur
from registrations.tests.factories import EntrepreneurFactory, UserFactory, make_nik
from registrations.tests.registration_payloads import BIRTH_DATE, naik_kelas_data, registration_data

pytestmark = pytest.mark.django_db


def error_codes(form, field):
    return {error.code for error in form.errors.as_data().get(field, [])}


def test_it_accepts_a_complete_registration_and_normalises_it():
    form = RegistrationForm(registration_data(email="Siti@Example.COM", nik="3171 0157 0890 0042"))
    assert form.is_valid(), form.errors
    data = form.entrepreneur_data()
    assert data.email == "siti@example.com"
    assert data.nik == "3171015708900042"
    assert data.phone == "+6281234567890"
    assert data.kelurahan.kecamatan_id == "31.71.01"
    assert data.facilities == ["P2", "P4"]
    assert data.business is None


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("nik", "12345", "nik_format"),
        ("nik", make_nik(BIRTH_DATE, "P", 41)[:12] + "0000", "nik_serial"),
        ("nik", make_nik(dt.date(1991, 8, 17), "P", 41), "nik_birth_date"),
        ("nik", make_nik(BIRTH_DATE, "L", 41), "nik_gender"),
        ("phone", "12345", "phone_format"),
        ("phone", "021 345 6789", "phone_format"),
        ("birth_date", "17-08-1990", "invalid"),
        ("kelurahan", "31.71.01.9999", "invalid_choice"),
        ("kelurahan", "", "required"),
        ("gender", "X", "invalid_choice"),
        ("track", "pensiun", "invalid_choice"),
        ("facilities", ["P1"], "invalid_choice"),
        ("facilities", ["P9"], "invalid_choice"),
        ("consent", None, "required"),
        ("email", "not-an-address", "invalid"),
        ("address", "Jl", "address_short"),
        ("nib", "12345", "nib_format"),
    ],
)
def test_it_rejects_each_invalid_field_with_its_code(field, value, code):
    form = RegistrationForm(registration_data(**{field: value}))
    assert not form.is_valid()
    assert code in error_codes(form, field), form.errors.as_data()


def test_it_rejects_people_under_the_minimum_age(settings):
    today = timezone.localdate()
    birth = today.replace(year=today.year - settings.JAKPRENEUR_MINIMUM_AGE) + dt.timedelta(days=1)
    form = RegistrationForm(registration_data(birth_date=birth.isoformat(), nik=make_nik(birth, "P", 41), gender="P"))
    assert not form.is_valid()
    assert "too_young" in error_codes(form, "birth_date")


def test_it_accepts_someone_who_turns_seventeen_today(settings):
    today = timezone.localdate()
    birth = today.replace(year=today.year - settings.JAKPRENEUR_MINIMUM_AGE)
    form = RegistrationForm(registration_data(birth_date=birth.isoformat(), nik=make_nik(birth, "L", 41), gender="L"))
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("password1", "password2", "code"),
    [
        ("short1!", "short1!", "password_too_short"),
        ("12345678901", "12345678901", "password_entirely_numeric"),
        ("password123", "password123", "password_too_common"),
        ("Batik-Tenun-2024!", "Batik-Tenun-2025!", "password_mismatch"),
    ],
)
def test_it_applies_djangos_password_validators(password1, password2, code):
    form = RegistrationForm(registration_data(password1=password1, password2=password2))
    assert not form.is_valid()
    assert code in error_codes(form, "password1") | error_codes(form, "password2")


def test_it_rejects_a_password_like_the_email_address():
    form = RegistrationForm(registration_data(email="rahmawati.siti@example.com", password1="rahmawati.siti"))
    form.data = {**form.data, "password2": "rahmawati.siti"}
    assert not form.is_valid()
    assert "password_too_similar" in error_codes(form, "password1")


def test_it_rejects_an_email_that_is_taken_whatever_its_case():
    UserFactory(email="siti@example.com")
    form = RegistrationForm(registration_data(email="SITI@example.com"))
    assert not form.is_valid()
    assert "duplicate_email" in error_codes(form, "email")


def test_it_rejects_a_registered_nik_without_saying_whose_it_is():
    existing = EntrepreneurFactory(nik=make_nik(BIRTH_DATE, "P", 41), birth_date=BIRTH_DATE, gender="P")
    form = RegistrationForm(registration_data())
    assert not form.is_valid()
    assert "duplicate_nik" in error_codes(form, "nik")
    message = " ".join(form.errors["nik"])
    assert existing.full_name not in message
    assert existing.email not in message


def test_naik_kelas_requires_the_business_questions():
    form = RegistrationForm(registration_data(track="naik_kelas"))
    assert not form.is_valid()
    for field in ("business_name", "sector", "started_year", "workers", "turnover_band"):
        assert "required_naik_kelas" in error_codes(form, field)
    assert "nib" not in form.errors


def test_naik_kelas_with_business_answers_builds_the_business():
    form = RegistrationForm(naik_kelas_data())
    assert form.is_valid(), form.errors
    business = form.entrepreneur_data().business
    assert business.name == "Kue Basah Bu Siti"
    assert (business.sector, business.started_year, business.workers) == ("kuliner", 2018, 3)
    assert (business.turnover_band, business.nib) == ("5-25jt", "1234567890123")


def test_a_pemula_may_describe_a_business_idea():
    form = RegistrationForm(registration_data(business_name="Jahit Kebaya", sector="fesyen"))
    assert form.is_valid(), form.errors
    assert form.entrepreneur_data().business.name == "Jahit Kebaya"


def test_it_rejects_a_business_started_in_the_future():
    form = RegistrationForm(naik_kelas_data(started_year=str(timezone.localdate().year + 1)))
    assert not form.is_valid()
    assert "future_year" in error_codes(form, "started_year")


def test_every_field_of_the_contract_is_on_the_form():
    contract = {"email", "password1", "password2", "nik", "full_name", "birth_date", "gender", "phone"}
    contract |= {"kelurahan", "address", "track", "business_name", "sector", "facilities", "consent"}
    assert contract <= set(RegistrationForm().fields)


def test_the_kelurahan_list_groups_all_267_by_kecamatan():
    choices = RegistrationForm().fields["kelurahan"].choices
    groups = [choice for choice in choices if isinstance(choice[1], list | tuple)]
    assert len(groups) == 44
    assert sum(len(options) for _label, options in groups) == 267


def test_free_choice_offers_p2_to_p7():
    codes = [code for code, _label in RegistrationForm().fields["facilities"].choices]
    assert codes == ["P2", "P3", "P4", "P5", "P6", "P7"]


def test_sequential_mode_offers_only_p2_and_explains_why(settings):
    settings.JAKPRENEUR_SEQUENTIAL_FACILITIES = True
    form = RegistrationForm(registration_data(facilities=["P2", "P3"]))
    assert [code for code, _label in form.fields["facilities"].choices] == ["P2"]
    assert "P2" in str(form.fields["facilities"].help_text)
    assert not form.is_valid()
    assert "invalid_choice" in error_codes(form, "facilities")


def test_the_contact_form_keeps_emails_unique_but_allows_your_own():
    mine = EntrepreneurFactory()
    other = UserFactory(email="taken@example.com")
    data = {"phone": "081299990000", "kelurahan": "31.71.06.1001", "address": "Jl. Cikini Raya 5"}
    assert ContactForm({**data, "email": mine.user.email.upper()}, user=mine.user).is_valid()
    form = ContactForm({**data, "email": other.email}, user=mine.user)
    assert not form.is_valid()
    assert "duplicate_email" in error_codes(form, "email")


def test_the_business_form_requires_answers_for_naik_kelas_only():
    assert not BusinessForm({}, track=Entrepreneur.Track.NAIK_KELAS).is_valid()
    assert not BusinessForm({}, track=Entrepreneur.Track.PEMULA).is_valid()
    assert BusinessForm({"business_name": "Warung"}, track=Entrepreneur.Track.PEMULA).is_valid()


# --- the rules of registrations/rules.py, as the public forms apply them ---


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("full_name", "S", "name_short"),
        ("full_name", "\u200b\u200c", "hidden_characters"),
        ("full_name", "Siti \u202eiwatamhaR", "hidden_characters"),
        ("full_name", "Siti\x00", "null_characters_not_allowed"),
        ("full_name", "S" * 151, "max_length"),
        ("address", "Jl. Kebon \u2066Kelapa\u2069 12", "hidden_characters"),
        ("address", "J" * 256, "max_length"),
        ("email", "e" * 250 + "@x.id", "max_length"),
        ("birth_date", "1899-12-31", "birth_date_range"),
    ],
)
def test_it_refuses_hidden_characters_and_lengths_with_the_rules_codes(field, value, code):
    form = RegistrationForm(registration_data(**{field: value}))
    assert not form.is_valid()
    assert error_codes(form, field) == {code}


def test_it_stores_names_and_addresses_in_nfc_with_single_spaces():
    form = RegistrationForm(registration_data(full_name=" Siti  Rahmawati\u0301 ", address="Jl.\tKebon\r\nKelapa 12"))
    assert form.is_valid(), form.errors
    data = form.entrepreneur_data()
    assert (data.full_name, data.address) == ("Siti Rahmawat\u00ed", "Jl. Kebon Kelapa 12")


def test_a_nik_typed_with_separators_is_accepted_whatever_its_length():
    nik = make_nik(BIRTH_DATE, "P", 41)
    form = RegistrationForm(registration_data(nik=" - ".join([nik[:4], nik[4:8], nik[8:12], nik[12:]])))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nik"] == nik


@pytest.mark.parametrize(("year", "code"), [("1949", "year_too_early"), ("1920", "year_too_early"), ("2k", "invalid")])
def test_a_business_started_before_1950_is_refused(year, code):
    form = RegistrationForm(naik_kelas_data(started_year=year))
    assert not form.is_valid()
    assert error_codes(form, "started_year") == {code}


def test_the_contact_and_business_forms_apply_the_same_rules():
    mine = EntrepreneurFactory()
    contact = ContactForm(
        {"phone": "0812 9999 0000", "email": "x@example.com", "kelurahan": "31.71.06.1001", "address": "Jl\u200b. A 1"},
        user=mine.user,
    )
    assert not contact.is_valid()
    assert error_codes(contact, "address") == {"hidden_characters"}
    business = BusinessForm({"business_name": "Warung \u202eKopi", "workers": "-2"}, track=Entrepreneur.Track.PEMULA)
    assert not business.is_valid()
    assert (error_codes(business, "business_name"), error_codes(business, "workers")) == (
        {"hidden_characters"},
        {"min_value"},
    )
