"""Financing rules as pure functions: a product's eligibility rules (data on the product)
evaluated against an applicant's facts, the limits of a request, and rupiah amounts typed
in Indonesian formats. No database access here: `financing.selectors.applicant_facts`
gathers the facts, and every entry point (the /me/ form, the admin's "apply on behalf", the
service itself) calls these functions.

Each refusal is a `Reason` with a stable code and a sentence the applicant can act on
("Complete P6: report your business for at least 3 months").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from registrations.rules import HIDDEN_CHARACTERS_MESSAGE, has_hidden_characters, rupiah_number, rupiah_text

MAX_AMOUNT = Decimal(10**12)
PURPOSE_MAX_LENGTH = 1000
VERIFIED = "verified"
NAIK_KELAS = "naik_kelas"


@dataclass(frozen=True)
class Reason:
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ProductTerms:
    """What the rules read of a product (`FinancingProduct` through `terms_of`)."""

    id: int
    name: str
    active: bool
    min_amount: Decimal
    max_amount: Decimal
    tenor_min_months: int
    tenor_max_months: int
    required_facilities: tuple[str, ...] = ()
    min_reported_months: int = 0
    requires_running_business: bool = False
    requires_verified_registration: bool = True


@dataclass(frozen=True)
class ApplicantFacts:
    """What the rules read of an applicant, gathered by `financing.selectors.applicant_facts`."""

    registration_status: str  # Entrepreneur.Status
    track: str  # Entrepreneur.Track
    completed_facilities: frozenset[str]  # facility codes with a completed enrolment
    reported_months: int  # months with a P6 report among the last 12
    months_with_turnover: int  # of those, months reporting turnover above zero
    open_products: frozenset[int]  # products with an open application

    @property
    def business_running(self) -> bool:
        """An existing business: the naik kelas track, or turnover reported in the last 12 months."""
        return self.track == NAIK_KELAS or self.months_with_turnover > 0


REPORTING_FACILITY = "P6"


def rupiah(value: Decimal | int) -> str:
    """Rp with Indonesian thousands separators, whatever the page's language: Rp 1.500.000."""
    return "Rp " + f"{int(value):,}".replace(",", ".")


def eligibility(terms: ProductTerms, facts: ApplicantFacts) -> list[Reason]:
    """Why the applicant may not apply for the product now; an empty list means they may."""
    reasons: list[Reason] = []
    if not terms.active:
        reasons.append(Reason("product_inactive", _("This product is not open for applications at the moment.")))
    if facts.registration_status == "rejected":
        reasons.append(Reason("registration_rejected", _("A rejected registration cannot apply for financing.")))
    elif terms.requires_verified_registration and facts.registration_status != VERIFIED:
        reasons.append(
            Reason(
                "registration_unverified",
                _("Your registration must first be verified by your centre (bring your KTP to the centre)."),
            )
        )
    # P6 (financial reporting) is the monthly reports themselves: where the product asks for
    # reported months, those stand for a completed P6 (their own reason below says what is
    # missing), so someone who reports every month is not also told to "complete P6".
    missing = [
        code
        for code in terms.required_facilities
        if code not in facts.completed_facilities and not (code == REPORTING_FACILITY and terms.min_reported_months)
    ]
    if missing:
        reasons.append(
            Reason(
                "facilities_missing",
                ngettext(
                    "Complete %(codes)s first.",
                    "Complete these facilities first: %(codes)s.",
                    len(missing),
                )
                % {"codes": ", ".join(missing)},
            )
        )
    if facts.reported_months < terms.min_reported_months:
        reasons.append(
            Reason(
                "reports_missing",
                ngettext(
                    "Complete P6: report your business for at least %(needed)s month "
                    "(you have reported %(have)s in the last 12 months).",
                    "Complete P6: report your business for at least %(needed)s months "
                    "(you have reported %(have)s in the last 12 months).",
                    terms.min_reported_months,
                )
                % {"needed": terms.min_reported_months, "have": facts.reported_months},
            )
        )
    if terms.requires_running_business and not facts.business_running:
        reasons.append(
            Reason(
                "business_not_running",
                _(
                    "This product is for a running business: report your turnover (P6) or ask your "
                    "centre to record your business as an existing one (naik kelas)."
                ),
            )
        )
    if terms.id in facts.open_products:
        reasons.append(
            Reason(
                "already_open",
                _("You already have an open application for %(product)s; wait for its outcome or withdraw it.")
                % {"product": terms.name},
            )
        )
    return reasons


