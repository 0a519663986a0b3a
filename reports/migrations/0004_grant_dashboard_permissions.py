"""Grant the dashboard permissions to the roles that need them.

Permissions are normally created after all migrations (post_migrate), so this creates the
two it needs itself. Groups are fetched with get_or_create so the grant works whether or not
the roles' own migration (registrations) has run yet.
"""

from django.db import migrations

GRANTS = {
    "official": ["view_dashboard"],
    "dinas_admin": ["view_dashboard", "recompute_progress"],
}
NAMES = {
    "view_dashboard": "Can view the progress dashboard",
    "recompute_progress": "Can recompute progress now",
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="reports", model="progresssnapshot")
    permissions = {
        codename: Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in NAMES.items()
    }
    for group_name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*(permissions[codename] for codename in codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="reports", codename__in=GRANTS[group.name])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_dashboard_permissions_joblock"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
