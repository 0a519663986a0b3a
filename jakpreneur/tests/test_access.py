"""The access table (jakpreneur/access.py) is what the database holds, and nothing else."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from facilities.models import Kelurahan
from jakpreneur import access
from jakpreneur.access import CENTER_STAFF, DINAS_ADMIN, OFFICIAL, apply_roles, granted, role_grants
from reports.models import Target

pytestmark = pytest.mark.django_db


def test_after_migrate_each_role_holds_exactly_the_tables_permissions():
    assert granted() == role_grants()
    assert set(Group.objects.values_list("name", flat=True)) == set(access.ROLES)


def test_the_table_names_only_permissions_that_exist():
    assert access.check_access_table() == []
    assert apply_roles() == []


def test_the_table_is_spelled_out_with_default_and_custom_permissions():
    grants = role_grants()
    assert ("registrations", "entrepreneur", "view_entrepreneur") in grants[CENTER_STAFF]
    assert ("registrations", "entrepreneur", "view_personal_data") in grants[CENTER_STAFF]
    assert ("registrations", "entrepreneur", "import_entrepreneur") not in grants[CENTER_STAFF]
    assert grants[OFFICIAL] == {("reports", "progresssnapshot", "view_dashboard")}


def test_the_check_names_a_permission_or_model_that_does_not_exist(monkeypatch):
    monkeypatch.setattr(
        access,
        "ROLE_PERMISSIONS",
        {"mentor": {"registrations": {"entrepreneur": ("view", "fly")}, "growth": {"caseload": ("view",)}}},
    )
    errors = [error.msg for error in access.check_access_table()]
    assert errors == ["mentor: no model growth.caseload", "mentor: registrations.entrepreneur has no permission 'fly'"]


def test_apply_takes_away_what_the_table_does_not_grant_and_gives_back_what_it_does():
    staff = Group.objects.get(name=CENTER_STAFF)
    staff.permissions.add(Permission.objects.get(codename="delete_user"))
    staff.permissions.add(Permission.objects.get(codename="recompute_progress"))
    Group.objects.get(name=DINAS_ADMIN).permissions.remove(Permission.objects.get(codename="view_dashboard"))
    Group.objects.get(name=OFFICIAL).delete()

    assert apply_roles() == []

    assert granted() == role_grants()


def test_apply_is_idempotent_and_leaves_other_groups_alone(django_assert_max_num_queries):
    auditors = Group.objects.create(name="auditors")
    auditors.permissions.add(Permission.objects.get(codename="view_user"))
    before = {group.name: set(group.permissions.values_list("pk", flat=True)) for group in Group.objects.all()}
    with django_assert_max_num_queries(60):
        apply_roles()
    after = {group.name: set(group.permissions.values_list("pk", flat=True)) for group in Group.objects.all()}
    assert after == before


def test_apply_reports_what_the_database_lacks_and_grants_the_rest():
    table = {"mentor": {"registrations": {"entrepreneur": ("view", "fly")}, "growth": {"caseload": ("view",)}}}
    missing = apply_roles(table=table)
    assert missing == [("growth", "caseload", "view_caseload"), ("registrations", "entrepreneur", "fly")]
    assert list(Group.objects.get(name="mentor").permissions.values_list("codename", flat=True)) == [
        "view_entrepreneur"
    ]


def test_a_data_migration_can_apply_the_roles_with_its_historical_models():
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    historical = MigrationLoader(connection).project_state().apps
    Group.objects.all().delete()
    Permission.objects.filter(codename="view_personal_data").delete()

    assert apply_roles(apps=historical, using=connection.alias) == []

    assert granted() == role_grants()


@pytest.mark.django_db(transaction=True)
def test_a_flush_puts_the_roles_back_through_post_migrate(monkeypatch):
    calls = []
    real_apply = access.apply_roles
    monkeypatch.setattr(access, "apply_roles", lambda **kwargs: calls.append(kwargs) or real_apply(**kwargs))
    Group.objects.all().delete()

    call_command("flush", verbosity=0, interactive=False)

    assert len(calls) == 1  # once, not once per app
    assert granted() == role_grants()
    assert not Kelurahan.objects.exists()  # what data migrations loaded is gone; see the next test


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_starts_from_what_migrations_loaded():
    # The test above (and every transactional test) ended with a flush; the root conftest
    # puts the migration data back before the next one starts.
    assert Kelurahan.objects.count() == 267
    assert Target.objects.filter(metric="registered", value=200_000).exists()
    assert granted() == role_grants()
