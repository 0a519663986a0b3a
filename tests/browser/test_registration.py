"""A resident registers on a phone, lands on their page, and finds their way around."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from registrations.models import Entrepreneur
from registrations.tests.factories import EntrepreneurFactory, make_nik
from tests.browser.conftest import open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIRTH = dt.date(1992, 3, 5)
PASSWORD = "Batik-Tenun-2024!"


def use_english(page) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])


def fill_registration(page, *, nik: str, email: str = "dewi@example.com", chained: bool = True) -> None:
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_nik", nik)
    page.fill("#id_full_name", "Dewi Lestari")
    page.fill("#id_birth_date", BIRTH.isoformat())
    page.check("input[name=gender][value=P]")
    page.fill("#id_phone", "0812 7777 8888")
    if chained:
        page.select_option("#region-kota", "31.71")
        page.select_option("#region-kecamatan", "31.71.01")
    page.select_option("#id_kelurahan", "31.71.01.1003")
    page.fill("#id_address", "Jl. Tanah Abang II No. 7, RT 001/RW 004")
    page.check("input[name=facilities][value=P2]")
    page.check("input[name=facilities][value=P5]")
    page.check("#id_consent")


def test_a_resident_registers_on_a_phone_and_lands_on_their_page(page, screenshot, assert_accessible):
    page.goto(page.base_url + "/register/")
    # JavaScript turned the grouped kelurahan list into kota → kecamatan → kelurahan.
    assert page.locator("#region-kota").is_visible()
    assert page.locator("#region-kecamatan").is_visible()
    screenshot(page, "register-empty")
    assert_accessible(page)

    fill_registration(page, nik=make_nik(BIRTH, "P", 77))
    assert page.locator("#id_kelurahan option").count() < 20  # narrowed to one kecamatan
    screenshot(page, "register-filled")
    page.get_by_role("button", name="Daftar", exact=True).click()
    page.wait_for_url("**/me/")

    entrepreneur = Entrepreneur.objects.get(nik=make_nik(BIRTH, "P", 77))
    assert entrepreneur.kelurahan_id == "31.71.01.1003"
    assert page.locator("[data-status=submitted]").is_visible()
    for code in ("P2", "P5"):
        assert page.locator(f"[data-facility={code}] .badge-state-requested").is_visible()
    assert page.locator("[data-facility=P3] .badge-state-requested").count() == 0
    screenshot(page, "me")
    assert_accessible(page)
    assert page.console_errors == []


def test_a_wrong_nik_shows_its_message_and_keeps_the_answers(page, screenshot, assert_accessible):
    use_english(page)
    page.goto(page.base_url + "/register/")
    fill_registration(page, nik=make_nik(BIRTH.replace(year=1993), "P", 77))
    page.get_by_role("button", name="Register", exact=True).click()
    page.wait_for_load_state()

    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.evaluate("el => el === document.activeElement")
    assert page.get_by_text("The NIK does not match the birth date you entered.").first.is_visible()
    # The region chain is rebuilt around the kelurahan that was chosen.
    assert page.locator("#region-kecamatan").input_value() == "31.71.01"
    assert page.locator("#id_kelurahan").input_value() == "31.71.01.1003"
    summary.get_by_role("link").first.click()
    assert page.locator("#id_nik").evaluate("el => el === document.activeElement")
    screenshot(page, "register-errors")
    assert_accessible(page)
    assert Entrepreneur.objects.count() == 0


def test_registration_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    try:
        page.goto(page.base_url + "/register/")
        assert not page.locator("#region-kota").is_visible()
        assert page.locator("#id_kelurahan optgroup").count() == 44
        fill_registration(page, nik=make_nik(BIRTH, "P", 78), email="tanpa.js@example.com", chained=False)
        page.get_by_role("button", name="Daftar", exact=True).click()
        page.wait_for_url("**/me/")
        assert Entrepreneur.objects.filter(email="tanpa.js@example.com").exists()
    finally:
        context.close()


def test_switching_the_registration_form_to_english(page, screenshot):
    page.goto(page.base_url + "/register/")
    assert page.get_by_role("heading", name="Daftar JakPreneur").is_visible()
    open_menu(page)
    # The language form POSTs and redirects back to the same URL: wait for that navigation,
    # not for a URL the page already has.
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Register for JakPreneur")).to_be_visible()
    assert page.get_by_label("Full name (as on your KTP)").is_visible()
    screenshot(page, "register-english")


def test_logging_in_through_the_form_and_out_again(page, screenshot, assert_accessible):
    entrepreneur = EntrepreneurFactory(full_name="Rina Wulandari")
    use_english(page)
    page.goto(page.base_url + "/me/")
    page.wait_for_url("**/accounts/login/**")
    screenshot(page, "login")
    assert_accessible(page)
    page.get_by_label("Email address").fill(entrepreneur.user.email)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url("**/me/")
    assert page.get_by_role("heading", name="Hello, Rina Wulandari").is_visible()
    open_menu(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    page.wait_for_url(page.base_url + "/")
    assert page.get_by_text("You have been logged out.").is_visible()
    assert page.console_errors == []
