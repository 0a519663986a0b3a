"""Issue 13, item 7: pages with the signed-in person's data are never stored by a cache or
kept for the Back button (`Cache-Control: no-store`); public pages for visitors stay cacheable."""

import pytest

from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private", "max-age=0"} <= directives


@pytest.fixture
def siti(db):
    return EntrepreneurFactory(full_name="Siti Rahmawati")


@pytest.mark.parametrize(
    "url",
    ["/me/", "/me/contact/", "/me/business/", "/accounts/password_change/", "/accounts/password_change/done/"],
)
def test_the_entrepreneurs_own_pages_are_not_stored(client, siti, url):
    client.force_login(siti.user)
    response = client.get(url)
    assert response.status_code == 200
    assert no_store(response), response.get("Cache-Control")


def test_a_form_sent_back_with_errors_is_not_stored_either(client, siti):
    client.force_login(siti.user)
    response = client.post("/me/contact/", {"phone": "not a phone"})
    assert response.status_code == 200 and no_store(response)


def test_any_page_shown_to_a_signed_in_person_is_not_stored(client, siti):
    client.force_login(siti.user)
    assert no_store(client.get("/"))  # the navbar names their account


def test_the_back_office_and_the_dashboard_are_not_stored(client, dina, olga, siti):
    client.force_login(dina)
    change = f"/admin/registrations/entrepreneur/{siti.pk}/change/"
    for url in ("/admin/", "/admin/registrations/entrepreneur/", change):
        assert no_store(client.get(url)), url
    client.force_login(olga)
    assert no_store(client.get("/dashboard/"))


def test_account_pages_are_not_stored_before_signing_in(client):
    for url in ("/accounts/login/", "/accounts/password_reset/", "/admin/login/"):
        assert no_store(client.get(url)), url


def test_public_pages_for_visitors_stay_cacheable(client):
    for url in ("/", "/open-data/", "/centers/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", ""), url
