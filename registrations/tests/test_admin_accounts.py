"""Staff accounts and the back office itself: what the Dinas may not grant, and the brand."""

import pytest

from registrations.tests.admin_fixtures import admin_url

pytestmark = pytest.mark.django_db


# --- staff accounts ---


def test_dinas_admin_cannot_make_anyone_a_superuser(client, dina):
    from registrations.models import User

    client.force_login(dina)
    form = client.get(admin_url("registrations_user_change", dina.pk)).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    root = User.objects.create_superuser(email="root@jakpreneur.test", password="x-long-password-1")
    assert client.get(admin_url("registrations_user_change", root.pk)).status_code in (302, 404)


def test_the_admin_is_branded_as_the_jakpreneur_back_office(client, dina):
    client.force_login(dina)
    client.cookies["django_language"] = "id"
    assert "Halaman petugas JakPreneur" in client.get("/admin/").content.decode()
    client.cookies["django_language"] = "en"
    assert "JakPreneur back office" in client.get("/admin/").content.decode()
