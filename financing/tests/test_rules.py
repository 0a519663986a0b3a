"""Eligibility and request limits as pure functions: every rule of a product, alone and
together, with the sentence the applicant reads; rupiah amounts as people type them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from financing.rules import ApplicantFacts, ProductTerms, check_application, eligibility, parse_rupiah, request_errors

MONAS = ProductTerms(
    id=1,
    name="Kredit Monas Pemula",
    active=True,
    min_amount=Decimal("1000000"),
    max_amount=Decimal("10000000"),
    tenor_min_months=1,
    tenor_max_months=18,
    required_facilities=("P1", "P2", "P3", "P4", "P5", "P6"),
    min_reported_months=3,
)
KUR = ProductTerms(
    id=2,
    name="KUR Mikro",
    active=True,
    min_amount=Decimal("10000001"),
    max_amount=Decimal("100000000"),
    tenor_min_months=1,
    tenor_max_months=60,
    min_reported_months=6,
    requires_running_business=True,
)


def facts(**overrides) -> ApplicantFacts:
    values = {
        "registration_status": "verified",
        "track": "pemula",
        "completed_facilities": frozenset({"P1", "P2", "P3", "P4", "P5", "P6"}),
        "reported_months": 12,
        "months_with_turnover": 12,
        "open_products": frozenset(),
    }
    values.update(overrides)
    return ApplicantFacts(**values)


def codes(reasons) -> list[str]:
    return [reason.code for reason in reasons]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_member_who_completed_p1_to_p6_and_reports_is_eligible_for_monas():
    assert eligibility(MONAS, facts()) == []


def test_missing_facilities_are_named():
    reasons = eligibility(MONAS, facts(completed_facilities=frozenset({"P1", "P2", "P6"})))
    assert codes(reasons) == ["facilities_missing"]
    assert reasons[0].message == "Complete these facilities first: P3, P4, P5."


def test_one_missing_facility_reads_as_one():
    reasons = eligibility(MONAS, facts(completed_facilities=frozenset({"P1", "P2", "P3", "P4", "P6"})))
    assert reasons[0].message == "Complete P5 first."


def test_monthly_reports_stand_for_p6_where_the_product_asks_for_reported_months():
    """Someone who reports every month is not told to "complete P6" as well: the reports are
    P6. Too few months is said once, by the reports' own reason."""
    reporting = facts(completed_facilities=frozenset({"P1", "P2", "P3", "P4", "P5"}), reported_months=8)
    assert eligibility(MONAS, reporting) == []
    assert codes(
        eligibility(MONAS, facts(completed_facilities=frozenset({"P1", "P2", "P3", "P4", "P5"}), reported_months=1))
    ) == ["reports_missing"]
    # A product that asks for no reported months asks for the P6 enrolment itself.
    strict = ProductTerms(**{**MONAS.__dict__, "min_reported_months": 0})
    assert codes(eligibility(strict, reporting)) == ["facilities_missing"]


def test_too_few_reported_months_says_how_many_are_needed_and_how_many_there_are():
    reasons = eligibility(MONAS, facts(reported_months=1))
    assert codes(reasons) == ["reports_missing"]
    assert reasons[0].message == (
        "Complete P6: report your business for at least 3 months (you have reported 1 in the last 12 months)."
    )


def test_exactly_the_minimum_of_reported_months_is_enough():
    assert eligibility(MONAS, facts(reported_months=3)) == []
    assert codes(eligibility(MONAS, facts(reported_months=2))) == ["reports_missing"]


def test_the_reason_is_in_indonesian_by_default():
    with translation.override("id"):
        reasons = eligibility(MONAS, facts(reported_months=0))
    assert reasons[0].message.startswith("Lengkapi P6: laporkan usaha minimal 3 bulan")


def test_kur_needs_a_running_business():
    pemula_without_turnover = facts(track="pemula", months_with_turnover=0)
    assert codes(eligibility(KUR, pemula_without_turnover)) == ["business_not_running"]
    # Either the naik kelas track or turnover reported makes a running business.
    assert eligibility(KUR, facts(track="naik_kelas", months_with_turnover=0)) == []
    assert eligibility(KUR, facts(track="pemula", months_with_turnover=1)) == []


def test_kur_does_not_need_the_facilities():
    assert eligibility(KUR, facts(completed_facilities=frozenset({"P1"}))) == []


