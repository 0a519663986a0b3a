"""Pure rules of the monthly reports (and, below, of size classes and outcomes).

Each check returns the cleaned value or raises a ValidationError with a stable code; the
/me/ form, the admin form, the sheet upload and the services all call these, so a rule holds
wherever a report comes from.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from growth.models import FIRST_PERIOD, MAX_AMOUNT, MAX_WORKERS
from registrations.rules import rupiah_number, rupiah_text

FIRST_MONTH = dt.date(*FIRST_PERIOD, 1)
_PERIOD_RE = re.compile(r"^(\d{4})-(\d{1,2})(?:-01)?$")
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # Cc in ASCII; ASCII has no Cf
_DIGITS = re.compile(r"[0-9]{1,13}")  # the plain amount a sheet holds: no prefix, no grouping
_WORKERS_NEGATIVE = re.compile(r"-\d+")
_WORKERS = re.compile(r"\d{1,7}")


def _refuse_control_characters(text: str) -> None:
    if text.isascii():
        if _ASCII_CONTROL.search(text) is None:
            return
    elif not any(unicodedata.category(char) in ("Cc", "Cf") for char in text):
        return
    raise ValidationError(_("Remove the invisible or control characters."), code="control_characters")


def parse_period(value) -> dt.date:
    """A month written YYYY-MM (or a date): the first day of that month."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value or "").strip()
    _refuse_control_characters(text)
    match = _PERIOD_RE.match(text)
    if not match:
        raise ValidationError(_("Write the month as YYYY-MM, e.g. 2026-01."), code="period_format")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValidationError(_("Write the month as YYYY-MM, e.g. 2026-01."), code="period_format")
    return dt.date(year, month, 1)


def check_period(period: dt.date, *, today: dt.date, started_year: int | None = None) -> dt.date:
    """A reportable month: not in the future, not before the programme (2017-12), not before
    the year the business started."""
    period = period.replace(day=1)
    if period > today.replace(day=1):
        raise ValidationError(_("That month has not come yet."), code="period_future")
    if period < FIRST_MONTH:
        raise ValidationError(
            _("Reports start from December 2017, when the programme began."), code="period_before_programme"
        )
    if started_year and period.year < started_year:
        raise ValidationError(
            _("Your business started in %(year)s: report months from then on.") % {"year": started_year},
            code="period_before_business",
        )
    return period


def parse_amount(value) -> int:
    """Rupiah as Indonesians write them: `1.500.000`, `Rp 1.500.000`, `1500000` (and a
    spreadsheet's numbers). Whole rupiah, not negative, at most Rp 1 trillion."""
    if type(value) is str and _DIGITS.fullmatch(value):  # most of a sheet: the general path below agrees
        number = int(value)
    elif isinstance(value, bool):
        raise ValidationError(_("Write an amount in rupiah, e.g. 1.500.000."), code="amount_format")
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or not value.is_integer():
            raise ValidationError(_("Write an amount in whole rupiah, e.g. 1.500.000."), code="amount_format")
        number = int(value)
    else:
        text = str(value if value is not None else "").strip()
        _refuse_control_characters(text)
        text = rupiah_text(text)
        if text.startswith("-") and rupiah_number(text[1:]) is not None:
            raise ValidationError(_("An amount cannot be negative."), code="amount_negative")
        number = rupiah_number(text)
        if number is None:
            raise ValidationError(_("Write an amount in rupiah, e.g. 1.500.000."), code="amount_format")
    if number < 0:
        raise ValidationError(_("An amount cannot be negative."), code="amount_negative")
    if number > MAX_AMOUNT:
        raise ValidationError(_("That is more than Rp 1 trillion: check the number of zeros."), code="amount_too_large")
    return number


def parse_workers(value) -> int:
    """People working in the business besides the owner: a whole number, 0 … 100,000."""
    if isinstance(value, bool):
        raise ValidationError(_("Write the number of workers, e.g. 2."), code="workers_format")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        _refuse_control_characters(text)
        if _WORKERS_NEGATIVE.fullmatch(text):
            raise ValidationError(_("The number of workers cannot be negative."), code="workers_negative")
        if not _WORKERS.fullmatch(text):
            raise ValidationError(_("Write the number of workers, e.g. 2."), code="workers_format")
        number = int(text)
    if number < 0:
        raise ValidationError(_("The number of workers cannot be negative."), code="workers_negative")
    if number > MAX_WORKERS:
        raise ValidationError(_("That is more workers than a programme business has."), code="workers_too_many")
    return number


