import pytest

from marketing.demo import seed_marketing
from marketing.models import Certificate, CurationRound, Product, Submission
from registrations.tests.factories import BusinessFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_products_with_photos_rounds_and_a_curation_history():
    BusinessFactory.create_batch(5)
    made = seed_marketing(products=12, seed=3)
    assert made["products"] == Product.objects.count() == 12
    assert all(p.photos.count() == 1 for p in Product.objects.all())
    assert CurationRound.objects.filter(status="open").count() == 1
    graded = Submission.objects.filter(status="graded")
    assert made["certificates"] == Certificate.objects.count() == graded.count()
    assert Product.objects.in_catalogue().count() == graded.filter(grade__in=["A", "B"]).count()
    for submission in Submission.objects.all():
        assert submission.steps.first().to_status == "submitted"
        assert submission.steps.last().to_status == submission.status


def test_without_sellers_nothing_is_made():
    assert seed_marketing(products=5, seed=1) == {"products": 0, "submissions": 0, "certificates": 0}
