"""/me/: open rounds, submitting, the status of submissions, the certificate download; the
public certificate check."""

import pytest
from django.urls import reverse
from django.utils import timezone

from marketing import services
from marketing.models import Submission
from marketing.tests.factories import CurationRoundFactory, ProductFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

ME = reverse("registrations:me")


def graded(entrepreneur, grade="A", **product):
    submission = SubmissionFactory(
        product=ProductFactory(entrepreneur=entrepreneur, **product),
        status="graded",
        grade=grade,
        graded_at=timezone.now(),
    )
    return services.certificate_issue(submission=submission)


def test_me_shows_open_rounds_and_submits_a_product(client_of, siti, django_assert_max_num_queries):
    product = ProductFactory(entrepreneur=siti)
    curation_round = CurationRoundFactory(title="Kurasi Kuliner Juni")
    CurationRoundFactory(title="Draf rahasia", status="draft")
    client = client_of(siti)
    with django_assert_max_num_queries(30):
        page = client.get(ME).content.decode()
    assert "Kurasi Kuliner Juni" in page and "Draf rahasia" not in page
    response = client.post(reverse("marketing:round_submit", args=[curation_round.pk]), {"product": product.pk})
    assert response.status_code == 302
    assert Submission.objects.get().product == product
    page = client.get(ME).content.decode()
    assert 'data-status="submitted"' in page


def test_submitting_someone_elses_product_is_404(client_of, siti, budi):
    other = ProductFactory(entrepreneur=budi)
    curation_round = CurationRoundFactory()
    response = client_of(siti).post(reverse("marketing:round_submit", args=[curation_round.pk]), {"product": other.pk})
    assert response.status_code == 404
    assert not Submission.objects.exists()


def test_a_draft_round_is_404_and_a_bad_product_value_too(client_of, siti):
    product = ProductFactory(entrepreneur=siti)
    draft = CurationRoundFactory(status="draft")
    client = client_of(siti)
    assert client.post(reverse("marketing:round_submit", args=[draft.pk]), {"product": product.pk}).status_code == 404
    curation_round = CurationRoundFactory()
    url = reverse("marketing:round_submit", args=[curation_round.pk])
    assert client.post(url, {"product": "1; DROP TABLE"}).status_code == 404
    assert not Submission.objects.exists()


def test_a_refusal_is_shown_as_a_message(client_of, siti):
    product = ProductFactory(entrepreneur=siti)
    curation_round = CurationRoundFactory(quota=1)
    SubmissionFactory(round=curation_round)
    client = client_of(siti)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("marketing:round_submit", args=[curation_round.pk]), {"product": product.pk}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["This round is full."]
    assert not Submission.objects.filter(product=product).exists()


def test_the_certificate_pdf_is_downloaded_by_its_owner_only(client_of, siti, budi):
    certificate = graded(siti)
    url = reverse("marketing:certificate_download", args=[certificate.pk])
    response = client_of(siti).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert client_of(budi).get(url).status_code == 404


def test_the_verification_page_confirms_name_product_grade_and_date_only(client, siti):
    certificate = graded(siti, grade="B", name="Sambal Roa Siti")
    response = client.get(reverse("marketing:verify", args=[certificate.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Siti Rahmawati" in page and "Sambal Roa Siti" in page and "data-grade>B<" in page
    for secret in (siti.nik, siti.phone, siti.address, siti.email):
        assert secret not in page


def test_the_code_is_read_case_insensitively(client, siti):
    certificate = graded(siti)
    assert client.get(reverse("marketing:verify", args=[certificate.code.lower()])).status_code == 200


@pytest.mark.parametrize("code", ["AAAAAAAAAAAAAAAAAAAAAAAA", "short", "x" * 300, "'; DROP TABLE--", "%00"])
def test_an_unknown_code_is_a_clear_404(english, siti, code):
    graded(siti)
    response = english.get(reverse("marketing:verify", args=[code]))
    assert response.status_code == 404
    assert b"No JakPreneur curation certificate has this code" in response.content