# --- size classes and outcomes (PP 7/2021 Pasal 35) -------------------------------------------
# Pure functions over one entrepreneur's reports, oldest first. The outcome step
# (growth.outcomes) restates them in SQL from these constants; its property test checks
# that both agree.

MIKRO, KECIL, MENENGAH, BESAR = "mikro", "kecil", "menengah", "besar"
SIZE_CLASSES = (MIKRO, KECIL, MENENGAH, BESAR)
# Annual sales (hasil penjualan tahunan): mikro ≤ Rp 2 M, kecil > 2–15 M, menengah > 15–50 M.
SALES_CEILINGS = ((2_000_000_000, MIKRO), (15_000_000_000, KECIL), (50_000_000_000, MENENGAH))
# Capital excluding land and buildings: mikro ≤ Rp 1 M, kecil ≤ 5 M, menengah ≤ 10 M.
ASSET_CEILINGS = ((1_000_000_000, MIKRO), (5_000_000_000, KECIL), (10_000_000_000, MENENGAH))
MIN_MONTHS_TO_CLASSIFY = 3
WINDOW_MONTHS = 12
GROWTH_WINDOW = 3  # turnover growth: the first 3 reported months against the latest 3
WIRAUSAHA_BARU_TRACK = "pemula"  # wirausaha baru: registrants of this track (no business yet)


def _class_of(value: int, ceilings) -> str:
    for ceiling, name in ceilings:
        if value <= ceiling:
            return name
    return BESAR


def size_class_by_sales(annual_sales: int) -> str:
    return _class_of(annual_sales, SALES_CEILINGS)


def size_class_by_assets(assets: int) -> str:
    return _class_of(assets, ASSET_CEILINGS)


def annualised_sales(turnovers) -> int | None:
    """Annual sales from the last 12 reported months (a list of monthly turnovers, oldest
    first), scaled to 12 months when fewer were reported; None under 3 months."""
    window = list(turnovers)[-WINDOW_MONTHS:]
    if len(window) < MIN_MONTHS_TO_CLASSIFY:
        return None
    return round(sum(window) * WINDOW_MONTHS / len(window))


def is_higher(new: str | None, old: str | None) -> bool:
    return new is not None and old is not None and SIZE_CLASSES.index(new) > SIZE_CLASSES.index(old)


def turnover_growth(turnovers) -> float | None:
    """Growth of the mean monthly turnover, latest 3 reported months against the first 3
    (as a fraction: 0.25 = +25 %); None with fewer than 6 months or a first mean of zero."""
    values = list(turnovers)
    if len(values) < 2 * GROWTH_WINDOW:
        return None
    first = sum(values[:GROWTH_WINDOW]) / GROWTH_WINDOW
    latest = sum(values[-GROWTH_WINDOW:]) / GROWTH_WINDOW
    return None if first == 0 else latest / first - 1


def median(values) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class Outcome:
    """One entrepreneur's outcome from their reports."""

    first_class: str | None  # from the first 3 reported months
    current_class: str | None  # from the last 12 reported months (at least 3)
    naik_kelas: bool  # a higher class now than at the first classification
    wirausaha_baru: bool  # a pemula registrant whose latest report shows turnover > 0
    growth: float | None  # turnover_growth
    jobs_created: int  # workers now minus at the first report, when more


def outcome_of(*, track: str, turnovers: list[int], workers: list[int]) -> Outcome:
    """The outcome of one entrepreneur's reports (turnovers and workers, oldest first)."""
    first_sales = annualised_sales(turnovers[:MIN_MONTHS_TO_CLASSIFY])
    current_sales = annualised_sales(turnovers)
    first_class = size_class_by_sales(first_sales) if first_sales is not None else None
    current_class = size_class_by_sales(current_sales) if current_sales is not None else None
    return Outcome(
        first_class=first_class,
        current_class=current_class,
        naik_kelas=is_higher(current_class, first_class),
        wirausaha_baru=track == WIRAUSAHA_BARU_TRACK and bool(turnovers) and turnovers[-1] > 0,
        growth=turnover_growth(turnovers),
        jobs_created=max(workers[-1] - workers[0], 0) if workers else 0,
    )
