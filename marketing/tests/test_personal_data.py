import json

import pytest
from django.utils import timezone

from marketing import services
from marketing.models import Product, ProductPhoto, Submission
from marketing.tests.factories import ProductFactory, SubmissionFactory, image_bytes, upload
from registrations import personal_data

pytestmark = pytest.mark.django_db


def test_the_copy_holds_products_submissions_and_certificates(siti, django_assert_max_num_queries):
    product = ProductFactory(entrepreneur=siti, name="Kue Lapis")
    services.photo_add(product=product, entrepreneur=siti, file=upload(image_bytes()))
    submission = SubmissionFactory(product=product, status="graded", grade="A", graded_at=timezone.now())
    certificate = services.certificate_issue(submission=submission)
    from marketing.selectors import personal_data_export

    with django_assert_max_num_queries(4):
        personal_data_export(siti)
    data = personal_data.export_all(siti)["sections"]["marketing"]["data"]
    json.dumps(data)
    assert data["products"][0]["name"] == "Kue Lapis" and len(data["products"][0]["photos"]) == 1
    assert data["submissions"][0]["certificate"] == certificate.code


def test_erasure_removes_what_identifies_and_keeps_the_counts(siti, dina, django_capture_on_commit_callbacks):
    product = ProductFactory(entrepreneur=siti, name="Kue Lapis Siti", catalogue_grade="A")
    photo = services.photo_add(product=product, entrepreneur=siti, file=upload(image_bytes()))
    storage, name = photo.image.storage, photo.image.name
    SubmissionFactory(product=product, status="returned", return_reason="Siti lupa PIRT")
    with django_capture_on_commit_callbacks(execute=True):
        services.personal_data_erase(siti, actor=dina)
    product.refresh_from_db()
    assert (product.name, product.in_catalogue) == ("—", False)
    assert not ProductPhoto.objects.exists() and not storage.exists(name)
    submission = Submission.objects.get()
    assert (submission.status, submission.return_reason) == ("returned", "")
    assert Product.objects.count() == 1
