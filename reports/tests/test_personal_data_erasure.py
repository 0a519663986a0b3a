"""Erasing a person's identifying data (registrations.personal_data.erase_all, what an
approved deletion request runs) leaves the progress figures exactly as they were: the rows,
regions, genders, tracks, statuses, sectors, enrolments and attendance the snapshot counts
stay (UU 27/2022 erasure vs. the RPJMD indicator)."""

import datetime as dt

import pytest

from facilities.models import Facility
from facilities.tests.factories import ActivityFactory, center
from registrations import personal_data
from registrations import services as registration_services
from registrations.models import Business, Entrepreneur
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory
from reports.services import progress_compute

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_erasure_keeps_what_the_statistics_count_and_a_recompute_gives_the_same_figures(dina):
    siti = EntrepreneurFactory(full_name="Siti Rahmawati", gender="P", birth_date=dt.date(1990, 3, 14))
    BusinessFactory(entrepreneur=siti)
    registration_services.attendance_signup(
        activity=ActivityFactory(center=center("31.71.01")), entrepreneur=siti, actor=dina
    )
    registration_services.entrepreneur_reject(entrepreneur=siti, actor=dina, reason="Siti: NIK double")
    budi = EntrepreneurFactory(full_name="Budi Santoso", gender="L", birth_date=dt.date(1985, 6, 30))
    BusinessFactory(entrepreneur=budi, sector=Business.Sector.FASHION)
    registration_services.entrepreneur_verify(entrepreneur=budi, actor=dina)
    p2 = registration_services.enrollment_request(
        entrepreneur=budi, facility=Facility.objects.get(code="P2"), actor=dina
    )
    registration_services.enrollment_complete(enrollment=p2, actor=dina)
    registration_services.enrollment_request(entrepreneur=budi, facility=Facility.objects.get(code="P3"), actor=dina)
    EntrepreneurFactory(gender="P")
    now = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
    before = progress_compute(now=now)

    def counts():
        return [
            (person.enrollments.count(), person.status_changes.count(), person.attendances.count())
            for person in (budi, siti)
        ]

    counted_before = counts()

    personal_data.erase_all(budi, actor=dina)
    personal_data.erase_all(siti, actor=dina)

    after = progress_compute(now=now)
    assert after == before
    budi.refresh_from_db()
    assert (budi.kecamatan_id, budi.gender, budi.track, budi.status, budi.business.sector) == (
        "31.71.01",
        "L",
        "pemula",
        "verified",
        "fesyen",
    )
    assert counts() == counted_before
    # The comparison can fail: an erasure that touched his gender would change the figures.
    Entrepreneur.objects.filter(pk=budi.pk).update(gender="P")
    assert progress_compute(now=now) != before
