"""An erasure (privacy) leaves the progress figures (reports) exactly as they were: a
cross-app check, so it lives here rather than in privacy, which sits below reports."""

import datetime as dt

import pytest

from facilities.models import Facility
from financing.models import FinancingApplication, FinancingProduct
from growth.models import MentoringSession
from growth.tests.factories import MentoringSessionFactory, MonthlyReportFactory
from privacy import services
from privacy.tests.test_deletion import request_of, siti  # noqa: F401 (siti is a fixture)
from registrations import services as registration_services
from registrations.models import Business, Entrepreneur
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory
from reports.services import progress_compute

pytestmark = pytest.mark.django_db


def test_what_the_statistics_count_stays_and_a_recompute_gives_the_same_figures(siti, dina, maya):  # noqa: F811
    budi = EntrepreneurFactory(full_name="Budi Santoso", gender="L", birth_date=dt.date(1985, 6, 30))
    BusinessFactory(entrepreneur=budi, sector=Business.Sector.FASHION)
    registration_services.entrepreneur_verify(entrepreneur=budi, actor=dina)
    p2 = registration_services.enrollment_request(
        entrepreneur=budi, facility=Facility.objects.get(code="P2"), actor=dina
    )
    registration_services.enrollment_complete(enrollment=p2, actor=dina)
    registration_services.enrollment_request(entrepreneur=budi, facility=Facility.objects.get(code="P3"), actor=dina)
    EntrepreneurFactory(gender="P")
    # P6 reports (the outcome figures), a mentoring session and a financing application.
    for month, turnover in ((5, 150_000_000), (6, 160_000_000), (7, 170_000_000), (8, 900_000_000), (9, 950_000_000)):
        MonthlyReportFactory(entrepreneur=budi, period=dt.date(2026, month, 1), turnover=turnover, workers=month - 3)
    MentoringSessionFactory(
        entrepreneur=budi, mentor=maya, notes="Budi's wife runs the stall", next_step="Budi: daftar NIB"
    )
    FinancingApplication.objects.create(
        entrepreneur=budi,
        product=FinancingProduct.objects.get(name="Kredit Monas Pemula"),
        amount=5_000_000,
        tenor_months=12,
        purpose="Mesin jahit untuk Budi",
    )
    now = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
    before = progress_compute(now=now)

    def counts():
        return [
            (person.enrollments.count(), person.status_changes.count(), person.attendances.count())
            for person in (budi, siti)
        ]

    counted_before = counts()

    services.deletion_request_approve(request=request_of(budi), actor=dina)
    services.deletion_request_approve(request=request_of(siti), actor=dina)

    after = progress_compute(now=now)
    assert after == before
    jakarta = before["scopes"]["all"]
    assert (
        jakarta["outcomes"]["reporting"],
        jakarta["outcomes"]["naik_kelas"],
        jakarta["financing"]["applications"],
    ) == (1, 1, 1)
    assert not MentoringSession.objects.exclude(notes="").exists()
    assert FinancingApplication.objects.get().purpose == ""
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