def request_errors(terms: ProductTerms, *, amount: Decimal, tenor_months: int) -> dict[str, str]:
    """The amount and tenor against the product's limits: {field: message}, empty when within."""
    errors: dict[str, str] = {}
    if amount > terms.max_amount:
        errors["amount"] = _("%(product)s lends at most %(max)s; you asked for %(amount)s.") % {
            "product": terms.name,
            "max": rupiah(terms.max_amount),
            "amount": rupiah(amount),
        }
    elif amount < terms.min_amount:
        errors["amount"] = _("%(product)s lends at least %(min)s; you asked for %(amount)s.") % {
            "product": terms.name,
            "min": rupiah(terms.min_amount),
            "amount": rupiah(amount),
        }
    if not terms.tenor_min_months <= tenor_months <= terms.tenor_max_months:
        errors["tenor_months"] = _(
            "The tenor of %(product)s is %(min)s to %(max)s months; you asked for %(tenor)s."
        ) % {
            "product": terms.name,
            "min": terms.tenor_min_months,
            "max": terms.tenor_max_months,
            "tenor": tenor_months,
        }
    return errors


def check_application(terms: ProductTerms, facts: ApplicantFacts, *, amount: Decimal, tenor_months: int) -> None:
    """Raise ValidationError (keyed by form field; eligibility on `product`) unless the applicant
    may apply for this amount and tenor."""
    errors: dict[str, list[ValidationError]] = {}
    reasons = eligibility(terms, facts)
    if reasons:
        errors["product"] = [ValidationError(reason.message, code=reason.code) for reason in reasons]
    for field, message in request_errors(terms, amount=amount, tenor_months=tenor_months).items():
        errors[field] = [ValidationError(message, code=f"{field}_out_of_range")]
    if errors:
        raise ValidationError(errors)


# --- text ----------------------------------------------------------------------------------------


def clean_purpose(value) -> str:
    """What the money is for: a few lines of text, NFC, no control or invisible characters
    (line breaks allowed), at most PURPOSE_MAX_LENGTH characters."""
    text = unicodedata.normalize("NFC", str(value or "").replace("\r\n", "\n").strip())
    if not text:
        raise ValidationError(_("Say what the money is for."), code="purpose_required")
    if any(has_hidden_characters(line) for line in text.split("\n")):
        raise ValidationError(HIDDEN_CHARACTERS_MESSAGE, code="hidden_characters")
    if len(text) > PURPOSE_MAX_LENGTH:
        raise ValidationError(
            _("Keep the purpose to %(max)s characters (it has %(n)s).") % {"max": PURPOSE_MAX_LENGTH, "n": len(text)},
            code="purpose_too_long",
        )
    return text


# --- amounts -------------------------------------------------------------------------------------


def parse_rupiah(text: str) -> Decimal:
    """A whole rupiah amount as people type it: `1500000`, `1.500.000`, `Rp 1.500.000`,
    `Rp1.500.000,00`, `Rp 1.500.000,-`, `1,500,000` (registrations.rules.rupiah_number).
    Refuses anything else (cents, negatives, letters) with a ValidationError."""
    number = rupiah_number(rupiah_text(text))
    if number is None:
        raise ValidationError(_("Enter an amount in rupiah, e.g. 1.500.000 or Rp 1.500.000."), code="amount_format")
    amount = Decimal(number)
    if amount <= 0:
        raise ValidationError(_("Enter an amount above zero."), code="amount_zero")
    if amount > MAX_AMOUNT:
        raise ValidationError(_("Enter an amount of at most Rp 1 trillion."), code="amount_too_large")
    return amount
