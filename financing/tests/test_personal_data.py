"""Financing's part of the resident's data (registrations/personal_data.py): their
applications with every step and repayment status; erasure blanks the purpose and the reasons
and keeps products, amounts, statuses and dates (the financing figures count them)."""

import json

import pytest

from financing.models import ApplicationStep, FinancingApplication
from financing.tests.conftest import apply, through
from registrations import personal_data

pytestmark = pytest.mark.django_db


def test_the_copy_holds_each_application_with_its_steps(siti, monas, dina):
    application = apply(siti, monas, purpose="Kompor kedua untuk Warung Siti")
    through(application, to="approved", dina=dina)
    part = personal_data.export_all(siti)["sections"]["financing"]["data"]
    (row,) = part["applications"]
    assert (row["product"], row["amount"], row["purpose"], row["status"]) == (
        "Kredit Monas Pemula",
        5_000_000,
        "Kompor kedua untuk Warung Siti",
        "approved",
    )
    assert [step["to"] for step in row["steps"]] == ["submitted", "verified", "referred", "approved"]
    json.dumps(part)


def test_the_copy_reads_a_fixed_number_of_queries(siti, monas, kur, dina, django_assert_num_queries):
    from financing.personal_data import personal_data_export

    apply(siti, monas)
    with django_assert_num_queries(3):
        personal_data_export(siti)
    through(FinancingApplication.objects.get(), to="disbursed", dina=dina)
    with django_assert_num_queries(3):
        personal_data_export(siti)


def test_erasure_blanks_the_purpose_and_reasons_and_keeps_the_figures(siti, monas, dina):
    application = apply(siti, monas, purpose="Kompor kedua untuk Warung Siti")
    through(application, to="disbursed", dina=dina)
    ApplicationStep.objects.filter(application=application).update(reason="Siti Rahmawati: OK")
    FinancingApplication.objects.filter(pk=application.pk).update(decision_reason="Siti: good history")
    personal_data.erase_all(siti, actor=dina)
    application.refresh_from_db()
    assert (application.purpose, application.decision_reason) == ("", "")
    assert (application.status, int(application.amount), int(application.disbursed_amount)) == (
        "disbursed",
        5_000_000,
        5_000_000,
    )
    assert not ApplicationStep.objects.filter(application=application).exclude(reason="").exists()
