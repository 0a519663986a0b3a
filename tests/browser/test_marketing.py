"""P5 end to end in a browser, on the live server: an entrepreneur adds a product with a photo
and submits it to a round; the mentor verifies, the centre validates, the Dinas forwards and a
curator grades it, each from the back office's submissions list; the entrepreneur downloads
the certificate; anyone verifies it and finds the product in the e-katalog. axe on the
entrepreneur's and the public pages."""

import pytest
from django.test import Client

from conftest import GAMBIR, _staff
from facilities.tests.factories import GAMBIR_KELURAHAN
from growth.tests.factories import MentorAssignmentFactory
from jakpreneur.access import CENTER_STAFF, CURATOR, DINAS_ADMIN, PENDAMPING
from marketing.models import Certificate, Submission
from marketing.tests.factories import CurationRoundFactory, image_bytes
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBMISSIONS = "/admin/marketing/submission/"


def log_in(page, user) -> None:
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}])


def bulk_action(page, action: str, form: dict | None = None) -> None:
    page.goto(page.base_url + SUBMISSIONS)
    page.locator("input[name=_selected_action]").first.check()
    page.select_option("select[name=action]", action)
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    if form is not None:
        for selector, value in form.items():
            if selector.startswith("radio:"):
                page.check(selector[len("radio:") :])
            else:
                page.fill(selector, value)
        with page.expect_navigation():
            page.locator("input[name=apply]").click()
    assert page.locator(".messagelist .success").count() == 1, page.content()[:2000]


def test_the_whole_curation_flow_in_a_browser(page, desktop_page, tmp_path, settings, screenshot, assert_accessible):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    siti = EntrepreneurFactory(kelurahan_code=GAMBIR_KELURAHAN, user=UserFactory(email="siti@example.id"))
    BusinessFactory(entrepreneur=siti, name="Dapur Siti")
    maya = _staff("maya@jakpreneur.test", PENDAMPING, kecamatan=(GAMBIR,))
    MentorAssignmentFactory(entrepreneur=siti, mentor=maya)
    alice = _staff("alice@jakpreneur.test", CENTER_STAFF, kecamatan=(GAMBIR,))
    dina = _staff("dina@jakpreneur.test", DINAS_ADMIN)
    cora = _staff("cora@jakpreneur.test", CURATOR)
    curation_round = CurationRoundFactory(title="Kurasi Kuliner Browser")
    curation_round.curators.add(cora)
    photo = tmp_path / "keripik.jpg"
    photo.write_bytes(image_bytes((1600, 1200)))

    # The entrepreneur adds a product with a photo, on a phone.
    log_in(page, siti.user)
    page.goto(page.base_url + "/me/products/add/")
    page.fill("input[name=name]", "Keripik Tempe Pedas Siti")
    page.select_option("select[name=category]", "kuliner")
    page.fill("textarea[name=description]", "Renyah, tanpa pengawet.")
    page.fill("input[name=price]", "Rp 15.000")
    page.fill("input[name=unit]", "pack")
    page.fill("input[name=halal_number]", "ID31110000123450224")
    page.check("input[name=show_whatsapp]")
    page.set_input_files("input[name=photos]", str(photo))
    with page.expect_navigation():
        page.locator("form.registration-form button[type=submit]").click()
    assert page.get_by_text("Keripik Tempe Pedas Siti").first.is_visible()
    screenshot(page, "products")
    assert_accessible(page)

    # …and submits it to the open round: /me/ says a round is open and links to the rounds.
    page.goto(page.base_url + "/me/")
    assert page.locator("#marketing [data-open-rounds='1']").is_visible()
    with page.expect_navigation():
        page.locator("#marketing a[href='/me/curation/']").click()
    with page.expect_navigation():
        page.locator(f"[data-round='{curation_round.pk}'] button[type=submit]").click()
    assert page.locator("[data-submission] [data-status=submitted]").is_visible()
    screenshot(page, "me-submitted")
    assert_accessible(page)

    # The four approvals, each from the back office's list, in bulk.
    for user, action, form in (
        (maya, "verify", None),
        (alice, "validate", None),
        (dina, "forward", None),
        (cora, "grade_products", {"radio:input[name=grade][value=A]": "", "textarea[name=notes]": "Kemasan rapi."}),
    ):
        log_in(desktop_page, user)
        bulk_action(desktop_page, action, form)
    submission = Submission.objects.get()
    assert (submission.status, submission.grade) == ("graded", "A")
    assert list(submission.steps.values_list("to_status", flat=True)) == [
        "submitted",
        "verified",
        "validated",
        "forwarded",
        "graded",
    ]

    # The entrepreneur sees the grade on /me/ and downloads the certificate from their rounds.
    page.goto(page.base_url + "/me/")
    assert page.locator("#marketing [data-submission-status=graded]").is_visible()
    page.goto(page.base_url + "/me/curation/")
    assert page.locator("[data-submission] [data-status=graded]").is_visible()
    with page.expect_download() as download:
        page.locator(f"a[href='/me/certificates/{Certificate.objects.get().pk}/']").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")

    # Anyone verifies it, and finds the product in the e-katalog.
    log_in(page, siti.user)
    page.context.clear_cookies()
    page.goto(page.base_url + f"/verify/{Certificate.objects.get().code}/")
    assert page.locator("[data-grade]").inner_text() == "A"
    assert_accessible(page)
    page.goto(page.base_url + "/katalog/?q=pedas+keripik")
    card = page.locator(f"[data-product='{submission.product_id}']")
    assert card.is_visible()
    assert card.locator("img").get_attribute("loading") == "lazy"
    screenshot(page, "katalog")
    assert_accessible(page)
    card.locator("a").click()
    page.wait_for_url(f"**/katalog/{submission.product_id}/")
    assert page.locator("meta[property='og:image']").get_attribute("content").startswith(page.base_url + "/media/")
    assert page.get_by_role("link", name="Chat lewat WhatsApp").is_visible()
    screenshot(page, "katalog-product")
    assert_accessible(page)
    assert page.console_errors == []
