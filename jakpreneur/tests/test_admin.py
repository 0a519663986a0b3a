"""ReadOnlyMixin (jakpreneur/admin.py): rows that come from migrations or the services cannot
be added, changed or deleted in the admin, not even by a superuser."""

import pytest
from django.urls import reverse

from facilities.models import Kota
from registrations.models import Business, User
from registrations.tests.factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = User.objects.create_superuser(email="root@jakpreneur.test", password="x-very-long-password-1")
    client.force_login(user)
    return client


@pytest.fixture
def business(db):
    return BusinessFactory(name="Warung Berkah")


def test_a_superuser_may_look_but_not_add_change_or_delete(root, business):
    kota = Kota.objects.get(code="31.71")
    for model, obj, field in [("facilities_kota", kota, "name"), ("registrations_business", business, "name")]:
        assert root.get(reverse(f"admin:{model}_change", args=[obj.pk])).status_code == 200
        assert root.get(reverse(f"admin:{model}_add")).status_code == 403
        assert root.post(reverse(f"admin:{model}_add"), {field: "New"}).status_code == 403
        assert root.post(reverse(f"admin:{model}_change", args=[obj.pk]), {field: "Changed"}).status_code == 403
        assert root.post(reverse(f"admin:{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert Kota.objects.get(code="31.71").name == kota.name
    assert Business.objects.get(pk=business.pk).name == "Warung Berkah"


def test_the_read_only_inlines_offer_no_rows_to_add_or_delete(root, business):
    page = root.get(reverse("admin:registrations_entrepreneur_change", args=[business.entrepreneur.pk]))
    formsets = {formset.formset.prefix: formset for formset in page.context["inline_admin_formsets"]}
    for prefix in ("enrollments", "attendances", "status_changes"):
        assert not formsets[prefix].has_add_permission
        assert not formsets[prefix].has_change_permission
        assert not formsets[prefix].has_delete_permission
    assert formsets["business"].has_change_permission
