"""What callers hand to the services, and the refusals they show."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from facilities.models import Kelurahan
from registrations import rules
from registrations.models import Business, Entrepreneur

DUPLICATE_NIK_MESSAGE = _(
    "This NIK is already registered. If it is yours, log in (or reset your password), "
    "or visit the JakPreneur centre of your kecamatan for help."
)
DUPLICATE_EMAIL_MESSAGE = _("An account with this email address already exists. Log in or reset your password.")
EMAIL_IN_USE_MESSAGE = _("Another account already uses this email address.")
NO_CENTER_MESSAGE = _("There is no JakPreneur centre for this kecamatan yet.")
OUT_OF_SCOPE_MESSAGE = _("This is outside the kecamatan you work for: nothing was changed.")


@dataclass
class BusinessData:
    name: str = ""
    sector: str = Business.Sector.OTHER
    started_year: int | None = None
    nib: str = ""
    workers: int = 0
    turnover_band: str = Business.TurnoverBand.NONE
    asset_band: str = ""

    @classmethod
    def from_checked(cls, values: dict, *, asset_band: str = "") -> "BusinessData":
        """From rules.check_business's values, with the defaults of what was not given."""
        return cls(
            name=values["business_name"] or "",
            sector=values["sector"] or Business.Sector.OTHER,
            started_year=values["started_year"],
            nib=values["nib"] or "",
            workers=values["workers"] or 0,
            turnover_band=values["turnover_band"] or Business.TurnoverBand.NONE,
            asset_band=asset_band,
        )

    def as_checked(self) -> dict:
        """The values rules.check_business checks, by their form and import names."""
        return {
            "business_name": self.name,
            "sector": self.sector,
            "started_year": self.started_year,
            "nib": self.nib,
            "workers": self.workers,
            "turnover_band": self.turnover_band,
        }


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
    """One person of a legacy file for the bulk service, made by `ImportRow.checked()`, which
    cleans the person and the business with the rules (registrations/rules.py); the
    importer's RowValidator resolves the kelurahan to its kecamatan and centre."""

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
    business: BusinessData | None
    facilities: list[str]  # completed facilities, P1…P7
    registered_at: dt.datetime | None
    rules_checked: bool = field(default=False, repr=False, compare=False)

    @classmethod
    def checked(
        cls, check: rules.Checker, *, person: dict, business: dict | None, on: dt.date, today: dt.date, **fields
    ) -> "ImportRow | None":
        """The row with its person and business cleaned by the rules (old enough on `on`),
        their refusals added to `check`; None when `check` holds any refusal."""
        values = rules.check_person(check, person, on=on, today=today)
        business_data = None
        if business is not None:
            business_data = BusinessData.from_checked(rules.check_business(check, business, today=today))
        if check.errors:
            return None
        return cls(**values, business=business_data, **fields, rules_checked=True)
