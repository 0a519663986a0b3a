"""The landing page's outcome headline in a browser, on a phone and at 1280 px: naik kelas,
wirausaha baru and the reporting rate beside the registration total, each with its one-line
definition; nothing wider than the screen; axe finds no serious violations."""

import pytest

from reports import services
from reports.models import ProgressSnapshot
from reports.snapshot import ALL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published():
    data = services.progress_compute()
    data["scopes"][ALL]["totals"]["registered"] = 326_000
    (rpjmd,) = data["targets"]
    rpjmd.update(achieved=326_000, percent=163.0)
    data["public"].update(registered=326_000, naik_kelas=4_120, wirausaha_baru=18_950, reported_last_month=97_800)
    ProgressSnapshot.objects.create(registered_total=326_000, data=data)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_outcomes_sit_beside_the_total_with_their_definitions(
    page, published, width, screenshot, assert_accessible
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + "/")
    outcomes = page.locator("#landing-outcomes")
    assert outcomes.locator("[data-outcome]").count() == 3
    assert outcomes.locator("[data-public='naik_kelas']").inner_text() == "4.120"  # Indonesian by default
    assert outcomes.locator("[data-outcome='reporting_rate'] .h3").inner_text() == "30,0%"
    assert "melapor" in outcomes.locator("[data-outcome='reporting_rate']").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width == 1280:  # three columns side by side
        boxes = [outcomes.locator("[data-outcome]").nth(n).bounding_box() for n in range(3)]
        assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"]
    outcomes.scroll_into_view_if_needed()
    assert_accessible(page)
    screenshot(page, f"landing-outcomes-{width}")
    assert page.console_errors == []
