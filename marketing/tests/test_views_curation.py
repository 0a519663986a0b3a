"""/me/curation/: open rounds, submitting, the status of submissions, the certificate
download; the marketing line of /me/; the public certificate check."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketing import services
from marketing.models import Submission
from marketing.tests.factories import CurationRoundFactory, ProductFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

ME = reverse("registrations:me")
CURATION = reverse("marketing:me_curation")
# Session, user, the entrepreneur, products (and their photos), submissions, open rounds, what
# was already submitted to them.
CURATION_QUERIES = 8


def graded(entrepreneur, grade="A", **product):
    submission = SubmissionFactory(
        product=ProductFactory(entrepreneur=entrepreneur, **product),
        status="graded",
        grade=grade,
        graded_at=timezone.now(),
    )
    return services.certificate_issue(submission=submission)


def test_the_curation_page_shows_open_rounds_and_submits_a_product(client_of, siti, django_assert_num_queries):
    product = ProductFactory(entrepreneur=siti)
    curation_round = CurationRoundFactory(title="Kurasi Kuliner Juni")
    CurationRoundFactory(title="Draf rahasia", status="draft")
    client = client_of(siti)
    client.get(CURATION)
    with django_assert_num_queries(CURATION_QUERIES):
        page = client.get(CURATION).content.decode()
    assert "Kurasi Kuliner Juni" in page and "Draf rahasia" not in page
    response = client.post(reverse("marketing:round_submit", args=[curation_round.pk]), {"product": product.pk})
    assert (response.status_code, response["Location"]) == (302, f"{CURATION}#round-{curation_round.pk}")
    assert Submission.objects.get().product == product
    for i in range(5):
        CurationRoundFactory(title=f"Kurasi {i}")
        SubmissionFactory(product=ProductFactory(entrepreneur=siti), round=curation_round)
    with django_assert_num_queries(CURATION_QUERIES):
        page = client.get(CURATION).content.decode()
    assert page.count('data-status="submitted"') == 6


def test_the_curation_page_shows_no_one_elses_submissions(client_of, siti, budi):
    SubmissionFactory(product=ProductFactory(entrepreneur=budi, name="Kerupuk Budi"))
    mine = SubmissionFactory(product=ProductFactory(entrepreneur=siti, name="Kue Siti"))
    page = client_of(siti).get(CURATION).content.decode()
    assert f'data-submission="{mine.pk}"' in page and "Kue Siti" in page
    assert "Kerupuk Budi" not in page and page.count("data-submission=") == 1


def test_the_me_line_counts_products_and_open_rounds_and_shows_the_latest_submission(
    client_of, siti, budi, django_assert_num_queries
):
    client = client_of(siti)
    client.get(ME)
    with CaptureQueriesContext(connection) as empty:
        page = client.get(ME).content.decode()
    assert 'data-products="0"' in page and "data-open-rounds" not in page and "data-submission-status" not in page
    ProductFactory(entrepreneur=siti)
    ProductFactory(entrepreneur=siti, withdrawn_at=timezone.now())
    ProductFactory(entrepreneur=budi)
    CurationRoundFactory()
    CurationRoundFactory(status="draft")
    closed = CurationRoundFactory(status="closed")
    CurationRoundFactory(submission_deadline=timezone.now() - dt.timedelta(days=1))
    SubmissionFactory(product=ProductFactory(entrepreneur=siti), round=closed, status="returned")
    SubmissionFactory(product=ProductFactory(entrepreneur=budi), round=closed, status="graded", grade="A")
    # The line's values come with the entrepreneur's row: no query of its own.
    with django_assert_num_queries(len(empty.captured_queries)):
        page = client.get(ME).content.decode()
    assert 'data-products="2"' in page  # the withdrawn one and budi's are not counted
    assert 'data-open-rounds="1"' in page
    assert 'data-submission-status="returned"' in page  # hers, not budi's graded one
    assert f'href="{CURATION}"' in page and 'href="/me/products/"' in page


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