@pytest.mark.parametrize(
    ("status", "code"), [("submitted", "registration_unverified"), ("rejected", "registration_rejected")]
)
def test_an_unverified_or_rejected_registration_may_not_apply(status, code):
    assert codes(eligibility(MONAS, facts(registration_status=status))) == [code]


def test_a_product_may_waive_the_verified_registration():
    relaxed = ProductTerms(**{**MONAS.__dict__, "requires_verified_registration": False})
    assert eligibility(relaxed, facts(registration_status="submitted")) == []
    # A rejected registration is refused whatever the product says.
    assert codes(eligibility(relaxed, facts(registration_status="rejected"))) == ["registration_rejected"]


def test_an_open_application_for_the_same_product_is_refused_but_not_for_another():
    assert codes(eligibility(MONAS, facts(open_products=frozenset({1})))) == ["already_open"]
    assert eligibility(KUR, facts(open_products=frozenset({1}))) == []


def test_an_inactive_product_is_refused():
    closed = ProductTerms(**{**MONAS.__dict__, "active": False})
    assert codes(eligibility(closed, facts())) == ["product_inactive"]


def test_every_unmet_rule_is_listed_at_once():
    nothing = facts(
        registration_status="submitted",
        completed_facilities=frozenset({"P1"}),
        reported_months=0,
        months_with_turnover=0,
        open_products=frozenset({1}),
    )
    assert codes(eligibility(MONAS, nothing)) == [
        "registration_unverified",
        "facilities_missing",
        "reports_missing",
        "already_open",
    ]


def test_an_amount_over_the_limit_is_refused_with_the_limit():
    errors = request_errors(MONAS, amount=Decimal("10000001"), tenor_months=12)
    assert errors == {"amount": "Kredit Monas Pemula lends at most Rp 10.000.000; you asked for Rp 10.000.001."}


def test_the_limits_themselves_are_allowed():
    assert request_errors(MONAS, amount=Decimal("10000000"), tenor_months=18) == {}
    assert request_errors(MONAS, amount=Decimal("1000000"), tenor_months=1) == {}


def test_an_amount_under_the_minimum_is_refused():
    errors = request_errors(KUR, amount=Decimal("10000000"), tenor_months=12)
    assert errors == {"amount": "KUR Mikro lends at least Rp 10.000.001; you asked for Rp 10.000.000."}


@pytest.mark.parametrize("tenor", [0, 19, 120])
def test_a_tenor_out_of_range_is_refused(tenor):
    errors = request_errors(MONAS, amount=Decimal("5000000"), tenor_months=tenor)
    assert errors == {"tenor_months": f"The tenor of Kredit Monas Pemula is 1 to 18 months; you asked for {tenor}."}


def test_check_application_keys_each_refusal_by_field():
    with pytest.raises(ValidationError) as refused:
        check_application(MONAS, facts(reported_months=0), amount=Decimal("20000000"), tenor_months=24)
    assert set(refused.value.error_dict) == {"product", "amount", "tenor_months"}
    assert refused.value.error_dict["product"][0].code == "reports_missing"


def test_check_application_passes_a_good_request():
    check_application(MONAS, facts(), amount=Decimal("5000000"), tenor_months=12)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1500000", 1_500_000),
        ("1.500.000", 1_500_000),
        ("Rp 1.500.000", 1_500_000),
        ("Rp1.500.000", 1_500_000),
        ("rp. 1.500.000", 1_500_000),
        ("Rp 1.500.000,00", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1,500,000.00", 1_500_000),
        ("  10.000.000 ", 10_000_000),
        ("Rp\u00a05.000.000", 5_000_000),
        ("1000000,00", 1_000_000),
        ("1.000.000.000.000", 10**12),
    ],
)
def test_amounts_in_indonesian_formats(text, amount):
    assert parse_rupiah(text) == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "amount_format"),
        ("satu juta", "amount_format"),
        ("-1.000.000", "amount_format"),
        ("1.500.000,50", "amount_format"),
        ("1.50.000", "amount_format"),
        ("1,5 juta", "amount_format"),
        ("=1+1", "amount_format"),
        ("1e6", "amount_format"),
        ("１５００", "amount_format"),
        ("0", "amount_zero"),
        ("1.000.000.000.001", "amount_too_large"),
    ],
)
def test_bad_amounts_are_refused(text, code):
    with pytest.raises(ValidationError) as refused:
        parse_rupiah(text)
    assert refused.value.code == code
