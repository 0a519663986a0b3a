"""Submitting products to rounds and the steps after the mentor's: who may take each one,
what is recorded, what the entrepreneur is told. (The mentor's step: test_mentor_step.py.)"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketing import services
from marketing.models import Certificate, Product, Submission, SubmissionStep
from marketing.tests.factories import CurationRoundFactory, ProductFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def refusal(call, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.error_list[0].code if hasattr(caught.value, "error_list") else caught.value.code


def test_a_product_is_submitted_and_the_entrepreneur_is_emailed(siti, mailoutbox, django_capture_on_commit_callbacks):
    product = ProductFactory(entrepreneur=siti)
    curation_round = CurationRoundFactory()
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_create(round=curation_round, product=product, entrepreneur=siti)
    assert submission.status == "submitted"
    step = SubmissionStep.objects.get(submission=submission)
    assert (step.from_status, step.to_status, step.actor) == ("", "submitted", siti.user)
    assert len(mailoutbox) == 1 and product.name in mailoutbox[0].subject
    assert mailoutbox[0].to == [siti.email]


def test_a_late_submission_is_refused(siti):
    curation_round = CurationRoundFactory(submission_deadline=timezone.now() - dt.timedelta(minutes=1))
    code = refusal(
        services.submission_create, round=curation_round, product=ProductFactory(entrepreneur=siti), entrepreneur=siti
    )
    assert code == "deadline"
    assert not Submission.objects.exists()


def test_a_draft_or_closed_round_takes_no_submissions(siti):
    for status in ("draft", "closed"):
        curation_round = CurationRoundFactory(status=status)
        product = ProductFactory(entrepreneur=siti)
        assert refusal(services.submission_create, round=curation_round, product=product, entrepreneur=siti) == (
            "deadline"
        )


def test_a_full_round_refuses_and_returned_submissions_free_their_place(siti):
    curation_round = CurationRoundFactory(quota=1)
    first = services.submission_create(
        round=curation_round, product=ProductFactory(entrepreneur=siti), entrepreneur=siti
    )
    second = ProductFactory(entrepreneur=siti)
    assert refusal(services.submission_create, round=curation_round, product=second, entrepreneur=siti) == "full"
    Submission.objects.filter(pk=first.pk).update(status="returned", returned_at=timezone.now())
    assert services.submission_create(round=curation_round, product=second, entrepreneur=siti).pk


def test_a_product_is_submitted_once_per_round(siti):
    curation_round, product = CurationRoundFactory(), ProductFactory(entrepreneur=siti)
    services.submission_create(round=curation_round, product=product, entrepreneur=siti)
    code = refusal(services.submission_create, round=curation_round, product=product, entrepreneur=siti)
    assert code == "already_submitted"


def test_the_round_category_is_respected(siti):
    curation_round = CurationRoundFactory(categories=["fesyen"])
    product = ProductFactory(entrepreneur=siti, category="kuliner")
    assert refusal(services.submission_create, round=curation_round, product=product, entrepreneur=siti) == "category"


def test_someone_elses_or_a_withdrawn_product_is_refused(siti, budi):
    curation_round = CurationRoundFactory()
    other = ProductFactory(entrepreneur=budi)
    assert refusal(services.submission_create, round=curation_round, product=other, entrepreneur=siti) == "not_yours"
    withdrawn = ProductFactory(entrepreneur=siti, withdrawn_at=timezone.now())
    code = refusal(services.submission_create, round=curation_round, product=withdrawn, entrepreneur=siti)
    assert code == "withdrawn"


def test_the_database_refuses_a_grade_on_a_submission_not_graded(siti):
    from django.db import IntegrityError, transaction

    submission = SubmissionFactory(product=ProductFactory(entrepreneur=siti))
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=submission.pk).update(grade="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=submission.pk).update(status="graded")


# --- the steps after the mentor's -----------------------------------------------------------------


@pytest.fixture
def verified(siti, cora):
    curation_round = CurationRoundFactory()
    curation_round.curators.add(cora)
    return SubmissionFactory(round=curation_round, product=ProductFactory(entrepreneur=siti), status="verified")


def test_centre_staff_of_the_kecamatan_validate_others_may_not(verified, alice, bob, dina, cora):
    for outsider in (bob, dina, cora):
        assert refusal(services.submission_validate, submission=verified, actor=outsider) == "not_allowed"
    services.submission_validate(submission=verified, actor=alice)
    verified.refresh_from_db()
    assert verified.status == "validated" and verified.validated_at is not None
    assert verified.steps.get(to_status="validated").actor == alice


def test_only_the_dinas_forwards(verified, alice, dina, cora):
    services.submission_validate(submission=verified, actor=alice)
    for outsider in (alice, cora):
        assert refusal(services.submission_forward, submission=verified, actor=outsider) == "not_allowed"
    services.submission_forward(submission=verified, actor=dina)
    verified.refresh_from_db()
    assert verified.status == "forwarded"


def test_a_step_out_of_order_is_refused(verified, dina):
    assert refusal(services.submission_forward, submission=verified, actor=dina) == "wrong_status"


def test_only_a_curator_of_the_round_grades_and_a_certificate_is_issued(
    verified, alice, dina, cora, carl, mailoutbox, django_capture_on_commit_callbacks
):
    services.submission_validate(submission=verified, actor=alice)
    services.submission_forward(submission=verified, actor=dina)
    for outsider in (carl, dina, alice):
        code = refusal(services.submission_grade, submission=verified, actor=outsider, grade="A", notes="")
        assert code == "not_allowed"
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_grade(submission=verified, actor=cora, grade="A", notes="Kemasan rapi.")
    verified.refresh_from_db()
    assert (verified.status, verified.grade, verified.notes) == ("graded", "A", "Kemasan rapi.")
    certificate = Certificate.objects.get(submission=verified)
    assert len(certificate.code) == 24
    product = Product.objects.get(pk=verified.product_id)
    assert (product.catalogue_grade, product.in_catalogue) == ("A", True)
    assert "Kemasan rapi." in mailoutbox[-1].body and certificate.code in mailoutbox[-1].body


def test_a_later_grade_c_takes_the_product_out_of_the_catalogue(verified, alice, dina, cora, siti):
    Product.objects.filter(pk=verified.product_id).update(catalogue_grade="A", catalogue_since=timezone.now())
    Submission.objects.filter(pk=verified.pk).update(status="forwarded")
    services.submission_grade(submission=verified, actor=cora, grade="C", notes="")
    assert not Product.objects.get(pk=verified.product_id).in_catalogue


def test_a_bad_grade_is_refused(verified, cora):
    Submission.objects.filter(pk=verified.pk).update(status="forwarded")
    assert refusal(services.submission_grade, submission=verified, actor=cora, grade="D", notes="") == "grade"


def test_whoever_takes_the_step_returns_with_a_reason(
    verified, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    assert refusal(services.submission_return, submission=verified, actor=alice, reason="  ") == "reason_required"
    assert refusal(services.submission_return, submission=verified, actor=bob, reason="Foto buram") == "not_allowed"
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(submission=verified, actor=alice, reason="Foto produk buram")
    verified.refresh_from_db()
    assert (verified.status, verified.return_reason) == ("returned", "Foto produk buram")
    step = verified.steps.get(to_status="returned")
    assert (step.actor, step.reason, step.from_status) == (alice, "Foto produk buram", "verified")
    assert "Foto produk buram" in mailoutbox[-1].body
    code = refusal(services.submission_return, submission=verified, actor=alice, reason="again")
    assert code == "wrong_status"


def test_withdrawing_a_product_returns_its_open_submissions(siti, verified):
    services.product_withdraw(product=verified.product, entrepreneur=siti)
    verified.refresh_from_db()
    assert verified.status == "returned"
