"""The caseload pages in a browser at 1280 px and on a phone: the mentors' table with each
caseload's outcome indicators (and their definitions) for centre staff, a mentor's own caseload
with its outcomes; nothing wider than the phone but the table, which scrolls in its own box;
axe finds no serious violations."""

import pytest
from django.test import Client

from growth.selectors import add_months, current_period
from growth.tests.factories import MentorAssignmentFactory, MonthlyReportFactory
from registrations.tests.factories import EntrepreneurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
M = 1_000_000


def _log_in(page, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}])


@pytest.fixture
def caseload(maya):
    last = add_months(current_period(), -1)
    for name, track, turnovers in (
        ("Siti Grower", "naik_kelas", [100 * M] * 3 + [300 * M] * 9),
        ("Rina Starter", "pemula", [0, 0, 0, 4 * M, 5 * M, 6 * M]),
        ("Budi Silent", "pemula", []),
    ):
        person = EntrepreneurFactory(full_name=name, track=track, user=None)
        MentorAssignmentFactory(entrepreneur=person, mentor=maya)
        first = add_months(last, 1 - len(turnovers))
        for n, turnover in enumerate(turnovers):
            MonthlyReportFactory(entrepreneur=person, period=add_months(first, n), turnover=turnover)


def _page_fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_centre_staff_compare_their_mentors_outcomes(
    desktop_page, page, alice, caseload, screenshot, assert_accessible
):
    for current, name in ((desktop_page, "1280"), (page, "390")):
        if name == "1280":
            current.set_viewport_size(DESKTOP)
        _log_in(current, alice)
        current.goto(current.base_url + "/admin/growth/mentorassignment/mentors/")
        row = current.locator("#result_list tbody tr")
        assert row.count() == 1
        assert row.locator("[data-outcome='naik_kelas']").inner_text() == "1"
        assert row.locator("[data-outcome='wirausaha_baru']").inner_text() == "1"
        assert row.locator("[data-outcome='reporting_rate']").inner_text().startswith("66,7%")
        assert current.locator("#outcome-definitions dt").count() == 5
        assert _page_fits(current), "the mentors page is wider than the screen"
        assert_accessible(current)
        screenshot(current, f"mentors-{name}")
        assert current.console_errors == []


def test_a_mentor_sees_her_caseloads_outcomes_on_her_phone(page, maya, caseload, screenshot, assert_accessible):
    _log_in(page, maya)
    page.goto(page.base_url + "/admin/growth/mentorassignment/caseload/")
    outcomes = page.locator("#caseload-outcomes")
    assert outcomes.locator("[data-outcome='naik_kelas'] td").inner_text() == "1"
    assert outcomes.locator("[data-outcome='jobs_created'] td").inner_text() == "0"
    assert outcomes.locator("[data-outcome='median_growth'] td").inner_text() == "+200,0%"
    page.locator(".caseload-outcomes summary").click()
    assert page.locator("#outcome-definitions").is_visible()
    assert _page_fits(page), "the caseload page is wider than the phone"
    assert_accessible(page)
    screenshot(page, "caseload-390")
    assert page.console_errors == []
