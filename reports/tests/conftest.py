"""Helpers for the reports tests: entrepreneurs placed in a given kecamatan, month and state."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from facilities.models import Kelurahan
from registrations.models import Business, Enrollment, Entrepreneur
from registrations.tests.factories import EntrepreneurFactory

JAKARTA = timezone.get_fixed_timezone(7 * 60)


def at(year: int, month: int, day: int = 15) -> dt.datetime:
    return dt.datetime(year, month, day, 10, 0, tzinfo=JAKARTA)


class People:
    """Builds entrepreneurs through the factories (the same rows services write)."""

    def add(
        self,
        kecamatan: str = "31.71.01",
        *,
        registered_at: dt.datetime | None = None,
        status: str = Entrepreneur.Status.VERIFIED,
        gender: str = "P",
        track: str = Entrepreneur.Track.PEMULA,
        birth_date: dt.date | None = None,
        sector: str | None = None,
        facilities: dict[str, str] | None = None,
    ) -> Entrepreneur:
        kelurahan = Kelurahan.objects.filter(kecamatan_id=kecamatan).order_by("code").first()
        extra = {"birth_date": birth_date} if birth_date else {}
        entrepreneur = EntrepreneurFactory(
            user=None,
            kelurahan_code=kelurahan.code,
            registered_at=registered_at or timezone.now() - dt.timedelta(days=10),
            status=status,
            status_changed_at=timezone.now() - dt.timedelta(days=5) if status != "submitted" else None,
            gender=gender,
            track=track,
            **extra,
        )
        if sector:
            Business.objects.create(entrepreneur=entrepreneur, name="Usaha", sector=sector)
        Enrollment.objects.create(
            entrepreneur=entrepreneur,
            facility_id="P1",
            center=entrepreneur.home_center,
            state="completed",
            completed_at=entrepreneur.registered_at,
        )
        for code, state in (facilities or {}).items():
            self.enrol(entrepreneur, code, state)
        return entrepreneur

    def enrol(self, entrepreneur: Entrepreneur, code: str, state: str, *, completed_at=None) -> Enrollment:
        now = timezone.now()
        return Enrollment.objects.create(
            entrepreneur=entrepreneur,
            facility_id=code,
            center=entrepreneur.home_center,
            state=state,
            started_at=now if state in ("active", "completed") else None,
            completed_at=(completed_at or now) if state == "completed" else None,
            cancelled_at=now if state == "cancelled" else None,
        )


@pytest.fixture
def people(db):
    return People()


@pytest.fixture
def seed(db):
    """`seed(n)` adds n synthetic entrepreneurs with seed_demo (quietly)."""

    def run(count: int, seed: int = 7) -> None:
        call_command("seed_demo", entrepreneurs=count, seed=seed, stdout=_Null())

    return run


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
