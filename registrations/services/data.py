"""What callers hand to the services, and the refusals they show."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from facilities.models import Kelurahan
from registrations.models import Business, Entrepreneur

DUPLICATE_NIK_MESSAGE = _(
    "This NIK is already registered. If it is yours, log in (or reset your password), "
    "or visit the JakPreneur centre of your kecamatan for help."
)
DUPLICATE_EMAIL_MESSAGE = _("An account with this email address already exists. Log in or reset your password.")
EMAIL_IN_USE_MESSAGE = _("Another account already uses this email address.")
NO_CENTER_MESSAGE = _("There is no JakPreneur centre for this kecamatan yet.")


@dataclass
class BusinessData:
    name: str = ""
    sector: str = Business.Sector.OTHER
    started_year: int | None = None
    nib: str = ""
    workers: int = 0
    turnover_band: str = Business.TurnoverBand.NONE
    asset_band: str = ""


@dataclass
class EntrepreneurData:
    nik: str
    full_name: str
    birth_date: dt.date
    gender: str
    phone: str
    kelurahan: Kelurahan
    address: str
    track: str = Entrepreneur.Track.PEMULA
    email: str = ""
    business: BusinessData | None = None
    facilities: list[str] = field(default_factory=list)


@dataclass
class ImportRow:
    """One person of a legacy file, as the importer's RowValidator cleaned it with the
    rules (registrations/rules.py); the kelurahan is resolved to its kecamatan and centre."""

    line: int
    legacy_id: str | None
    nik: str
    full_name: str
    birth_date: dt.date
    gender: str
    phone: str
    email: str
    kelurahan_id: str
    kecamatan_id: str
    home_center_id: int
    address: str
    track: str
    business: dict | None  # BusinessData's fields but asset_band
    facilities: list[str]  # completed facilities, P1…P7
    registered_at: dt.datetime | None
