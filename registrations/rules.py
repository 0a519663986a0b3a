"""The rules for a person and their business: one pure function per rule.

Every way in calls these and nothing else for these rules: the public forms
(registrations/forms.py, through the fields in registrations/form_fields.py), the back
office's forms (registrations/admin/forms.py), the importer's RowValidator
(registrations/imports/rows.py) and the services, which check again what they are given.

Each function takes plain values (text as typed or read from a file, or values it cleaned
before: every rule is idempotent) and returns the cleaned value, or raises
`django.core.exceptions.ValidationError` with a translatable message and a stable `code`;
the codes are the contract the entry points share. Optional fields accept "" (or None) and
return their empty value. Checks that need the database (a NIK or an email address already
registered) live in the services (`nik_ensure_free`, `email_ensure_free`), not here.

Names and addresses are normalised to Unicode NFC with whitespace collapsed; text holding
invisible, bidirectional-control or control characters is refused (they hide or reorder what
staff and exports show: "Siti\u202eawamhaR" displays as another name).
"""

import datetime as dt
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
    validate_email,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations.models import Business, Entrepreneur
from registrations.validators import age_on, check_nik_consistency, normalize_phone, parse_nik, validate_nib

FULL_NAME_MAX = 150
ADDRESS_MIN, ADDRESS_MAX = 5, 255
BUSINESS_NAME_MAX = 150
EMAIL_MAX = 254
LEGACY_ID_MAX = 40
EARLIEST_BIRTH_YEAR = 1900
EARLIEST_BUSINESS_YEAR = 1950
MAX_WORKERS = 100_000

# Format (Cf: zero-width and bidi controls, soft hyphen, BOM…), private-use and surrogate
# code points; control characters (Cc) other than whitespace are caught on the ASCII path
# and here alike. Plus the letters that render as nothing (Hangul fillers, braille blank).
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs"})
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NIK_SEPARATORS = re.compile(r"[\s.\-]")
_WHOLE_NUMBER = re.compile(r"[-+]?[0-9]{1,12}")

# Built once: a validator or a TextChoices' values list costs more to make than to check.
_NO_NUL = ProhibitNullCharactersValidator()
_MAX_LENGTH = {
    n: MaxLengthValidator(n) for n in (FULL_NAME_MAX, ADDRESS_MAX, BUSINESS_NAME_MAX, EMAIL_MAX, LEGACY_ID_MAX)
}
_WORKERS_RANGE = (MinValueValidator(0), MaxValueValidator(MAX_WORKERS))
_CHOICES = {
    choices: frozenset(choices.values)
    for choices in (Entrepreneur.Gender, Entrepreneur.Track, Business.Sector, Business.TurnoverBand, Business.AssetBand)
}

HIDDEN_CHARACTERS_MESSAGE = _(
    "This text contains invisible or control characters (such as a zero-width space or a "
    "right-to-left mark). Type it again without them."
)
TOO_YOUNG_MESSAGE = _("Entrepreneurs register from the age of %(age)s.")
NOT_A_CHOICE_MESSAGE = _("%(value)s is not one of the choices.")
GENDER_MESSAGE = _("Gender is L (laki-laki) or P (perempuan).")
TRACK_MESSAGE = _("Track is pemula or naik_kelas.")


# --- whole columns ---------------------------------------------------------------------------

_UNSEEN = object()


def by_value(rule, values, /, **kwargs) -> list:
    """A rule over a whole column (a sheet's): each distinct value checked once. For each
    value in order, what the rule returns or the ValidationError it raises. The rule itself
    stays the one per-value function; a column repeats values (one month, a few worker
    counts), so most cells cost a dict lookup."""
    seen: dict = {}
    results = []
    for value in values:
        key = (type(value), value)  # 1, 1.0 and True are equal keys otherwise
        result = seen.get(key, _UNSEEN)
        if result is _UNSEEN:
            try:
                result = rule(value, **kwargs)
            except ValidationError as error:
                result = error
            seen[key] = result
        results.append(result)
    return results


# --- text ------------------------------------------------------------------------------------


def _text(value, *, max_length: int | None = None) -> str:
    """Text as typed, without surrounding whitespace; NUL is refused with the code Django's
    form fields use for it, and the length is counted as typed."""
    text = "" if value is None else str(value).strip()
    if "\x00" in text:
        _NO_NUL(text)
    if max_length is not None and len(text) > max_length:
        _MAX_LENGTH[max_length](text)
    return text


def has_hidden_characters(text: str) -> bool:
    if text.isascii():
        return _ASCII_CONTROL.search(text) is not None
    return any(unicodedata.category(ch) in _HIDDEN_CATEGORIES or ch in _INVISIBLE_LETTERS for ch in text)


