import io

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from reports import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPARE = "#table-kecamatan"
VISIBLE_NAMES = f"() => Array.from(document.querySelectorAll('{COMPARE} tbody tr:not([hidden]):not(.no-rows) th'))" + (
    ".map(th => th.dataset.sortValue)"
)


class _Quiet:
    def write(self, *args):
        pass

    def flush(self):
        pass


def _log_in(page, user) -> None:
    """Share a Django session with the browser (force_login: the login form is not under test)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}])


@pytest.fixture
def figures():
    call_command("seed_demo", entrepreneurs=300, seed=5, stdout=_Quiet())
    services.progress_snapshot_create()


def _column_values(page, key: str) -> list[float]:
    return page.evaluate(
        f"""() => {{
          const headers = Array.from(document.querySelectorAll('{COMPARE} thead th'));
          const index = headers.findIndex(th => th.dataset.key === '{key}');
          return Array.from(document.querySelectorAll('{COMPARE} tbody tr:not([hidden]):not(.no-rows)'))
            .map(tr => Number(tr.children[index].dataset.sortValue));
        }}"""
    )


def test_an_official_sees_the_charts_and_filters_by_kota(desktop_page, olga, figures, screenshot, assert_accessible):
    page = desktop_page
    _log_in(page, olga)

    page.goto(page.base_url + "/dashboard/")
    page.wait_for_function("() => window.Chart && document.querySelectorAll('canvas').length >= 7")
    charts = page.evaluate(
        "() => Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".map(c => [c.dataset.chart, !!Chart.getChart(c), c.width > 0])"
    )
    assert {name for name, _, _ in charts} >= {"gauge", "cumulative", "kota", "funnel", "track", "gender", "age"}
    assert all(drawn and sized for _, drawn, sized in charts), charts
    screenshot(page, "all-jakarta")
    assert_accessible(page)  # the whole page, navbar included (its links now pass 4.5:1)

    page.select_option("#kota", "31.71")
    page.locator("#kota-filter button[type=submit]").click()
    page.wait_for_url("**/dashboard/?kota=31.71")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-funnel'))")
    assert page.locator("#scope-trail .active").inner_text() == "Kota Administrasi Jakarta Pusat"
    assert page.locator(f"{COMPARE} tbody tr:not(.no-rows)").count() == 8
    assert page.console_errors == []


def test_the_kecamatan_table_sorts_by_mouse_and_keyboard_and_keeps_the_order_in_the_links(desktop_page, olga, figures):
    page = desktop_page
    _log_in(page, olga)
    page.goto(page.base_url + "/dashboard/")
    header = page.locator(f"{COMPARE} thead th[data-key=registered]")
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert _column_values(page, "registered") == sorted(_column_values(page, "registered"))
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    values = _column_values(page, "registered")
    assert values == sorted(values, reverse=True) and len(values) == 44
    assert "sort=-registered" in page.url
    assert "sort=-registered" in page.locator("a[data-export]").first.get_attribute("href")

    # Keyboard: Tab to a heading's button, Enter sorts; another heading loses its aria-sort.
    verified = page.locator(f"{COMPARE} thead th[data-key=verified] button")
    verified.focus()
    page.keyboard.press("Enter")
    assert page.locator(f"{COMPARE} thead th[data-key=verified]").get_attribute("aria-sort") == "ascending"
    assert header.get_attribute("aria-sort") is None
    page.keyboard.press(" ")
    assert page.locator(f"{COMPARE} thead th[data-key=verified]").get_attribute("aria-sort") == "descending"
    assert page.console_errors == []


def test_the_kecamatan_table_filters_by_text_kota_and_behind_live(desktop_page, olga, figures):
    page = desktop_page
    _log_in(page, olga)
    page.goto(page.base_url + "/dashboard/")
    assert page.locator("#kecamatan-filter-submit").is_hidden()  # filtering is live with JS
    page.fill("#kecamatan-q", "gam")
    page.wait_for_function(f"() => ({VISIBLE_NAMES})().length === 1")
    assert page.evaluate(VISIBLE_NAMES) == ["Gambir"]
    assert "1" in page.locator("#kecamatan-count").inner_text()
    assert "q=gam" in page.url and "q=gam" in page.locator("a[data-export]").first.get_attribute("href")

    page.fill("#kecamatan-q", "zzz")
    page.wait_for_function(f"() => ({VISIBLE_NAMES})().length === 0")
    assert page.locator(f"{COMPARE} .no-rows").is_visible()

    page.fill("#kecamatan-q", "")
    page.select_option("#kecamatan-area", "31.74")
    page.wait_for_function(f"() => ({VISIBLE_NAMES})().length === 10")
    page.check("#kecamatan-behind")  # 300 people against 200,000: every kecamatan is behind
    assert len(page.evaluate(VISIBLE_NAMES)) == 10
    assert "area=31.74" in page.url and "behind=1" in page.url

    # The same URL drawn by the server (a copied link, or no JavaScript) shows the same rows.
    page.reload()
    assert len(page.evaluate(VISIBLE_NAMES)) == 10
    assert page.locator("#kecamatan-area").input_value() == "31.74"

    # Drill down: kecamatan → its page, with its centre.
    page.locator(f"{COMPARE} tbody tr:not([hidden]) th a").first.click()
    page.wait_for_url("**/dashboard/?kecamatan=31.74.*")
    assert page.locator("[id^=centre-]").count() == 1
    assert page.console_errors == []


def test_the_downloads_hold_what_is_on_screen(desktop_page, olga, figures):
    page = desktop_page
    _log_in(page, olga)
    page.goto(page.base_url + "/dashboard/?kota=31.75")
    page.fill("#kecamatan-q", "ja")  # Jatinegara, Cipayung… the Jakarta Timur kecamatan with "ja"
    shown = page.evaluate(VISIBLE_NAMES)
    assert shown
    page.locator(f"{COMPARE} thead th[data-key=kecamatan] button").click()
    page.locator(f"{COMPARE} thead th[data-key=kecamatan] button").click()  # Z to A
    shown = page.evaluate(VISIBLE_NAMES)

    with page.expect_download() as xlsx_download:
        page.locator("a[data-export]", has_text="XLSX").click()
    workbook = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()))
    rows = list(workbook["Perbandingan kecamatan"].iter_rows(values_only=True))[2:]  # Indonesian, as the page
    assert [row[1] for row in rows] == shown
    about = " ".join(str(cell) for row in workbook["Tentang"].iter_rows(values_only=True) for cell in row if cell)
    assert "Kota Administrasi Jakarta Timur" in about and "“ja”" in about

    with page.expect_download() as pdf_download:
        page.locator("a[data-export]", has_text="PDF").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.startswith("jakpreneur-dashboard-31.75-") and pdf.suggested_filename.endswith(".pdf")
    assert pdf.path().read_bytes().startswith(b"%PDF-")
    assert page.console_errors == []


def test_the_dashboard_prints_without_its_controls(desktop_page, olga, figures):
    page = desktop_page
    _log_in(page, olga)
    page.goto(page.base_url + "/dashboard/")
    assert page.locator("#print-button").is_visible()
    page.emulate_media(media="print")
    assert page.locator("#kota-filter").is_hidden() and page.locator("#kecamatan-filter").is_hidden()
    assert page.locator("header nav").is_hidden() and page.locator("#export-buttons").is_hidden()
    assert page.locator("#computed-at").is_visible() and page.locator("#definitions-heading").is_visible()
    assert page.locator(f"{COMPARE} tbody tr").first.is_visible()
    assert page.pdf(format="A4", landscape=True).startswith(b"%PDF-")


def test_on_a_phone_the_dashboard_and_the_opened_menu_pass_axe(page, olga, figures, assert_accessible):
    from tests.browser.conftest import open_menu

    _log_in(page, olga)
    page.goto(page.base_url + "/dashboard/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-gauge'))")
    assert_accessible(page)
    open_menu(page)
    assert_accessible(page)
    colour = page.eval_on_selector("#main-nav .nav-link", "a => getComputedStyle(a).color")
    assert colour in ("rgba(255, 255, 255, 0.92)", "rgb(255, 255, 255)"), colour
