"""The back office uses Django's admin templates plus the portal's icon (templates/admin/base_site.html)."""

import pytest

pytestmark = pytest.mark.django_db

ICON = '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">'


def test_the_admin_login_page_declares_the_portals_icon_and_keeps_djangos_branding(english):
    body = english.get("/admin/login/").content.decode()
    assert ICON in body
    assert "<title>Log in | JakPreneur back office</title>" in body
    assert '<div id="site-name"><a href="/admin/">JakPreneur back office</a></div>' in body


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/registrations/entrepreneur/", "/admin/registrations/entrepreneur/add/"]
)
def test_every_admin_page_declares_the_portals_icon(client, dina, path):
    client.force_login(dina)
    body = client.get(path).content.decode()
    assert body.count(ICON) == 1


def test_the_dinas_cleans_up_expired_login_attempts_without_a_500(client, dina):
    """django-axes' action read an attribute only login requests have (found by the POST walk)."""
    import datetime as dt

    from axes.models import AccessAttempt
    from django.utils import timezone

    old = AccessAttempt.objects.create(username="x@example.id", ip_address="203.0.113.1", failures_since_start=1)
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - dt.timedelta(days=2))
    fresh = AccessAttempt.objects.create(username="y@example.id", ip_address="203.0.113.2", failures_since_start=1)
    client.force_login(dina)
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "cleanup_expired_attempts", "_selected_action": [fresh.pk], "index": "0"},
    )
    assert response.status_code == 302
    assert list(AccessAttempt.objects.all()) == [fresh]
