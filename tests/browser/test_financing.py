"""An entrepreneur applies for Kredit Monas Pemula at /me/financing/ on a phone."""

import pytest

from financing.models import FinancingApplication
from financing.tests.conftest import eligible_person
from registrations.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    page.goto(page.base_url + "/accounts/login/?next=/me/financing/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url("**/me/financing/")


def test_applying_for_financing_on_a_phone(page, screenshot, assert_accessible):
    eligible_person(full_name="Siti Rahmawati", user=UserFactory(email="siti.browser@example.id"))
    log_in(page, "siti.browser@example.id")
    assert page.get_by_role("heading", name="Financing (P7)", exact=True).is_visible()
    assert page.get_by_text("You can apply.").first.is_visible()
    # KUR Mikro explains what is missing.
    assert page.get_by_text("Complete P6: report your business for at least 6 months").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "products")
    assert_accessible(page)

    page.get_by_label("Financing product").select_option(label="Kredit Monas Pemula (Bank DKI)")
    page.get_by_label("Amount (Rp)").fill("Rp 12.000.000")
    page.get_by_label("Tenor (months)").fill("12")
    page.get_by_label("What the money is for").fill("Kompor kedua dan stok bahan untuk Ramadan")
    page.get_by_role("button", name="Send my application").click()
    # Over the limit: the form says so and keeps the answers.
    assert page.get_by_text("Kredit Monas Pemula lends at most Rp 10.000.000").first.is_visible()
    assert page.get_by_label("What the money is for").input_value() == "Kompor kedua dan stok bahan untuk Ramadan"
    screenshot(page, "over-the-limit")

    page.get_by_label("Amount (Rp)").fill("Rp 7.500.000")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my application").click()
    application = FinancingApplication.objects.get()
    assert page.url == f"{page.base_url}/me/financing/{application.pk}/"
    assert application.amount == 7_500_000
    assert page.get_by_text(application.reference).first.is_visible()
    assert page.get_by_text("Submitted").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "submitted")
    assert_accessible(page)
    assert page.console_errors == []
