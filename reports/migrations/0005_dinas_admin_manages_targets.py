"""The Dinas manages targets and unlocks accounts locked out after failed logins.

DESIGN.md: Dinas staff "manage targets, facilities, centres". Permissions are normally created
after all migrations (post_migrate), so this creates the ones it grants itself.
"""

from django.db import migrations

GRANTS = {
    ("reports", "target"): ("add_target", "change_target", "delete_target", "view_target"),
    ("reports", "progresssnapshot"): ("view_progresssnapshot",),
    ("axes", "accessattempt"): ("view_accessattempt", "delete_accessattempt"),
    ("axes", "accesslog"): ("view_accesslog",),
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name="dinas_admin")
    for (app_label, model), codenames in GRANTS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for codename in codenames:
            action, _, _ = codename.partition("_")
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": f"Can {action} {model}"}
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="dinas_admin").first()
    if group is None:
        return
    for (app_label, _model), codenames in GRANTS.items():
        group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_grant_dashboard_permissions"),
        ("axes", "0010_accessattemptexpiration"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
