"""/me/financing/: products with their eligibility explained, the application form (amounts
in Indonesian formats), the entrepreneur's own applications and their history; other
people's applications are 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from financing.models import FinancingApplication
from financing.tests.conftest import apply, eligible_person, through
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

HOME = "/me/financing/"


def form(chosen, **overrides):
    return {"product": chosen.pk, "amount": "Rp 5.000.000", "tenor_months": "12", "purpose": "Stok Ramadan"} | overrides


def test_the_page_lists_the_products_with_why_not_yet(client, monas, kur, django_assert_max_num_queries):
    newcomer = EntrepreneurFactory(status="verified")
    client.force_login(newcomer.user)
    with django_assert_max_num_queries(20):
        response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kredit Monas Pemula" in html and "KUR Mikro" in html
    assert "Lengkapi P6: laporkan usaha minimal 3 bulan" in html
    assert 'data-reason="facilities_missing"' in html
    assert 'data-reason="business_not_running"' in html
    # Nothing to apply for yet: no form to fill in and be refused, but what to do instead.
    assert "data-not-yet" in html and 'name="purpose"' not in html
    assert "Ajukan pembiayaan" in html


def test_the_page_costs_the_same_with_many_applications(client, siti, monas, dina, django_assert_max_num_queries):
    for _ in range(4):
        application = apply(siti, monas)
        through(application, to="verified", dina=dina)
        from financing import services

        services.application_cancel(application=application, actor=dina, reason="uji")
    client.force_login(siti.user)
    with django_assert_max_num_queries(20):
        assert client.get(HOME).status_code == 200


def test_an_eligible_entrepreneur_is_told_so(client, siti, monas):
    client.force_login(siti.user)
    html = client.get(HOME).content.decode()
    assert f'data-product="{monas.pk}"' in html
    assert "data-eligible" in html
    assert 'name="purpose"' in html and "data-not-yet" not in html


@pytest.mark.parametrize("amount", ["5000000", "5.000.000", "Rp 5.000.000", "Rp5.000.000,00"])
def test_applying_with_amounts_in_indonesian_formats(client, siti, monas, amount):
    client.force_login(siti.user)
    response = client.post(HOME, form(monas, amount=amount))
    application = FinancingApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("financing:application", args=[application.pk])
    assert application.amount == 5_000_000
    assert application.submitted_by_kind == "self"


def test_an_amount_over_the_limit_is_shown_on_the_form(client, siti, monas):
    client.force_login(siti.user)
    client.cookies["django_language"] = "en"
    response = client.post(HOME, form(monas, amount="Rp 10.000.001"))
    assert response.status_code == 200
    assert "lends at most Rp 10.000.000" in response.content.decode()
    assert not FinancingApplication.objects.exists()


def test_a_tenor_out_of_range_is_shown_on_the_form(client, siti, monas):
    client.force_login(siti.user)
    client.cookies["django_language"] = "en"
    response = client.post(HOME, form(monas, tenor_months="24"))
    assert "The tenor of Kredit Monas Pemula is 1 to 18 months" in response.content.decode()
    assert not FinancingApplication.objects.exists()


def test_a_duplicate_open_application_is_refused_with_a_message(client, siti, monas):
    client.force_login(siti.user)
    client.cookies["django_language"] = "en"
    client.post(HOME, form(monas))
    response = client.post(HOME, form(monas))
    assert response.status_code == 200
    assert "You already have an open application for Kredit Monas Pemula" in response.content.decode()
    assert FinancingApplication.objects.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"amount": "=1+1"},
        {"amount": "satu juta"},
        {"amount": "-5000000"},
        {"tenor_months": "dua belas"},
        {"tenor_months": "0"},
        {"purpose": ""},
        {"purpose": "a\x00b"},
        {"purpose": "modal\u200busaha"},
        {"purpose": "x" * 1001},
        {"product": "999999"},
        {"product": "x"},
    ],
)
def test_bad_input_is_a_form_error_never_a_500(client, siti, monas, bad):
    client.force_login(siti.user)
    client.raise_request_exception = False
    response = client.post(HOME, form(monas, **bad))
    assert response.status_code in (200, 400)
    assert not FinancingApplication.objects.exists()


def test_the_application_page_shows_its_history(client, siti, monas, alice):
    application = apply(siti, monas)
    through(application, to="verified", alice=alice, dina=None)
    client.force_login(siti.user)
    html = client.get(reverse("financing:application", args=[application.pk])).content.decode()
    assert application.reference in html
    assert html.count('class="list-group-item small"') == 2  # submitted, verified


def test_someone_elses_application_is_404(client, siti, monas):
    application = apply(siti, monas)
    other = eligible_person()
    client.force_login(other.user)
    assert client.get(reverse("financing:application", args=[application.pk])).status_code == 404
    assert client.post(reverse("financing:withdraw", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"


def test_withdrawing_my_application(client, siti, monas):
    application = apply(siti, monas)
    client.force_login(siti.user)
    response = client.post(reverse("financing:withdraw", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "cancelled"


def test_the_me_line_shows_the_latest_application_without_a_query_of_its_own(
    client, siti, monas, dina, django_assert_num_queries
):
    client.force_login(siti.user)
    client.cookies["django_language"] = "en"
    client.get("/me/")
    with CaptureQueriesContext(connection) as none_yet:
        html = client.get("/me/").content.decode()
    assert 'data-line="financing"' in html and "data-application-status" not in html
    assert f'href="{HOME}"' in html
    first = apply(siti, monas)
    through(first, to="verified", dina=dina)
    other = eligible_person(full_name="Budi Santoso")
    apply(other, monas, purpose="Gerobak baru")  # someone else's, newer, still submitted
    with django_assert_num_queries(len(none_yet.captured_queries)):
        html = client.get("/me/").content.decode()
    assert 'data-application-status="verified"' in html
    assert "Kredit Monas Pemula" in html and 'data-application-status="submitted"' not in html
    assert f'href="{reverse("financing:application", args=[first.pk])}"' in html


def test_staff_without_a_record_are_sent_to_me(client, alice):
    client.force_login(alice)
    assert client.get(HOME)["Location"] == "/me/"


def test_anonymous_visitors_log_in_first(client):
    assert "/login/" in client.get(HOME)["Location"]