def refuse_hidden_characters(text: str) -> str:
    if has_hidden_characters(text):
        raise ValidationError(HIDDEN_CHARACTERS_MESSAGE, code="hidden_characters")
    return text


def clean_name_text(value, *, max_length: int) -> str:
    """A name or an address: NFC, whitespace collapsed (line breaks included), no hidden
    characters, at most `max_length` characters as typed and as stored."""
    text = _text(value, max_length=max_length)
    if not text.isascii():  # ASCII is its own NFC
        text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())
    if has_hidden_characters(text):
        raise ValidationError(HIDDEN_CHARACTERS_MESSAGE, code="hidden_characters")
    if len(text) > max_length:
        _MAX_LENGTH[max_length](text)
    return text


# --- the person ------------------------------------------------------------------------------


def clean_nik(value, *, today: dt.date | None = None) -> str:
    """A NIK as typed (spaces, dots and dashes allowed) → its 16 digits."""
    nik = _text(value)
    if not nik.isdigit():
        nik = _NIK_SEPARATORS.sub("", nik)
    parse_nik(nik, today=today or timezone.localdate())
    return nik


def check_nik_matches(nik: str | None, *, birth_date: dt.date | None, gender: str | None) -> None:
    """The NIK's DDMMYY (and +40 for women) must agree with the birth date and gender.
    Checked once all three passed their own rules (pass None for one that did not)."""
    if nik and birth_date and gender:
        check_nik_consistency(nik, birth_date=birth_date, gender=gender)


def clean_full_name(value) -> str:
    name = clean_name_text(value, max_length=FULL_NAME_MAX)
    if len(name) < 2:
        raise ValidationError(_("Enter your full name."), code="name_short")
    return name


def clean_birth_date(value: dt.date, *, on: dt.date | None = None, today: dt.date | None = None) -> dt.date:
    """A real birth date (not in the future, not before 1900) of someone old enough to
    register on `on`: the registration date for an import, today for the forms."""
    today = today or timezone.localdate()
    if value > today or value.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(_("Enter your real birth date."), code="birth_date_range")
    minimum = settings.JAKPRENEUR_MINIMUM_AGE
    if age_on(value, on or today) < minimum:
        raise ValidationError(TOO_YOUNG_MESSAGE, code="too_young", params={"age": minimum})
    return value


def clean_choice(value, choices, *, message=None) -> str:
    text = _text(value)
    if text not in _CHOICES[choices]:
        raise ValidationError(message or NOT_A_CHOICE_MESSAGE, code="invalid_choice", params={"value": text})
    return text


def clean_gender(value) -> str:
    return clean_choice(value, Entrepreneur.Gender, message=GENDER_MESSAGE)


def clean_track(value) -> str:
    return clean_choice(value, Entrepreneur.Track, message=TRACK_MESSAGE)


def clean_phone(value) -> str:
    """An Indonesian mobile number as typed → E.164 (+628…)."""
    return normalize_phone(_text(value))


def clean_email(value) -> str:
    """An email address, in lower case ("" when none is given)."""
    email = _text(value, max_length=EMAIL_MAX).lower()
    if email:
        validate_email(email)
    return email


def clean_address(value) -> str:
    address = clean_name_text(value, max_length=ADDRESS_MAX)
    if len(address) < ADDRESS_MIN:
        raise ValidationError(_("Enter your street address."), code="address_short")
    return address


def clean_legacy_id(value) -> str:
    """An OK OCE member id ("" when none is given)."""
    return refuse_hidden_characters(_text(value, max_length=LEGACY_ID_MAX))


# --- the business ----------------------------------------------------------------------------


def clean_business_name(value) -> str:
    return clean_name_text(value, max_length=BUSINESS_NAME_MAX)


def clean_sector(value) -> str:
    return clean_choice(value, Business.Sector)


def clean_turnover_band(value) -> str:
    return clean_choice(value, Business.TurnoverBand)


def _whole_number(value) -> int | None:
    if value is None or isinstance(value, int):
        return value
    text = _text(value)
    if not text:
        return None
    if not _WHOLE_NUMBER.fullmatch(text):
        raise ValidationError(_("Enter a whole number."), code="invalid")
    return int(text)


def clean_started_year(value, *, today: dt.date | None = None) -> int | None:
    """The year the business started: 1950 … this year (None when not given)."""
    year = _whole_number(value)
    if year is None:
        return None
    if year > (today or timezone.localdate()).year:
        raise ValidationError(_("The year the business started cannot be in the future."), code="future_year")
    if year < EARLIEST_BUSINESS_YEAR:
        raise ValidationError(
            _("Enter the year the business started: %(year)s or later."),
            code="year_too_early",
            params={"year": EARLIEST_BUSINESS_YEAR},
        )
    return year


