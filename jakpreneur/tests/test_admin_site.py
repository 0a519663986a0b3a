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
