"""The resident's "My personal data" page on a phone and on a desktop: it renders without
sideways scrolling, passes axe, and a deletion request goes through."""

import pytest

from registrations.tests.factories import BusinessFactory, EntrepreneurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, entrepreneur) -> None:
    page.goto(page.base_url + "/accounts/login/?next=/me/data/")
    page.locator("input[name=username]").fill(entrepreneur.user.email)
    page.locator("input[name=password]").fill("correct-horse-battery-staple")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/me/data/")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def test_my_data_page_on_a_phone_and_a_deletion_request(page, screenshot, assert_accessible):
    siti = EntrepreneurFactory(full_name="Siti Rahmawati", address="Jl. Kenari No. 7, RT 001/RW 002, Kenari")
    BusinessFactory(entrepreneur=siti, name="Warung Siti Rahmawati Berkah Jaya Abadi Sentosa")
    sign_in(page, siti)

    assert page.locator("h1").first.is_visible()
    assert page.get_by_text(siti.nik).first.is_visible()
    assert no_sideways_scroll(page)
    screenshot(page, "my-data-phone")
    assert_accessible(page)

    page.locator("#deletion input[name=confirm]").check()
    page.locator("#deletion button[type=submit]").click()
    page.wait_for_url("**/me/data/")
    assert page.locator('[data-deletion-status="open"]').is_visible()
    screenshot(page, "my-data-phone-requested")
    assert page.console_errors == []


def test_my_data_page_on_a_desktop(desktop_page, screenshot):
    page = desktop_page
    page.set_viewport_size({"width": 1280, "height": 900})
    siti = EntrepreneurFactory(full_name="Siti Rahmawati")
    sign_in(page, siti)
    assert no_sideways_scroll(page)
    screenshot(page, "my-data-desktop")
    assert page.console_errors == []
