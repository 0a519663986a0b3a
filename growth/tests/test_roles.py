"""The pendamping role: created by create_staff for one kecamatan, with the access table's
permissions, and no sight of the registrations back office's lists."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jakpreneur.access import KECAMATAN_ROLES, PENDAMPING, STAFF_ROLES, role_grants
from registrations.models import User
from registrations.selectors import entrepreneurs_visible_to
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db


def test_create_staff_makes_a_mentor_of_one_kecamatan():
    out = StringIO()
    call_command(
        "create_staff",
        "--email",
        "Mentor@Jakpreneur.test",
        "--role",
        "pendamping",
        "--kecamatan",
        "31.71.01",
        stdout=out,
    )
    user = User.objects.get(email="mentor@jakpreneur.test")
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [PENDAMPING]
    assert list(user.kecamatan_scope.values_list("code", flat=True)) == ["31.71.01"]
    assert "as pendamping for 31.71.01" in out.getvalue()


def test_a_mentor_needs_a_kecamatan():
    with pytest.raises(CommandError, match="needs at least one --kecamatan"):
        call_command("create_staff", "--email", "m@jakpreneur.test", "--role", "pendamping", stdout=StringIO())
    assert not User.objects.filter(email="m@jakpreneur.test").exists()


def test_the_role_is_staff_for_a_kecamatan_and_never_touches_the_registrations_tables():
    assert PENDAMPING in STAFF_ROLES and PENDAMPING in KECAMATAN_ROLES
    grants = role_grants()[PENDAMPING]
    apps = {app for app, _, _ in grants}
    assert "growth" in apps and "registrations" not in apps  # (marketing: the caseload's products)
    assert ("growth", "monthlyreport", "upload_monthlyreport") in grants
    assert ("growth", "mentorassignment", "add_mentorassignment") not in grants


def test_a_mentor_sees_no_one_through_the_registrations_scoping(maya):
    EntrepreneurFactory()  # in Gambir, maya's kecamatan
    assert not entrepreneurs_visible_to(maya).exists()
