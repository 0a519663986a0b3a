import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from registrations.validators import (
    age_on,
    check_nik_consistency,
    normalize_name,
    normalize_phone,
    parse_nik,
    validate_nib,
)

TODAY = dt.date(2026, 11, 27)


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def test_it_parses_a_man_s_nik():
    parts = parse_nik("3171011703900001", today=TODAY)
    assert parts.region == "317101"
    assert parts.birth_date == dt.date(1990, 3, 17)
    assert parts.gender == "L"
    assert parts.serial == "0001"


def test_it_reads_day_plus_40_as_a_woman():
    parts = parse_nik("3171015703900002", today=TODAY)
    assert parts.birth_date == dt.date(1990, 3, 17)
    assert parts.gender == "P"


def test_it_puts_two_digit_years_in_the_latest_past_century():
    assert parse_nik("3171010101050001", today=TODAY).birth_date == dt.date(2005, 1, 1)
    assert parse_nik("3171010101300001", today=TODAY).birth_date == dt.date(1930, 1, 1)


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("317101170390000", "nik_format"),  # 15 digits
        ("31710117039000012", "nik_format"),  # 17 digits
        ("3171011703900a01", "nik_format"),
        ("", "nik_format"),
        ("0071011703900001", "nik_region"),
        ("3171013203900001", "nik_date"),  # day 32
        ("3171017203900001", "nik_date"),  # woman, day 72 - 40 = 32
        ("3171013002900001", "nik_date"),  # 30 February
        ("3171011713900001", "nik_date"),  # month 13
        ("3171011703900000", "nik_serial"),
    ],
)
def test_it_rejects_invalid_niks(nik, code):
    with pytest.raises(ValidationError) as excinfo:
        parse_nik(nik, today=TODAY)
    assert codes(excinfo.value) == {code}


def test_it_accepts_29_february_in_a_leap_year_only():
    assert parse_nik("3171012902000001", today=TODAY).birth_date == dt.date(2000, 2, 29)
    with pytest.raises(ValidationError):
        parse_nik("3171012902010001", today=TODAY)


def test_it_checks_nik_against_birth_date_and_gender():
    check_nik_consistency("3171015703900002", birth_date=dt.date(1990, 3, 17), gender="P")
    with pytest.raises(ValidationError) as excinfo:
        check_nik_consistency("3171015703900002", birth_date=dt.date(1990, 3, 18), gender="L")
    assert codes(excinfo.value) == {"nik_birth_date", "nik_gender"}


def test_a_man_s_nik_does_not_match_a_woman():
    with pytest.raises(ValidationError) as excinfo:
        check_nik_consistency("3171011703900001", birth_date=dt.date(1990, 3, 17), gender="P")
    assert codes(excinfo.value) == {"nik_gender"}


@pytest.mark.parametrize("nib", ["1234567890123", "0000000000001"])
def test_it_accepts_13_digit_nibs(nib):
    validate_nib(nib)


@pytest.mark.parametrize("nib", ["123456789012", "12345678901234", "12345678901a3", ""])
def test_it_rejects_other_nibs(nib):
    with pytest.raises(ValidationError) as excinfo:
        validate_nib(nib)
    assert codes(excinfo.value) == {"nib_format"}


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 789", "+628123456789"),
        ("6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62 (812) 3456.7890", "+6281234567890"),
        ("0811234567", "+62811234567"),  # 10 digits, the shortest local form
        ("0812345678901", "+62812345678901"),  # 13 digits, the longest
    ],
)
def test_it_normalises_mobile_numbers_to_e164(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize(
    "raw",
    [
        "0212345678",  # Jakarta landline
        "081234567",  # 9 digits
        "08123456789012",  # 14 digits
        "+6581234567",  # Singapore
        "81234567890",  # no prefix
        "0801234567",  # 080 is not a mobile prefix
        "phone",
        "",
    ],
)
def test_it_rejects_non_mobile_numbers(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_phone(raw)
    assert codes(excinfo.value) == {"phone_format"}


def test_age_counts_whole_years():
    assert age_on(dt.date(2009, 11, 28), TODAY) == 16
    assert age_on(dt.date(2009, 11, 27), TODAY) == 17


def test_names_are_normalised_for_comparison():
    assert normalize_name("  Siti   NURHALIZA ") == normalize_name("siti nurhaliza")
