import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_landing_and_centres_render_on_a_phone_and_pass_axe(page, screenshot, assert_accessible):
    page.goto(page.base_url + "/")
    assert page.locator("h1").first.is_visible()
    assert page.get_by_text("Pendaftaran").first.is_visible()
    screenshot(page, "landing")
    assert_accessible(page)

    page.goto(page.base_url + "/centers/")
    assert page.get_by_role("heading", name="Kota Administrasi Jakarta Pusat (8)").is_visible()
    screenshot(page, "centers")
    assert_accessible(page)
    assert page.console_errors == []


def test_switching_to_english_from_the_navbar(page):
    page.goto(page.base_url + "/")
    open_menu(page)  # phone layout: the menu is collapsed
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.get_by_text("Financial reporting").first.is_visible()
