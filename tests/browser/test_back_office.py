"""The back office in a browser at 1280 px and on a phone: the admin index starts with the
staff member's work, the entrepreneur list keeps rows on one line with its object tools clear
of the title, the kecamatan filter is a drop-down; axe finds no serious violations."""

import pytest
from django.test import Client

from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN
from registrations.models import Entrepreneur
from registrations.tests.factories import EntrepreneurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}


def _log_in(page, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}])


@pytest.fixture
def people():
    for kelurahan, track in (
        (GAMBIR_KELURAHAN, "pemula"),
        (GAMBIR_KELURAHAN, "naik_kelas"),
        (MENTENG_KELURAHAN, "pemula"),
    ):
        EntrepreneurFactory(kelurahan_code=kelurahan, track=track, status=Entrepreneur.Status.SUBMITTED, user=None)


def _boxes_overlap(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_alice_starts_with_her_work_and_follows_it_to_the_filtered_list(desktop_page, alice, people, assert_accessible):
    page = desktop_page
    page.set_viewport_size(DESKTOP)
    _log_in(page, alice)
    page.goto(page.base_url + "/admin/")
    panels = page.locator("#work-panels")
    assert panels.is_visible()
    waiting = panels.locator("[data-panel='registrations.verification'] a")
    assert waiting.locator(".work-count").inner_text() == "2"  # Gambir's two, not Menteng's
    assert_accessible(page)
    waiting.click()
    page.wait_for_url("**/admin/registrations/entrepreneur/?status__exact=submitted")
    assert page.locator("#result_list tbody tr").count() == 2
    assert page.console_errors == []


def test_the_entrepreneur_list_has_one_line_rows_clear_object_tools_and_a_drop_down_filter(
    desktop_page, dina, people, assert_accessible
):
    page = desktop_page
    page.set_viewport_size(DESKTOP)
    _log_in(page, dina)
    page.goto(page.base_url + "/admin/registrations/entrepreneur/")
    title = page.locator("#content h1").bounding_box()
    for tool in page.locator(".object-tools li").all():
        assert not _boxes_overlap(title, tool.bounding_box())
    heights = page.eval_on_selector_all(
        "#result_list tbody tr", "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    line = page.eval_on_selector("#result_list tbody td", "td => parseFloat(getComputedStyle(td).lineHeight)")
    assert heights and max(heights) < 2 * line + 16, (heights, line)  # one line of text (plus padding)
    assert page.locator("#result_list td.field-track_short", has_text="Naik kelas").count() == 1

    select = page.locator("#filter-kecamatan")
    assert select.is_visible() and select.locator("option").count() == 45  # "All" and 44 kecamatan
    assert page.locator("#changelist-filter .select-filter-fallback").first.is_hidden()
    select.select_option(label="Menteng")
    page.wait_for_url("**kecamatan=31.71.06**")
    assert page.locator("#result_list tbody tr").count() == 1
    assert_accessible(page)
    assert page.console_errors == []


def test_on_a_phone_the_admin_index_and_list_pass_axe(page, alice, people, assert_accessible):
    _log_in(page, alice)
    for path in ("/admin/", "/admin/registrations/entrepreneur/"):
        page.goto(page.base_url + path)
        assert_accessible(page)
    assert page.console_errors == []
