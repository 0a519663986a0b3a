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


# --- size classes and outcomes ------------------------------------------------------------

M = 1_000_000  # a million rupiah
B = 1_000_000_000  # a billion (miliar)


@pytest.mark.parametrize(
    ("sales", "expected"),
    [
        (0, "mikro"),
        (2 * B, "mikro"),
        (2 * B + 1, "kecil"),
        (15 * B, "kecil"),
        (15 * B + 1, "menengah"),
        (50 * B, "menengah"),
        (50 * B + 1, "besar"),
    ],
)
def test_size_class_by_annual_sales_follows_pp_7_2021(sales, expected):
    assert rules.size_class_by_sales(sales) == expected


@pytest.mark.parametrize(
    ("assets", "expected"),
    [(B, "mikro"), (B + 1, "kecil"), (5 * B, "kecil"), (10 * B, "menengah"), (10 * B + 1, "besar")],
)
def test_size_class_by_assets(assets, expected):
    assert rules.size_class_by_assets(assets) == expected


def test_sales_are_annualised_from_the_last_12_reported_months_and_at_least_3():
    assert rules.annualised_sales([10 * M, 20 * M]) is None
    assert rules.annualised_sales([10 * M, 20 * M, 30 * M]) == 240 * M  # 60 M in 3 months × 4
    assert rules.annualised_sales([999 * M] + [10 * M] * 12) == 120 * M  # only the last 12 count


def test_turnover_growth_compares_the_first_and_latest_three_months():
    assert rules.turnover_growth([10, 10, 10, 12, 12]) is None  # fewer than 6 months
    assert rules.turnover_growth([10, 10, 10, 15, 15, 15]) == pytest.approx(0.5)
    assert rules.turnover_growth([0, 0, 0, 5, 5, 5]) is None  # nothing to grow from
    assert rules.median([3, 1, 2]) == 2 and rules.median([1, 2, 3, 4]) == 2.5 and rules.median([]) is None


def test_an_outcome_naik_kelas_wirausaha_baru_and_jobs():
    steady = [100 * M] * 12  # 1.2 B a year: mikro, first and now
    assert rules.outcome_of(track="naik_kelas", turnovers=steady, workers=[2] * 12).naik_kelas is False
    big = [100 * M] * 3 + [300 * M] * 9  # first 3: 1.2 B → mikro; last 12: 3.0 B → kecil
    outcome = rules.outcome_of(track="naik_kelas", turnovers=big, workers=[2, 3, 5])
    assert (outcome.first_class, outcome.current_class, outcome.naik_kelas) == ("mikro", "kecil", True)
    assert outcome.jobs_created == 3 and outcome.growth == pytest.approx(2.0) and not outcome.wirausaha_baru
    starter = rules.outcome_of(track="pemula", turnovers=[0, 0, 2 * M], workers=[1, 0, 0])
    assert starter.wirausaha_baru and starter.jobs_created == 0 and not starter.naik_kelas
    idle = rules.outcome_of(track="pemula", turnovers=[2 * M, 0], workers=[0, 0])
    assert not idle.wirausaha_baru and idle.current_class is None