def clean_workers(value) -> int | None:
    """Workers besides the entrepreneur: 0 … 100,000 (None when not given)."""
    workers = _whole_number(value)
    if workers is not None and not 0 <= workers <= MAX_WORKERS:
        for validator in _WORKERS_RANGE:
            validator(workers)
    return workers


def clean_nib(value) -> str:
    """An NIB as typed (spaces allowed) → its 13 digits ("" when none is given)."""
    nib = "".join(_text(value).split())
    if nib:
        validate_nib(nib)
    return nib


# --- applying rules outside a form -----------------------------------------------------------


class Checker:
    """Applies rules field by field and collects the errors by field, as a form does: for
    the importer and the services, which are not forms. A field is checked until its first
    refusal (a later rule of the same field is skipped and gives None), as a form field is.

        check = Checker()
        name = check("full_name", clean_full_name, raw_name)  # None when refused
        check.raise_errors()  # ValidationError({field: [errors]}) when any was refused
    """

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def __call__(self, field: str, rule, value, **kwargs):
        if field in self.errors:
            return None
        try:
            return rule(value, **kwargs)
        except ValidationError as error:
            self.errors.setdefault(field, []).extend(error.error_list)
            return None

    def raise_errors(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


# --- a whole person, outside a form ----------------------------------------------------------

# Field names are the registration form's and the import's columns. The birth date's rule
# and the NIK against birth date and gender are check_person's: they need a reference day.
PERSON_RULES = {
    "full_name": clean_full_name,
    "gender": clean_gender,
    "phone": clean_phone,
    "email": clean_email,
    "address": clean_address,
    "track": clean_track,
}
PERSON_FIELDS = ("nik", "birth_date", *PERSON_RULES)
BUSINESS_RULES = {
    "business_name": clean_business_name,
    "sector": clean_sector,
    "started_year": clean_started_year,
    "workers": clean_workers,
    "turnover_band": clean_turnover_band,
    "nib": clean_nib,
}


def check_person(check: Checker, values: dict, *, on: dt.date | None = None, today: dt.date | None = None) -> dict:
    """Every rule of a person, as the registration form applies them: each field on its own
    (old enough on `on`, today by default), then the NIK against a valid birth date and
    gender. Returns the cleaned values (None where refused); `check` holds the errors."""
    today = today or timezone.localdate()
    cleaned = {name: check(name, rule, values[name]) for name, rule in PERSON_RULES.items()}
    cleaned["nik"] = check("nik", clean_nik, values["nik"], today=today)
    cleaned["birth_date"] = check("birth_date", clean_birth_date, values["birth_date"], on=on or today, today=today)
    check("nik", check_nik_matches, cleaned["nik"], birth_date=cleaned["birth_date"], gender=cleaned["gender"])
    return cleaned


def check_business(check: Checker, values: dict, *, today: dt.date | None = None) -> dict:
    """Every rule of a business (fields as in BUSINESS_RULES), each optional: one not given
    is None. See check_person."""
    cleaned = dict.fromkeys(BUSINESS_RULES)
    for name, rule in BUSINESS_RULES.items():
        value = values.get(name)
        if value not in (None, ""):
            kwargs = {"today": today or timezone.localdate()} if name == "started_year" else {}
            cleaned[name] = check(name, rule, value, **kwargs)
    return cleaned


# --- amounts in rupiah ---------------------------------------------------------------------------
# "1.500.000", "Rp 1.500.000", "Rp1.500.000,00", "Rp 15.000,-" (a price tag's), "1500000",
# "1,500,000" (a spreadsheet's).
_RUPIAH_PREFIX = re.compile(r"^rp\.?\s*", re.IGNORECASE)
_GROUPED_DOTS = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+(,0{1,2}|,-)?$")  # 1.500.000, 1.500.000,00 or 1.500.000,-
_GROUPED_COMMAS = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.0{1,2})?$")  # 1,500,000 or 1,500,000.00
_PLAIN = re.compile(r"^[0-9]+([.,]0{1,2}|,-)?$")  # 1500000, 1500000,00 or 1500000,-


def rupiah_text(text: str) -> str:
    """What was typed for an amount, without its "Rp" prefix and spaces."""
    return _RUPIAH_PREFIX.sub("", (text or "").strip()).replace(" ", "").replace("\u00a0", "")


def rupiah_number(text: str) -> int | None:
    """The whole rupiah that `rupiah_text` left, as Indonesians (and spreadsheets) write them,
    or None when it is not one. The callers decide the bounds and the messages."""
    if _GROUPED_DOTS.match(text):
        return int(text.split(",")[0].replace(".", ""))
    if _GROUPED_COMMAS.match(text):
        return int(text.split(".")[0].replace(",", ""))
    if _PLAIN.match(text):
        return int(re.split(r"[.,]", text)[0])
    return None
