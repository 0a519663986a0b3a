"""The person and business rules (registrations/rules.py), one function each."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from registrations import rules
from registrations.tests.factories import make_nik

BIRTH = dt.date(1990, 8, 17)


def codes(rule, *args, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as error:
        rule(*args, **kwargs)
    return [e.code for e in error.value.error_list]


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("3171015708900042", "3171015708900042"),
        ("3171 0157 0890 0042", "3171015708900042"),
        (" 3171.0157.0890-0042 ", "3171015708900042"),
    ],
)
def test_a_nik_is_taken_as_typed(value, cleaned):
    assert rules.clean_nik(value) == cleaned
    assert rules.clean_nik(cleaned) == cleaned  # idempotent: services check again


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("12345", "nik_format"),
        ("3171O15708900042", "nik_format"),
        ("317101570890004２", "nik_format"),  # a full-width digit
        ("0071015708900042", "nik_region"),
        ("3171013208900042", "nik_date"),
        ("3171015708900000", "nik_serial"),
        ("3171\x0015708900042", "null_characters_not_allowed"),
    ],
)
def test_a_bad_nik_is_refused_with_its_code(value, code):
    assert codes(rules.clean_nik, value) == [code]


def test_the_nik_must_match_birth_date_and_gender():
    nik = make_nik(BIRTH, "P", 41)
    rules.check_nik_matches(nik, birth_date=BIRTH, gender="P")
    assert codes(rules.check_nik_matches, nik, birth_date=BIRTH, gender="L") == ["nik_gender"]
    assert codes(rules.check_nik_matches, nik, birth_date=dt.date(1991, 8, 17), gender="L") == [
        "nik_birth_date",
        "nik_gender",
    ]
    # Not checked until all three passed their own rules.
    rules.check_nik_matches(nik, birth_date=None, gender="L")


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("  Siti   Rahmawati ", "Siti Rahmawati"),
        ("Siti\nRahmawati\t", "Siti Rahmawati"),
        ("Siti\u00a0Rahmawati", "Siti Rahmawati"),  # no-break space is whitespace
        ("Jose\u0301 Rizal", "Jos\u00e9 Rizal"),  # NFC: e + combining acute → é
        ("Ny. Dewi 'Ayu' Lestari-Putri", "Ny. Dewi 'Ayu' Lestari-Putri"),
    ],
)
def test_a_name_is_normalised(value, cleaned):
    assert rules.clean_full_name(value) == cleaned
    assert rules.clean_full_name(cleaned) == cleaned


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("J", "name_short"),
        ("  J  ", "name_short"),
        ("\u200b\u200b", "hidden_characters"),  # zero-width spaces only
        ("\ufeff\u2060", "hidden_characters"),
        ("\u3164\u3164", "hidden_characters"),  # Hangul filler: looks like nothing
        ("Siti\u200bRahmawati", "hidden_characters"),
        ("Siti \u200d Rahmawati", "hidden_characters"),
        ("Siti \u202eiwatamhaR", "hidden_characters"),  # right-to-left override
        ("Siti \u2066Rahmawati\u2069", "hidden_characters"),  # isolate
        ("Siti \u200fRahmawati", "hidden_characters"),  # right-to-left mark
        ("Siti \u061cRahmawati", "hidden_characters"),  # Arabic letter mark
        ("Siti\x07Rahmawati", "hidden_characters"),  # BEL
        ("Siti\x1bRahmawati", "hidden_characters"),  # ESC
        ("Siti\x7fRahmawati", "hidden_characters"),
        ("Siti\u0085Rahmawati", None),  # NEL is whitespace: collapsed, accepted
        ("Siti\x00Rahmawati", "null_characters_not_allowed"),
        ("A" * 151, "max_length"),
    ],
)
def test_a_bad_name_is_refused_with_its_code(value, code):
    if code is None:
        assert rules.clean_full_name(value) == "Siti Rahmawati"
    else:
        assert codes(rules.clean_full_name, value) == [code]


def test_a_name_of_150_characters_is_accepted_and_the_limit_counts_as_typed():
    assert rules.clean_full_name("A" * 150) == "A" * 150
    # 150 letters with spaces between words collapse below the limit but were typed longer.
    assert codes(rules.clean_full_name, "A" * 100 + " " * 60 + "B") == ["max_length"]


def test_the_same_text_rules_apply_to_addresses_and_business_names():
    assert rules.clean_address(" Jl.  Kebon\r\nKelapa 12 ") == "Jl. Kebon Kelapa 12"
    assert codes(rules.clean_address, "Jl 1") == ["address_short"]
    assert codes(rules.clean_address, "Jl. Kebon \u202eKelapa") == ["hidden_characters"]
    assert codes(rules.clean_address, "J" * 256) == ["max_length"]
    assert rules.clean_business_name(" Warung  Kopi ☕ ") == "Warung Kopi ☕"
    assert rules.clean_business_name("") == ""
    assert codes(rules.clean_business_name, "Warung\u200b") == ["hidden_characters"]
    assert codes(rules.clean_business_name, "W" * 151) == ["max_length"]


def test_the_birth_date_rules_and_their_one_message(settings):
    today = timezone.localdate()
    minimum = settings.JAKPRENEUR_MINIMUM_AGE
    seventeen = today.replace(year=today.year - minimum)
    assert rules.clean_birth_date(seventeen) == seventeen
    assert codes(rules.clean_birth_date, seventeen + dt.timedelta(days=1)) == ["too_young"]
    assert codes(rules.clean_birth_date, today + dt.timedelta(days=1)) == ["birth_date_range"]
    assert codes(rules.clean_birth_date, dt.date(1899, 12, 31)) == ["birth_date_range"]
    # Old enough on another day: an import checks the age on the registration date.
    assert codes(rules.clean_birth_date, dt.date(2005, 6, 1), on=dt.date(2019, 5, 1)) == ["too_young"]
    assert rules.clean_birth_date(dt.date(2002, 5, 1), on=dt.date(2019, 5, 1)) == dt.date(2002, 5, 1)
    with pytest.raises(ValidationError) as error:
        rules.clean_birth_date(today)
    with translation.override("en"):
        assert error.value.messages == [f"Entrepreneurs register from the age of {minimum}."]


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [("0812 3456 7890", "+6281234567890"), ("+62 812-3456-7890", "+6281234567890"), ("6281234567890", None)],
)
def test_phones_are_stored_in_e164(value, cleaned):
    assert rules.clean_phone(value) == (cleaned or "+6281234567890")


@pytest.mark.parametrize("value", ["021 555 1234", "0812", "08123456789012345", "\u200b0812 3456 7890"])
def test_a_bad_phone_is_refused(value):
    assert codes(rules.clean_phone, value) == ["phone_format"]


def test_emails_are_lower_case_and_valid():
    assert rules.clean_email(" Siti@Example.COM ") == "siti@example.com"
    assert rules.clean_email("") == ""
    assert codes(rules.clean_email, "not-an-address") == ["invalid"]
    assert codes(rules.clean_email, "a" * 250 + "@x.id") == ["max_length"]


def test_the_year_a_business_started_is_1950_to_this_year():
    this_year = timezone.localdate().year
    assert rules.clean_started_year("1950") == 1950
    assert rules.clean_started_year(this_year) == this_year
    assert rules.clean_started_year("") is None
    assert codes(rules.clean_started_year, "1949") == ["year_too_early"]
    assert codes(rules.clean_started_year, "1920") == ["year_too_early"]
    assert codes(rules.clean_started_year, str(this_year + 1)) == ["future_year"]
    assert codes(rules.clean_started_year, "2018.5") == ["invalid"]
    assert codes(rules.clean_started_year, "9" * 5000) == ["invalid"]  # not a 5,000-digit int


def test_workers_are_0_to_100000():
    assert rules.clean_workers("0") == 0
    assert rules.clean_workers(100_000) == 100_000
    assert rules.clean_workers(" ") is None
    assert codes(rules.clean_workers, "-1") == ["min_value"]
    assert codes(rules.clean_workers, "100001") == ["max_value"]
    assert codes(rules.clean_workers, "tiga") == ["invalid"]


def test_nib_and_choices():
    assert rules.clean_nib(" 1234 5678 90123 ") == "1234567890123"
    assert rules.clean_nib("") == ""
    assert codes(rules.clean_nib, "12345") == ["nib_format"]
    assert rules.clean_sector("kuliner") == "kuliner"
    for rule, bad in ((rules.clean_sector, "mining"), (rules.clean_turnover_band, "huge")):
        assert codes(rule, bad) == ["invalid_choice"]
    assert codes(rules.clean_gender, "X") == ["invalid_choice"]
    assert codes(rules.clean_track, "expert") == ["invalid_choice"]


def test_a_legacy_id_is_short_plain_text():
    assert rules.clean_legacy_id(" OKOCE-1 ") == "OKOCE-1"
    assert codes(rules.clean_legacy_id, "OKOCE\x00") == ["null_characters_not_allowed"]
    assert codes(rules.clean_legacy_id, "OKOCE\u202e1") == ["hidden_characters"]
    assert codes(rules.clean_legacy_id, "X" * 41) == ["max_length"]


def test_the_checker_collects_errors_by_field_and_checks_a_field_until_its_first_refusal():
    check = rules.Checker()
    assert check("full_name", rules.clean_full_name, " Siti  R ") == "Siti R"
    assert check("nik", rules.clean_nik, "123") is None
    assert check("nik", rules.check_nik_matches, "123", birth_date=BIRTH, gender="P") is None  # skipped
    assert check("phone", rules.clean_phone, "12") is None
    assert {field: [e.code for e in errors] for field, errors in check.errors.items()} == {
        "nik": ["nik_format"],
        "phone": ["phone_format"],
    }
    with pytest.raises(ValidationError) as error:
        check.raise_errors()
    assert set(error.value.error_dict) == {"nik", "phone"}
