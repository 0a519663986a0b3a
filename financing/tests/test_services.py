"""The lifecycle services: who may do what, which transitions are allowed, what is recorded
(steps, emails, the P7 enrolment) and what a refusal leaves (nothing)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from financing import services
from financing.models import ApplicationStep, FinancingApplication, RepaymentStatus
from financing.tests.conftest import apply, eligible_person, report_months, through
from growth.selectors import add_months, current_period
from growth.tests.factories import MonthlyReportFactory
from registrations.models import Enrollment
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db


def statuses(application) -> list[str]:
    return list(application.steps.order_by("at", "id").values_list("to_status", flat=True))


def test_siti_applies_and_the_step_and_email_are_recorded(siti, monas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(siti, monas)

    assert application.status == "submitted"
    assert application.submitted_by_kind == "self"
    assert application.submitted_by == siti.user
    assert statuses(application) == ["submitted"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti@example.id"]
    assert application.reference in mail.outbox[0].subject


def test_an_ineligible_application_writes_nothing(siti, kur):
    # KUR needs six months of reports; Siti has three.
    with pytest.raises(ValidationError) as refused:
        apply(siti, kur, amount="20000000")
    assert refused.value.error_dict["product"][0].code == "reports_missing"
    assert not FinancingApplication.objects.exists()
    assert not ApplicationStep.objects.exists()


def test_an_amount_over_the_limit_is_refused(siti, monas):
    with pytest.raises(ValidationError) as refused:
        apply(siti, monas, amount="10000001")
    assert set(refused.value.error_dict) == {"amount"}
    assert not FinancingApplication.objects.exists()


def test_a_second_open_application_for_the_same_product_is_refused(siti, monas):
    apply(siti, monas)
    with pytest.raises(ValidationError) as refused:
        apply(siti, monas)
    assert refused.value.error_dict["product"][0].code == "already_open"
    assert FinancingApplication.objects.count() == 1


def test_the_database_keeps_one_open_application_per_product(siti, monas):
    first = apply(siti, monas)
    with pytest.raises(IntegrityError), transaction.atomic():
        FinancingApplication.objects.create(
            entrepreneur=siti, product=monas, amount=Decimal(1_000_000), tenor_months=6, purpose="x"
        )
    # Once the first is closed, a new one may be opened.
    services.application_withdraw(application=first, entrepreneur=siti, actor=siti.user)
    assert apply(siti, monas).status == "submitted"


def test_control_characters_in_the_purpose_are_refused(siti, monas):
    with pytest.raises(ValidationError) as refused:
        apply(siti, monas, purpose="modal\u202eusaha")
    assert refused.value.code == "hidden_characters"
    assert apply(siti, monas, purpose="Kompor\nstok bahan").purpose == "Kompor\nstok bahan"


def test_a_mentor_applies_for_someone_in_their_caseload(budi, monas, mark):
    application = apply(budi, monas, actor=mark)
    assert application.submitted_by_kind == "mentor"
    assert application.submitted_by == mark


def test_centre_staff_apply_for_people_of_their_kecamatan_only(siti, budi, monas, alice, bob):
    assert apply(siti, monas, actor=alice).submitted_by_kind == "staff"
    with pytest.raises(ValidationError) as refused:
        apply(budi, monas, actor=alice)
    assert refused.value.code == "not_in_scope"


@pytest.mark.parametrize("who", ["carol", "olga", "maya"])
def test_anyone_else_may_not_apply_for_siti(who, siti, monas, request):
    # maya is a mentor of Gambir, but Siti is not in her caseload.
    with pytest.raises(ValidationError):
        apply(siti, monas, actor=request.getfixturevalue(who))
    assert not FinancingApplication.objects.exists()


def test_the_whole_pipeline_to_repaid(siti, monas, alice, dina, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(siti, monas)
        through(application, to="disbursed", alice=alice, dina=dina)
        month = timezone.localdate().replace(day=1)
        services.repayment_record(application=application, actor=dina, month=month, status="repaying")
        services.repayment_record(application=application, actor=dina, month=month, status="repaid")

    application.refresh_from_db()
    assert application.status == "repaid"
    assert statuses(application) == ["submitted", "verified", "referred", "approved", "disbursed", "repaying", "repaid"]
    assert application.steps.get(to_status="verified").actor == alice
    assert application.disbursed_amount == application.approved_amount == Decimal(5_000_000)
    assert RepaymentStatus.objects.get(application=application).status == "repaid"
    # One email per step.
    assert len(mail.outbox) == 7


def test_disbursement_completes_the_p7_enrolment(siti, monas, dina):
    application = through(apply(siti, monas), to="disbursed", dina=dina)
    p7 = Enrollment.objects.get(entrepreneur=siti, facility_id="P7")
    assert p7.state == "completed"
    assert p7.financing_amount == application.disbursed_amount
    assert p7.financing_provider == "Bank DKI"


def test_disbursement_completes_an_open_p7_request_rather_than_adding_one(siti, monas, dina):
    Enrollment.objects.create(entrepreneur=siti, facility_id="P7", center=siti.home_center)
    through(apply(siti, monas), to="disbursed", dina=dina)
    assert list(Enrollment.objects.filter(entrepreneur=siti, facility_id="P7").values_list("state", flat=True)) == [
        "completed"
    ]


def test_the_disbursed_amount_may_not_exceed_the_approved_one(siti, monas, dina):
    application = apply(siti, monas, amount="5000000")
    through(application, to="referred", dina=dina)
    services.application_decide(application=application, actor=dina, approved=True, approved_amount=Decimal(4_000_000))
    with pytest.raises(ValidationError) as refused:
        services.application_disburse(
            application=application, actor=dina, amount=Decimal(4_000_001), on=timezone.localdate()
        )
    assert "disbursed_amount" in refused.value.error_dict
    application.refresh_from_db()
    assert application.status == "approved"
    assert not Enrollment.objects.filter(entrepreneur=siti, facility_id="P7").exists()


def test_a_disbursement_date_in_the_future_is_refused(siti, monas, dina):
    application = through(apply(siti, monas), to="approved", dina=dina)
    with pytest.raises(ValidationError):
        services.application_disburse(
            application=application,
            actor=dina,
            amount=Decimal(1_000_000),
            on=timezone.localdate() + dt.timedelta(days=1),
        )


def test_transitions_out_of_order_are_refused(siti, monas, dina):
    application = apply(siti, monas)
    with pytest.raises(ValidationError) as refused:
        services.application_decide(application=application, actor=dina, approved=True)
    assert refused.value.code == "invalid_transition"
    with pytest.raises(ValidationError):
        services.referral_batch_create(applications=[application], actor=dina)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert statuses(application) == ["submitted"]


def test_centre_staff_verify_their_kecamatan_only(siti, budi, monas, alice, bob):
    mine, theirs = apply(siti, monas), apply(budi, monas)
    services.application_verify(application=mine, actor=alice)
    with pytest.raises(ValidationError) as refused:
        services.application_verify(application=theirs, actor=alice)
    assert refused.value.code == "not_in_scope"
    theirs.refresh_from_db()
    assert theirs.status == "submitted"


def test_a_mentor_verifies_their_caseload(budi, monas, mark, maya):
    application = apply(budi, monas)
    with pytest.raises(ValidationError):
        services.application_verify(application=application, actor=maya)
    assert services.application_verify(application=application, actor=mark).status == "verified"


@pytest.mark.parametrize("who", ["alice", "maya", "olga"])
def test_only_the_dinas_records_the_banks_side(who, siti, monas, dina, request):
    actor = request.getfixturevalue(who)
    application = through(apply(siti, monas), to="verified", dina=dina)
    with pytest.raises(ValidationError) as refused:
        services.referral_batch_create(applications=[application], actor=actor)
    assert refused.value.code == "dinas_only"
    services.referral_batch_create(applications=[application], actor=dina)
    with pytest.raises(ValidationError):
        services.application_decide(application=application, actor=actor, approved=True)


def test_a_batch_goes_to_one_bank(siti, monas, dina):
    other = eligible_person()
    first, second = apply(siti, monas), apply(other, monas)
    monas_copy = type(monas).objects.get(pk=monas.pk)
    monas_copy.pk = None
    monas_copy.provider = "Bank Lain"
    monas_copy.save()
    monas_copy.required_facilities.set(monas.required_facilities.all())
    second_bank = apply(other, monas_copy)
    for application in (first, second, second_bank):
        services.application_verify(application=application, actor=dina)
    with pytest.raises(ValidationError) as refused:
        services.referral_batch_create(applications=[first, second_bank], actor=dina)
    assert refused.value.code == "several_banks"
    batch = services.referral_batch_create(applications=[first, second], actor=dina)
    assert set(batch.applications.values_list("status", flat=True)) == {"referred"}


def test_the_entrepreneur_withdraws_before_the_bank_has_it_only(siti, monas, dina):
    application = apply(siti, monas)
    other = eligible_person()
    with pytest.raises(ValidationError) as refused:
        services.application_withdraw(application=application, entrepreneur=other, actor=other.user)
    assert refused.value.code == "not_yours"
    through(application, to="referred", dina=dina)
    with pytest.raises(ValidationError) as refused:
        services.application_withdraw(application=application, entrepreneur=siti, actor=siti.user)
    assert refused.value.code == "not_withdrawable"


def test_staff_cancel_with_a_reason(siti, monas, alice):
    application = apply(siti, monas)
    with pytest.raises(ValidationError):
        services.application_cancel(application=application, actor=alice, reason="  ")
    services.application_cancel(application=application, actor=alice, reason="Usaha tutup")
    assert application.steps.get(to_status="cancelled").reason == "Usaha tutup"


def test_a_rejected_application_is_final(siti, monas, dina):
    application = through(apply(siti, monas), to="referred", dina=dina)
    services.application_decide(application=application, actor=dina, approved=False, reason="Riwayat kredit")
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == ("rejected", "Riwayat kredit")
    with pytest.raises(ValidationError):
        services.application_disburse(application=application, actor=dina, amount=Decimal(1), on=timezone.localdate())


def test_an_older_month_does_not_overwrite_the_latest_status(siti, monas, dina):
    application = through(apply(siti, monas), to="disbursed", dina=dina)
    this_month = timezone.localdate().replace(day=1)
    services.repayment_record(application=application, actor=dina, month=this_month, status="arrears")
    with pytest.raises(ValidationError):
        # Before the disbursement: refused.
        services.repayment_record(
            application=application, actor=dina, month=this_month - dt.timedelta(days=40), status="repaying"
        )
    application.refresh_from_db()
    assert application.status == "arrears"


def test_kur_for_a_running_business(kur, dina):
    warung = EntrepreneurFactory(status="verified", track="naik_kelas")
    report_months(warung, 5)
    with pytest.raises(ValidationError) as refused:
        apply(warung, kur, amount="50000000", tenor=36)
    assert [e.code for e in refused.value.error_dict["product"]] == ["reports_missing"]
    MonthlyReportFactory(entrepreneur=warung, period=add_months(current_period(), -6))
    assert apply(warung, kur, amount="50000000", tenor=36).status == "submitted"
