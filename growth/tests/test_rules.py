"""The pure report rules: amounts as Indonesians write them, months, workers."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from growth import rules


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.500.000", 1_500_000),
        ("Rp 1.500.000", 1_500_000),
        ("Rp1.500.000", 1_500_000),
        ("rp. 1.500.000,00", 1_500_000),
        ("1500000", 1_500_000),
        ("1,500,000", 1_500_000),
        (" 0 ", 0),
        (2_500_000, 2_500_000),
        (2_500_000.0, 2_500_000),
        ("1.000.000.000.000", 10**12),
    ],
)
def test_amounts_are_read_as_written(text, value):
    assert rules.parse_amount(text) == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "amount_format"),
        ("1.5", "amount_format"),
        ("1.500.00", "amount_format"),
        ("satu juta", "amount_format"),
        ("=SUM(A1)", "amount_format"),
        ("1,5 juta", "amount_format"),
        (1.5, "amount_format"),
        (float("nan"), "amount_format"),
        (True, "amount_format"),
        ("-1.500.000", "amount_negative"),
        (-1, "amount_negative"),
        ("1.000.000.000.001", "amount_too_large"),
        ("1500\u200b000", "control_characters"),
    ],
)
def test_bad_amounts_are_refused(text, code):
    with pytest.raises(ValidationError) as error:
        rules.parse_amount(text)
    assert error.value.code == code


def test_months():
    assert rules.parse_period("2026-01") == dt.date(2026, 1, 1)
    assert rules.parse_period("2026-1") == dt.date(2026, 1, 1)
    assert rules.parse_period(dt.date(2026, 1, 31)) == dt.date(2026, 1, 1)
    today = dt.date(2026, 3, 31)
    assert rules.check_period(dt.date(2026, 3, 1), today=today) == dt.date(2026, 3, 1)
    assert rules.check_period(dt.date(2017, 12, 1), today=today, started_year=2010) == dt.date(2017, 12, 1)
    for bad, code in (("2026-00", "period_format"), ("26-01", "period_format"), ("2026-01-15", "period_format")):
        with pytest.raises(ValidationError) as error:
            rules.parse_period(bad)
        assert error.value.code == code


def test_workers():
    assert rules.parse_workers("3") == 3
    assert rules.parse_workers(3.0) == 3
    for bad in ("-1", "2.5", "", "x", 100_001, True):
        with pytest.raises(ValidationError):
            rules.parse_workers(bad)
