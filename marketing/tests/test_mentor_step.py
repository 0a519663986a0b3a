"""The mentor's step: the entrepreneur's pendamping (growth's active assignment) verifies
the submission; nobody else may, and a mentor sees their caseload only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import GAMBIR, _staff
from growth.tests.factories import MentorAssignmentFactory
from jakpreneur.access import PENDAMPING
from marketing import selectors, services
from marketing.models import Submission
from marketing.tests.factories import ProductFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

SUBMISSIONS = reverse("admin:marketing_submission_changelist")


@pytest.fixture
def maya(db):
    """Pendamping in Gambir."""
    return _staff("maya@jakpreneur.test", PENDAMPING, kecamatan=(GAMBIR,))


@pytest.fixture
def mira(db):
    """Another pendamping in Gambir, with another caseload."""
    return _staff("mira@jakpreneur.test", PENDAMPING, kecamatan=(GAMBIR,))


@pytest.fixture
def siti_sub(siti, maya):
    MentorAssignmentFactory(entrepreneur=siti, mentor=maya)
    return SubmissionFactory(product=ProductFactory(entrepreneur=siti))


def code_of(call, **kwargs):
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.code


def test_the_mentor_verifies_their_persons_submission(siti_sub, maya, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_verify(submission=siti_sub, actor=maya)
    siti_sub.refresh_from_db()
    assert siti_sub.status == "verified" and siti_sub.verified_at is not None
    assert siti_sub.steps.get(to_status="verified").actor == maya
    assert len(mailoutbox) == 1 and siti_sub.product.name in mailoutbox[0].subject


def test_nobody_else_verifies(siti_sub, mira, alice, dina):
    for outsider in (mira, alice, dina):
        assert code_of(services.submission_verify, submission=siti_sub, actor=outsider) == "not_allowed"
    assert Submission.objects.get(pk=siti_sub.pk).status == "submitted"


def test_an_entrepreneur_without_a_mentor_cannot_be_verified_by_anyone(siti, mira):
    submission = SubmissionFactory(product=ProductFactory(entrepreneur=siti))
    assert code_of(services.submission_verify, submission=submission, actor=mira) == "not_allowed"


def test_the_mentor_returns_with_a_reason(siti_sub, maya, mira):
    assert code_of(services.submission_return, submission=siti_sub, actor=mira, reason="x") == "not_allowed"
    services.submission_return(submission=siti_sub, actor=maya, reason="Belum ada PIRT")
    assert Submission.objects.get(pk=siti_sub.pk).return_reason == "Belum ada PIRT"


def test_a_mentor_sees_their_caseload_only(siti_sub, maya, mira, budi):
    other = SubmissionFactory(product=ProductFactory(entrepreneur=budi))
    assert set(selectors.submissions_visible_to(maya)) == {siti_sub}
    assert set(selectors.submissions_visible_to(mira)) == set()
    assert set(selectors.products_visible_to(maya)) == {siti_sub.product}
    assert other not in selectors.submissions_visible_to(maya)


def test_the_mentor_verifies_in_bulk_from_the_admin_and_other_ids_are_untouched(client, siti_sub, maya, budi):
    other = SubmissionFactory(product=ProductFactory(entrepreneur=budi))
    client.force_login(maya)
    assert {row.pk for row in client.get(SUBMISSIONS).context["cl"].result_list} == {siti_sub.pk}
    client.post(SUBMISSIONS, {"action": "verify", "_selected_action": [siti_sub.pk, other.pk]})
    assert Submission.objects.get(pk=siti_sub.pk).status == "verified"
    assert Submission.objects.get(pk=other.pk).status == "submitted"
