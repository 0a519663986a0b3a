import pytest
from django.urls import reverse

from jakpreneur.tests.html_checks import assert_strict_csp, inline_code

pytestmark = pytest.mark.django_db


def test_the_html_checker_finds_inline_code():
    html = '<div style="color:red"></div><script>alert(1)</script><style>p{}</style><a onclick="x()">x</a>'
    assert len(inline_code(html)) == 4
    assert inline_code('<script src="/static/x.js"></script><script type="application/json">{"a": 1}</script>') == []


@pytest.mark.parametrize(
    "path",
    ["/", "/centers/", "/api/regions/kecamatan/?kota=31.71", "/healthz", "/admin/login/", "/no-such-page/"],
)
def test_every_kind_of_public_response_carries_a_strict_csp(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert_strict_csp(response)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/admin/", "/admin/password_change/"])
def test_admin_pages_carry_a_strict_csp(client, dina, path):
    client.force_login(dina)
    response = client.get(path)
    assert response.status_code == 200
    header = response["Content-Security-Policy"]
    assert "script-src 'self'" in header
    assert "unsafe-inline" not in header
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_is_sent_on_https_when_debug_is_off(client, settings):
    assert settings.DEBUG is False
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def test_plain_http_is_redirected_to_https_when_the_redirect_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/centers/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    # The load balancer's health probe stays on plain HTTP.
    assert client.get("/healthz").status_code == 200


def test_cookies_are_secure_httponly_and_same_site(client, settings, dina):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client.get(reverse("admin:login"), secure=True)
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("admin:login"),
        {"username": dina.email, "password": "correct-horse-battery-staple", "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    # A staff session ends with the browser: no Max-Age/Expires.
    assert not session["max-age"] and not session["expires"]


def test_a_post_without_csrf_token_gets_the_friendly_expired_form_page(english, settings):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.cookies["django_language"] = "en"
    response = strict.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert b"The form has expired" in response.content
    assert_strict_csp(response)


def test_the_benchmark_view_is_served_by_the_benchmark_settings_only(client, settings):
    assert client.get("/_bench/bare").status_code == 404
    settings.ROOT_URLCONF = "benchmarks.urls"  # what benchmarks/load_settings.py sets
    response = client.get("/_bench/bare")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert_strict_csp(response)  # through the whole middleware stack
    assert client.get("/centers/").status_code == 200  # and the portal's own pages beside it
