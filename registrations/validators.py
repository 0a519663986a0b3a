"""Pure validation of Indonesian identifiers: NIK, NIB and mobile numbers.

These functions take plain values and return plain values or raise
`django.core.exceptions.ValidationError` with a translatable message and a stable `code`,
so forms, imports and services share one set of rules.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NIK_RE = re.compile(r"^[0-9]{16}$")
NIB_RE = re.compile(r"^[0-9]{13}$")
# Indonesian mobile numbers start with 8 after the country code; 9 to 12 digits follow the
# leading 0 in local form (08xx, 10 to 13 digits in all).
MOBILE_NATIONAL_RE = re.compile(r"^8[1-9][0-9]{7,10}$")
PHONE_SEPARATORS_RE = re.compile(r"[\s\-().]")


@dataclass(frozen=True)
class NikParts:
    region: str  # 6 digits: province, kota/kabupaten, kecamatan where the NIK was issued
    birth_date: dt.date
    gender: str  # "L" or "P"
    serial: str


def _century_for(two_digit_year: int, today: dt.date) -> int:
    # A NIK carries only YY; a holder is never born in the future, so pick the latest
    # century that does not put the birth date after today.
    year = 2000 + two_digit_year
    return year if year <= today.year else year - 100


def _date_digits(nik: str) -> tuple[int, int, int, str]:
    """Digits 7–12 of a NIK: day (+40 for women), month, two-digit year; and the gender."""
    day = int(nik[6:8])
    if day > 40:
        return day - 40, int(nik[8:10]), int(nik[10:12]), "P"
    return day, int(nik[8:10]), int(nik[10:12]), "L"


def parse_nik(value: str, *, today: dt.date | None = None) -> NikParts:
    """Split a NIK into its parts, raising ValidationError when it cannot be one."""
    today = today or dt.date.today()
    nik = (value or "").strip()
    if not NIK_RE.match(nik):
        raise ValidationError(_("A NIK has exactly 16 digits."), code="nik_format")
    region, serial = nik[:6], nik[12:]
    if region[:2] == "00" or region[2:4] == "00":
        raise ValidationError(_("The first six digits of the NIK are not a valid region code."), code="nik_region")
    day, month, two_digit_year, gender = _date_digits(nik)
    try:
        birth_date = dt.date(_century_for(two_digit_year, today), month, day)
    except ValueError:
        raise ValidationError(
            _("Digits 7–12 of the NIK are not a valid birth date (DDMMYY)."), code="nik_date"
        ) from None
    if birth_date > today:
        raise ValidationError(_("Digits 7–12 of the NIK are not a valid birth date (DDMMYY)."), code="nik_date")
    if serial == "0000":
        raise ValidationError(_("The last four digits of the NIK cannot be 0000."), code="nik_serial")
    return NikParts(region=region, birth_date=birth_date, gender=gender, serial=serial)


def validate_nik(value: str) -> None:
    parse_nik(value)


def check_nik_consistency(nik: str, *, birth_date: dt.date, gender: str) -> None:
    """Raise ValidationError when a NIK (valid: see parse_nik) does not match the birth date
    and gender given."""
    if not NIK_RE.match(nik or ""):
        parse_nik(nik)  # raises the NIK's own error
    day, month, two_digit_year, nik_gender = _date_digits(nik)
    errors = []
    if (day, month, two_digit_year) != (birth_date.day, birth_date.month, birth_date.year % 100):
        errors.append(ValidationError(_("The NIK does not match the birth date you entered."), code="nik_birth_date"))
    if nik_gender != gender:
        errors.append(ValidationError(_("The NIK does not match the gender you entered."), code="nik_gender"))
    if errors:
        raise ValidationError(errors)


def validate_nib(value: str) -> None:
    """NIB (Nomor Induk Berusaha from OSS): 13 digits; no checksum is published."""
    if not NIB_RE.match((value or "").strip()):
        raise ValidationError(_("An NIB has exactly 13 digits."), code="nib_format")


def normalize_phone(value: str) -> str:
    """Return an Indonesian mobile number in E.164 (+628…), accepting 08…, 628… and +628…."""
    raw = (value or "").strip()
    digits = PHONE_SEPARATORS_RE.sub("", raw)
    if digits.startswith("+62"):
        national = digits[3:]
    elif digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = None
    if national is None or not MOBILE_NATIONAL_RE.match(national):
        raise ValidationError(
            _("Enter an Indonesian mobile number, e.g. 0812 3456 7890 or +62 812 3456 7890."),
            code="phone_format",
        )
    return f"+62{national}"


def validate_phone(value: str) -> None:
    normalize_phone(value)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def normalize_name(value: str) -> str:
    """Collapse whitespace and case so that duplicate candidates can be compared."""
    return " ".join((value or "").split()).casefold()
