"""seed_demo's P7 rows: loans behind the completed P7 enrolments, applications along the
pipeline, each with its steps, and the snapshot's financing figures follow."""

import io

import pytest
from django.core.management import call_command

from financing.models import ApplicationStep, FinancingApplication
from registrations.models import Enrollment
from reports import services

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_loans_and_a_pipeline(settings):
    settings.DEBUG = True
    call_command("seed_demo", entrepreneurs=600, seed=3, stdout=io.StringIO())
    applications = FinancingApplication.objects.all()
    assert applications.exists()
    loans = applications.filter(status__in=FinancingApplication.DISBURSED_STATUSES)
    p7 = Enrollment.objects.filter(facility_id="P7", state="completed", financing_amount__isnull=False)
    assert set(loans.values_list("entrepreneur_id", flat=True)) <= set(p7.values_list("entrepreneur_id", flat=True))
    for loan in loans:
        assert loan.disbursed_amount <= loan.approved_amount <= loan.product.max_amount
        assert loan.submitted_at < loan.decided_at
    assert applications.exclude(status__in=FinancingApplication.DISBURSED_STATUSES).exists()
    assert not applications.filter(steps__isnull=True).exists()
    assert ApplicationStep.objects.filter(to_status="submitted").count() == applications.count()
    data = services.progress_compute()
    assert data["scopes"]["all"]["financing"]["applications"] == applications.count()


def test_seeding_again_adds_no_second_application(settings):
    settings.DEBUG = True
    call_command("seed_demo", entrepreneurs=200, seed=4, stdout=io.StringIO())
    count = FinancingApplication.objects.count()
    from financing.demo import seed_financing

    assert seed_financing(seed=4, legacy_prefix="demo-4-") == 0
    assert FinancingApplication.objects.count() == count
