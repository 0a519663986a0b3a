"""The Dinas uploads a legacy file in the admin and follows its import job (issue 13.6): the
upload page sends the browser to the job's page, which shows the outcome (all or nothing) and
the refused lines, on a phone and on a desktop."""

import pytest
from django.test import Client

from registrations.models import Entrepreneur, ImportJob
from registrations.tests.test_import import csv_file, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}])


@pytest.mark.parametrize("width", [390, 1280])
def test_an_upload_leads_to_its_job_page_which_says_nothing_was_saved(
    browser, live_server, dina, settings, tmp_path, screenshot, width
):
    settings.MEDIA_ROOT = tmp_path
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.base_url = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    _log_in(page, dina)
    source = tmp_path / "legacy.csv"
    source.write_bytes(csv_file([row(serial=1), row(serial=2, phone="12"), row(serial=3)]).getvalue())

    page.goto(page.base_url + "/admin/registrations/entrepreneur/import/")
    page.set_input_files("input[name=file]", str(source))
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/registrations/importjob/*/change/")
    # Eager Celery (as `make run`): the job ran once the upload committed; the page may still
    # have been rendered while it was queued, and then reloads itself.
    page.locator(".import-job[data-state=done]").wait_for()
    text = page.locator("#content-main").inner_text()
    assert "Nothing was saved" in text and "phone" in text
    screenshot(page, f"job-{width}")
    assert page.locator("a", has_text="Download the report (XLSX)").is_visible()
    assert ImportJob.objects.get().lines_refused == 1 and not Entrepreneur.objects.exists()
    context.close()
