"""The rules of a product, as pure functions (the form, the admin and the services call these).

Text goes through the person rules of registrations/rules.py (NFC, whitespace, invisible and
control characters refused); prices are read by registrations.rules.rupiah_number, like every amount in
rupiah: `1500000`, `1.500.000`, `Rp 1.500.000`, `Rp1.500.000,00`, `Rp 15.000,-`, `1,500,000`.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketing.models import PRICE_MAX
from registrations import rules as person_rules

NAME_MAX = 120
UNIT_MAX = 30
PERMIT_MAX = 60
TRADEMARK_MAX = 120
DESCRIPTION_MAX = 2000

PRICE_MESSAGE = _("Type the price in rupiah, for example 15000, 15.000 or Rp 15.000.")
PRICE_RANGE_MESSAGE = _("The price must be more than Rp 0 and at most Rp 1.000.000.000.000.")


def clean_price(value) -> Decimal:
    """A price in whole rupiah from what was typed (or a number)."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        amount = Decimal(value)
        if amount != amount.to_integral_value():
            raise ValidationError(PRICE_MESSAGE, code="price_format")
    else:
        number = person_rules.rupiah_number(person_rules.rupiah_text("" if value is None else str(value)))
        if number is None:
            raise ValidationError(PRICE_MESSAGE, code="price_format")
        amount = Decimal(number)
    if amount <= 0 or amount > PRICE_MAX:
        raise ValidationError(PRICE_RANGE_MESSAGE, code="price_range")
    return amount


def clean_line(value, *, max_length: int, required: bool = False) -> str:
    """One line of text (a name, a unit, a permit number)."""
    text = person_rules.clean_name_text(value, max_length=max_length)
    if required and not text:
        raise ValidationError(_("This field is required."), code="required")
    return text


def clean_description(value) -> str:
    """Several lines allowed; each one is checked like a name."""
    text = "" if value is None else str(value)
    lines = [person_rules.clean_name_text(line, max_length=DESCRIPTION_MAX) for line in text.splitlines()]
    cleaned = "\n".join(lines).strip()
    if len(cleaned) > DESCRIPTION_MAX:
        raise ValidationError(_("At most %(max)s characters."), code="max_length", params={"max": DESCRIPTION_MAX})
    return cleaned


def clean_category(value) -> str:
    return person_rules.clean_sector(value)


def check_product(values: dict) -> dict:
    """Every rule of a product over a dict of its fields; raises one ValidationError keyed by
    field, or returns the cleaned values."""
    cleaners = {
        "name": lambda v: clean_line(v, max_length=NAME_MAX, required=True),
        "category": clean_category,
        "description": clean_description,
        "price": clean_price,
        "unit": lambda v: clean_line(v, max_length=UNIT_MAX, required=True),
        "pirt_number": lambda v: clean_line(v, max_length=PERMIT_MAX),
        "halal_number": lambda v: clean_line(v, max_length=PERMIT_MAX),
        "bpom_number": lambda v: clean_line(v, max_length=PERMIT_MAX),
        "trademark": lambda v: clean_line(v, max_length=TRADEMARK_MAX),
    }
    cleaned, errors = {}, {}
    for field, value in values.items():
        if field not in cleaners:
            cleaned[field] = value
            continue
        try:
            cleaned[field] = cleaners[field](value)
        except ValidationError as error:
            errors[field] = error.error_list
    if errors:
        raise ValidationError(errors)
    return cleaned
