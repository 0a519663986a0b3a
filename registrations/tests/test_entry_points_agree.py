"""The same person, valid or not, is accepted or refused alike by every way in: the public
registration form, the back office's walk-in form and a row of a legacy import. They share
the rules of registrations/rules.py, so they must also give the same (field, error code)
pairs (field names as the import's columns; the forms' extra fields get valid values)."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN
from registrations.admin.forms import WalkInForm
from registrations.forms import RegistrationForm
from registrations.imports import RowValidator
from registrations.tests.factories import make_nik
from registrations.tests.registration_payloads import PASSWORD

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_YEAR = TODAY.year
TOO_YOUNG = TODAY.replace(year=TODAY.year - 16, day=1)

names = st.one_of(
    st.sampled_from(
        [
            "Siti Rahmawati",
            "  Dewi   Lestari ",
            "Jose\u0301 Rizal",  # NFC
            "I Gusti Ayu Made",
            "S",  # too short
            "",  # required
            "\u200b\u200b",  # zero-width only
            "\u3164\u3164",  # Hangul fillers only
            "Siti \u202eiwatamhaR",  # right-to-left override
            "Siti\u200dRahma",
            "Siti\x07Rahma",
            "Siti\x00",
            "A" * 151,
            "A" * 100 + " " * 60 + "B",
        ]
    ),
    st.text(max_size=12),
)
addresses = st.one_of(
    st.sampled_from(["Jl. Kebon Kelapa No. 12", " Jl.  Cikini\n5 ", "Jl", "", "Jl. \u2066Cikini\u2069 5", "J" * 256]),
    st.text(max_size=12),
)
phones = st.sampled_from(
    ["0812 3456 7890", "+62 812-3456-7890", "6281234567890", "021 555 1234", "12", "", "\u200b081234567890"]
)
emails = st.sampled_from(["warga.baru@example.id", "Warga.Baru@Example.ID", "not-an-email", "e" * 250 + "@x.id"])
birth_dates = st.one_of(
    st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2000, 12, 31)),
    st.sampled_from([TOO_YOUNG, TODAY + dt.timedelta(days=3), dt.date(1899, 12, 31)]),
)
years = st.sampled_from(["2018", "1950", str(THIS_YEAR), "1949", "1920", str(THIS_YEAR + 1), "tahun", "-5"])


@st.composite
def nik_for(draw, birth: dt.date, gender: str) -> str:
    base_gender = gender if gender in ("L", "P") else "L"
    nik = make_nik(birth, base_gender, draw(st.integers(min_value=1, max_value=9000)))
    kind = draw(st.sampled_from(["same", "same", "spaced", "gender", "date", "short", "letters", "serial", "region"]))
    if kind == "spaced":
        return f" {nik[:4]} {nik[4:8]}.{nik[8:12]}-{nik[12:]} "
    if kind == "gender":
        return make_nik(birth, "P" if base_gender == "L" else "L", 7)
    if kind == "date":
        return make_nik(birth + dt.timedelta(days=draw(st.integers(min_value=1, max_value=400))), base_gender, 7)
    return {
        "same": nik,
        "short": nik[:15],
        "letters": nik[:10] + "ABCDEF",
        "serial": nik[:12] + "0000",
        "region": "00" + nik[2:],
    }[kind]


@st.composite
def people(draw) -> dict[str, str]:
    birth = draw(birth_dates)
    gender = draw(st.sampled_from(["L", "P", "P", "X", ""]))
    person = {
        "nik": draw(nik_for(birth, gender)),
        "full_name": draw(names),
        "birth_date": draw(st.sampled_from([birth.isoformat(), birth.isoformat(), "1990-02-30", ""])),
        "gender": gender,
        "phone": draw(phones),
        "email": draw(emails),
        "kelurahan_code": draw(st.sampled_from([GAMBIR_KELURAHAN, MENTENG_KELURAHAN, "31.99.99.9999", ""])),
        "address": draw(addresses),
        "track": "pemula",
    }
    if draw(st.booleans()):
        # Naik kelas answers every business question (the public form requires it).
        person["track"] = draw(st.sampled_from(["pemula", "naik_kelas", "naik_kelas", "expert"]))
        person |= {
            "business_name": draw(st.sampled_from(["Kue Bu Siti", "Toko  Kue\u0301", "K\u200b", "T" * 151])),
            "sector": draw(st.sampled_from(["kuliner", "fesyen", "mining"])),
            "started_year": draw(years),
            "workers": draw(st.sampled_from(["0", "3", "100000", "-1", "100001", "tiga"])),
            "turnover_band": draw(st.sampled_from(["lt5jt", "5-25jt", "huge"])),
            "nib": draw(st.sampled_from(["", "1234567890123", "1234 5678 90123", "123"])),
        }
    else:
        person["track"] = draw(st.sampled_from(["pemula", "pemula", "expert"]))
    return person


def form_errors(form, extra_fields: set[str]) -> set[tuple[str, str]]:
    errors = form.errors.as_data()
    assert not (set(errors) & extra_fields), errors  # the extra fields were given valid values
    return {
        ("kelurahan_code" if field == "kelurahan" else field, error.code)
        for field, field_errors in errors.items()
        for error in field_errors
    }


def through_the_public_form(person: dict[str, str]) -> set[tuple[str, str]]:
    data = {"kelurahan" if k == "kelurahan_code" else k: v for k, v in person.items()}
    data |= {"password1": PASSWORD, "password2": PASSWORD, "consent": "on", "facilities": ["P2"]}
    form = RegistrationForm(data)
    form.is_valid()
    return form_errors(form, {"password1", "password2", "consent", "facilities"})


def through_the_walk_in_form(person: dict[str, str]) -> set[tuple[str, str]]:
    data = {"kelurahan" if k == "kelurahan_code" else k: v for k, v in person.items()}
    form = WalkInForm(data | {"consent": "on", "facilities": ["P2"]})
    form.is_valid()
    return form_errors(form, {"consent", "facilities"})


def through_an_import_row(person: dict[str, str], validator: RowValidator) -> set[tuple[str, str]]:
    # As read_rows hands a row over: every cell stripped; the other columns empty.
    row = {column: value.strip() for column, value in person.items()}
    cleaned = validator.clean(2, row | {"legacy_id": "", "facilities_completed": "", "registered_date": ""})
    return {(error.field, error.code) for error in cleaned} if isinstance(cleaned, list) else set()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(person=people())
def test_the_form_the_walk_in_and_the_import_accept_or_refuse_a_person_alike(person):
    public = through_the_public_form(person)
    walk_in = through_the_walk_in_form(person)
    imported = through_an_import_row(person, RowValidator())
    assert public == walk_in == imported, person


def test_the_property_sees_both_outcomes():
    """The generator yields valid people and each kind of refusal (else the property above
    could pass by refusing everything)."""
    valid = {
        "nik": make_nik(dt.date(1985, 2, 14), "P", 501),
        "full_name": "Siti Aminah",
        "birth_date": "1985-02-14",
        "gender": "P",
        "phone": "0812 1111 2222",
        "email": "siti.aminah@example.id",
        "kelurahan_code": GAMBIR_KELURAHAN,
        "address": "Jl. Kebon Kelapa No. 3",
        "track": "naik_kelas",
        "business_name": "Katering Bu Siti",
        "sector": "kuliner",
        "started_year": "1949",
        "workers": "4",
        "turnover_band": "5-25jt",
        "nib": "",
    }
    expected = {("started_year", "year_too_early")}
    assert through_the_public_form(valid) == through_the_walk_in_form(valid) == expected
    assert through_an_import_row(valid, RowValidator()) == expected
    valid["started_year"] = "2012"
    assert through_the_public_form(valid) == through_the_walk_in_form(valid) == set()
    assert through_an_import_row(valid, RowValidator()) == set()
