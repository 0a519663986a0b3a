"""Form posts used by the registration tests (and the browser tests)."""

import datetime as dt

from facilities.tests.factories import GAMBIR_KELURAHAN
from registrations.tests.factories import make_nik

BIRTH_DATE = dt.date(1990, 8, 17)
PASSWORD = "Batik-Tenun-2024!"


def registration_data(**overrides) -> dict:
    """A valid registration POST (a woman born 17 Aug 1990 living in Gambir)."""
    data = {
        "email": "siti@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "nik": make_nik(BIRTH_DATE, "P", 41),
        "full_name": "Siti Rahmawati",
        "birth_date": BIRTH_DATE.isoformat(),
        "gender": "P",
        "phone": "0812 3456 7890",
        "kelurahan": GAMBIR_KELURAHAN,
        "address": "Jl. Kebon Kelapa No. 12, RT 003/RW 002",
        "track": "pemula",
        "facilities": ["P2", "P4"],
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def naik_kelas_data(**overrides) -> dict:
    values = {
        "track": "naik_kelas",
        "business_name": "Kue Basah Bu Siti",
        "sector": "kuliner",
        "started_year": "2018",
        "workers": "3",
        "turnover_band": "5-25jt",
        "nib": "1234567890123",
    }
    values.update(overrides)
    return registration_data(**values)
