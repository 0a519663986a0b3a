"""The financing cast: Siti of Gambir, ready for Kredit Monas Pemula (verified, P1–P6
completed, three months of P6 reports); Budi of Menteng, in mentor Mark's caseload; the two
seeded products. Staff come from the root conftest (alice of Gambir, bob of Menteng, carol
with no kecamatan, olga the official, dina of the Dinas, maya and mark the mentors)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from facilities.tests.factories import MENTENG_KELURAHAN
from financing import services
from financing.models import FinancingProduct
from growth.selectors import add_months, current_period
from growth.tests.factories import MentorAssignmentFactory, MonthlyReportFactory
from registrations.models import Enrollment, Entrepreneur
from registrations.tests.factories import BusinessFactory, EnrollmentFactory, EntrepreneurFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def monas(db):
    return FinancingProduct.objects.get(name="Kredit Monas Pemula")


@pytest.fixture
def kur(db):
    return FinancingProduct.objects.get(name="KUR Mikro")


def complete_facilities(entrepreneur, codes=("P1", "P2", "P3", "P4", "P5", "P6")):
    for code in codes:
        if not Enrollment.objects.filter(entrepreneur=entrepreneur, facility_id=code, state="completed").exists():
            EnrollmentFactory(entrepreneur=entrepreneur, facility_id=code, state=Enrollment.State.COMPLETED)


def report_months(entrepreneur, months: int, *, turnover: int = 15_000_000):
    """P6 reports for the `months` months before this one."""
    for back in range(1, months + 1):
        MonthlyReportFactory(entrepreneur=entrepreneur, period=add_months(current_period(), -back), turnover=turnover)


def eligible_person(**kwargs) -> Entrepreneur:
    person = EntrepreneurFactory(status=Entrepreneur.Status.VERIFIED, **kwargs)
    BusinessFactory(entrepreneur=person, name="Warung Siti")
    complete_facilities(person)
    report_months(person, 3)
    return person


@pytest.fixture
def siti(db):
    """Gambir, verified, P1–P6 completed, three months reported: eligible for Monas."""
    return eligible_person(full_name="Siti Rahmawati", user=UserFactory(email="siti@example.id"))


@pytest.fixture
def budi(db, mark):
    """Menteng, eligible for Monas, in mentor Mark's caseload."""
    person = eligible_person(
        full_name="Budi Santoso", kelurahan_code=MENTENG_KELURAHAN, user=UserFactory(email="budi@example.id")
    )
    MentorAssignmentFactory(entrepreneur=person, mentor=mark)
    return person


def apply(person, product, *, amount="5000000", tenor=12, actor=None, purpose="Kompor kedua dan stok bahan"):
    return services.application_submit(
        entrepreneur=person,
        product=product,
        amount=Decimal(amount),
        tenor_months=tenor,
        purpose=purpose,
        actor=actor or person.user,
    )


def through(application, *, to: str, dina, alice=None, on: dt.date | None = None):
    """Move an application along the pipeline with the right actors, up to `to`."""
    order = ["verified", "referred", "approved", "disbursed"]
    for status in order[: order.index(to) + 1]:
        if status == "verified":
            services.application_verify(application=application, actor=alice or dina)
        elif status == "referred":
            services.referral_batch_create(applications=[application], actor=dina)
        elif status == "approved":
            services.application_decide(application=application, actor=dina, approved=True)
        elif status == "disbursed":
            application.refresh_from_db()
            services.application_disburse(
                application=application,
                actor=dina,
                amount=application.approved_amount,
                on=on or timezone.localdate(),
            )
    application.refresh_from_db()
    return application
