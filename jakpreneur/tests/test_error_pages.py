import pytest
from django.test import RequestFactory, override_settings
from django.urls import path
from django.views.defaults import server_error

from jakpreneur.tests.html_checks import assert_strict_csp, inline_code


def _boom(request):
    raise RuntimeError("NIK 3171014501900001 must never reach the visitor")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.django_db
def test_a_missing_page_gets_the_404_page_in_indonesian_by_default(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert response["Content-Language"] == "id"
    assert b'lang="id"' in response.content
    assert b"Error 404" not in response.content  # translated
    assert_strict_csp(response)


@pytest.mark.django_db
def test_a_missing_page_gets_the_404_page_in_english(english):
    response = english.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Go to the home page" in response.content


@pytest.mark.django_db
def test_a_denied_page_gets_the_403_page(english, olga):
    english.force_login(olga)  # an official: no admin
    response = english.get("/admin/registrations/entrepreneur/")
    # Django's admin sends a non-staff user to its login page rather than a bare 403.
    assert response.status_code == 302
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/x/")
    request.user = olga
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert inline_code(response.content.decode()) == []


def test_the_500_page_renders_without_the_database_or_context_processors():
    # No django_db mark: any query here would fail the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi kesalahan pada server" in html
    assert "Something went wrong on our side" in html
    assert inline_code(html) == []


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_exception_gives_the_500_page_with_no_stack_trace(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"3171014501900001" not in response.content
    assert b"Traceback" not in response.content
    assert_strict_csp(response)


@pytest.mark.django_db
@pytest.mark.parametrize("language, title", [("en", "Too many requests"), ("id", "Terlalu banyak permintaan")])
def test_too_many_requests_gets_the_429_page(language, title):
    from django.test import RequestFactory
    from django.utils import translation

    from jakpreneur.views import ratelimited

    request = RequestFactory().get("/register/")
    request.user = None
    with translation.override(language):
        response = ratelimited(request)
    assert response.status_code == 429
    assert f'<h1 id="error-title" class="h2">{title}</h1>' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/centers/?q=%00", "/admin/registrations/entrepreneur/?kota=31.71%00", "/api/regions/kecamatan/?kota=%00"]
)
def test_a_nul_character_in_the_query_string_is_a_bad_request(english, dina, url):
    english.force_login(dina)
    english.raise_request_exception = False
    response = english.get(url)
    assert response.status_code == 400
    assert b"Bad request" in response.content
