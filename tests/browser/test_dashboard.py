import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import Client

from reports import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class _Quiet:
    def write(self, *args):
        pass

    def flush(self):
        pass


def _assert_main_accessible(page) -> None:
    """axe-core on the dashboard's own content. (The desktop navbar's link contrast belongs to
    the site layout and is reported separately.)"""
    results = Axe().run(page, context={"include": [["main"]]})
    bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    assert not bad, [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in bad]


def _log_in(page, user) -> None:
    """Share a Django session with the browser (force_login: the login form is not under test)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}])


def test_an_official_sees_the_charts_and_filters_by_kota(desktop_page, olga, screenshot):
    call_command("seed_demo", entrepreneurs=300, seed=5, stdout=_Quiet())
    services.progress_snapshot_create()
    page = desktop_page
    _log_in(page, olga)

    page.goto(page.base_url + "/dashboard/")
    page.wait_for_function("() => window.Chart && document.querySelectorAll('canvas').length >= 7")
    charts = page.evaluate(
        "() => Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".map(c => [c.dataset.chart, !!Chart.getChart(c), c.width > 0])"
    )
    assert {name for name, _, _ in charts} >= {
        "gauge",
        "cumulative",
        "kota",
        "funnel",
        "track",
        "gender",
        "age",
        "sector",
    }
    assert all(drawn and sized for _, drawn, sized in charts), charts
    screenshot(page, "all-jakarta")
    _assert_main_accessible(page)

    # Sorting the kecamatan table by "Registered" (the fourth column) puts the largest last.
    header = page.locator("#table-kecamatan thead th").nth(3)
    header.get_by_role("button").click()
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    values = page.eval_on_selector_all(
        "#table-kecamatan tbody tr td:nth-child(4)", "cells => cells.map(c => Number(c.dataset.sortValue))"
    )
    assert values == sorted(values, reverse=True)

    page.select_option("#kota", "31.71")
    page.locator("#kota-filter button[type=submit]").click()
    page.wait_for_url("**/dashboard/?kota=31.71")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-funnel'))")
    assert page.locator("h1 + p").inner_text() == "Kota Administrasi Jakarta Pusat"
    assert page.locator("#table-kecamatan tbody tr").count() == 8
    screenshot(page, "jakarta-pusat")
    assert page.console_errors == []
