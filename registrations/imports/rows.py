"""Validation of one row with the rules every form uses (registrations/rules.py), after
reading the spreadsheet's own formats (`RowValidator`)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilities.models import Center, Kelurahan
from registrations import rules
from registrations.imports.files import COLUMNS, REQUIRED
from registrations.imports.report import RowError
from registrations.services import ImportRow

EMPTY_ROW = dict.fromkeys(COLUMNS, "")
FACILITY_CODES = {f"P{n}" for n in range(1, 8)}
GENDER_ALIASES = {"l": "L", "laki-laki": "L", "laki laki": "L", "m": "L", "p": "P", "perempuan": "P", "f": "P"}
TRACK_ALIASES = {"pemula": "pemula", "naik_kelas": "naik_kelas", "naik kelas": "naik_kelas", "": "pemula"}


def _parse_date(value: str) -> dt.date:
    if len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValidationError(_("Enter the date as YYYY-MM-DD."), code="invalid")


class RowValidator:
    """Validates one row at a time with the rules of registrations/rules.py, as the forms do
    (each column on its own, then the NIK against a valid birth date and gender); keeps the
    small lookups (kelurahan → kecamatan and centre) in memory for the whole file.

    What is the importer's own is reading a spreadsheet: more date formats, the legacy words
    for gender and track (`laki-laki`, `naik kelas`), codes in any case, and defaults for
    the optional columns (track pemula, registration date today)."""

    def __init__(self, *, allowed_kecamatan: frozenset[str] | None = None, today: dt.date | None = None):
        centers = dict(Center.objects.values_list("kecamatan_id", "id"))
        self.kelurahan = {
            code: (kec, centers.get(kec)) for code, kec in Kelurahan.objects.values_list("code", "kecamatan_id")
        }
        self.allowed_kecamatan = allowed_kecamatan
        self.today = today or timezone.localdate()
        self.tz = timezone.get_current_timezone()

    def clean(self, line: int, raw: dict[str, str], cut: bool = False) -> ImportRow | list[RowError]:
        raw = {**EMPTY_ROW, **raw}
        check = rules.Checker()
        for name in COLUMNS:
            if not raw[name].isascii() and not _is_utf8(raw[name]):
                check.errors[name] = [ValidationError(NOT_UTF8_MESSAGE, code="not_utf8")]
                raw[name] = ""  # reported once, as bytes; its other rules would only echo that
        for name in REQUIRED:
            if not raw[name] and name not in check.errors:
                check.errors[name] = [ValidationError(_("This column is required."), code="required")]
        today = self.today
        registered_date = check("registered_date", self._registered_date, raw["registered_date"])
        region = check("kelurahan_code", self._region, raw["kelurahan_code"])
        legacy_id = check("legacy_id", rules.clean_legacy_id, raw["legacy_id"])
        facilities = check("facilities_completed", _facility_codes, raw["facilities_completed"])
        # The spreadsheet's words and formats, read into the values the rules take.
        values = raw | {
            "birth_date": check("birth_date", _parse_date, raw["birth_date"]),
            "gender": GENDER_ALIASES.get(raw["gender"].lower(), raw["gender"]),
            "track": TRACK_ALIASES.get(raw["track"].lower(), raw["track"]),
            "sector": raw["sector"].lower(),
            "turnover_band": raw["turnover_band"].lower(),
        }
        kecamatan_id, center_id = region or (None, None)
        row = ImportRow.checked(
            check,
            person=values,
            business=values if any(raw[name] for name in rules.BUSINESS_RULES) else None,
            on=registered_date or today,
            today=today,
            line=line,
            legacy_id=legacy_id or None,
            kelurahan_id=raw["kelurahan_code"],
            kecamatan_id=kecamatan_id,
            home_center_id=center_id,
            facilities=facilities,
            registered_at=dt.datetime.combine(registered_date, dt.time(9, 0), tzinfo=self.tz)
            if registered_date
            else None,
        )
        nik = "".join(raw["nik"].split())
        cut_short = [RowError(line, nik, "", str(SHORT_LINE_MESSAGE), "short_line")] if cut else []
        if row is not None and not cut:
            return row
        return cut_short + [
            RowError(line, nik, name, " ".join(error), error.code)
            for name, errors in check.errors.items()
            for error in errors
        ]

    def _registered_date(self, value: str) -> dt.date | None:
        if not value:
            return None
        registered = _parse_date(value)
        if registered > self.today:
            raise ValidationError(_("The registration date is in the future."), code="future_date")
        return registered

    def _region(self, code: str) -> tuple[str, int]:
        region = self.kelurahan.get(code)
        if region is None:
            raise ValidationError(
                _("Unknown kelurahan code (use the Kemendagri code, e.g. 31.71.01.1001)."), code="invalid_choice"
            )
        if region[1] is None:
            raise ValidationError(_("There is no JakPreneur centre for this kecamatan yet."), code="no_center")
        if self.allowed_kecamatan is not None and region[0] not in self.allowed_kecamatan:
            raise ValidationError(_("This kelurahan is outside the kecamatan you manage."), code="out_of_scope")
        return region


NOT_UTF8_MESSAGE = gettext_lazy(
    "This cell holds bytes that are not UTF-8 text (the file was saved in another encoding, or "
    "is damaged). Save the file as CSV UTF-8 and upload it again."
)
SHORT_LINE_MESSAGE = gettext_lazy(
    "This line has fewer cells than the header: the file is cut off or the line is broken."
)


def _is_utf8(text: str) -> bool:
    """False when the text holds the surrogates surrogateescape made of bytes that are not
    UTF-8 (encoding to UTF-8 refuses exactly those)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _facility_codes(value: str) -> list[str]:
    codes = []
    for code in value.replace(",", ";").split(";"):
        code = code.strip().upper()
        if not code:
            continue
        if code not in FACILITY_CODES:
            raise ValidationError(
                _("Unknown facility %(code)s (use P1 to P7)."), code="invalid_choice", params={"code": code}
            )
        if code not in codes:
            codes.append(code)
    return codes
