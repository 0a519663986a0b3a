"""The staff roles (groups) and the permissions each one holds.

`sync_roles` is idempotent: the data migration calls it with the historical app registry,
`create_staff` with the live one, so a database that lost its groups (e.g. after a test
flush) gets them back the same way.
"""

from django.apps import apps as global_apps

CUSTOM_PERMISSIONS = {
    # (app_label, model): [(codename, name)]
    ("registrations", "entrepreneur"): [
        ("view_personal_data", "Can see unmasked NIK, phone and birth date"),
        ("export_entrepreneur", "Can export entrepreneurs (CSV, XLSX)"),
        ("import_entrepreneur", "Can import entrepreneurs from legacy files"),
    ],
}

_ALL = ("add", "change", "delete", "view")

# app_label -> model -> actions. Anything not listed is denied.
ROLE_PERMISSIONS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "dinas_admin": {
        "registrations": {
            "user": _ALL,
            "entrepreneur": _ALL,
            "business": _ALL,
            "enrollment": _ALL,
            "statuschange": ("view",),
            "attendance": _ALL,
        },
        "facilities": {
            "kota": ("view",),
            "kecamatan": ("view",),
            "kelurahan": ("view",),
            "center": ("add", "change", "view"),
            "facility": ("change", "view"),
            "activity": _ALL,
        },
    },
    "center_staff": {
        "registrations": {
            "entrepreneur": ("add", "change", "view"),
            "business": ("change", "view"),
            "enrollment": ("change", "view"),
            "statuschange": ("view",),
            "attendance": ("add", "change", "view"),
        },
        "facilities": {
            "kota": ("view",),
            "kecamatan": ("view",),
            "kelurahan": ("view",),
            "center": ("view",),
            "facility": ("view",),
            "activity": ("add", "change", "view"),
        },
    },
    # Officials see the dashboard only; the reports app grants them its own permission.
    "official": {},
}

ROLE_CUSTOM_PERMISSIONS = {
    "dinas_admin": ("view_personal_data", "export_entrepreneur", "import_entrepreneur"),
    # Centre staff verify people in person, so they see the full NIK and phone; they export
    # their own kecamatan. Importing legacy files is a Dinas task.
    "center_staff": ("view_personal_data", "export_entrepreneur"),
    "official": (),
}


def sync_roles(apps=global_apps) -> None:
    """Create the custom permissions and the three groups, and give each group exactly the
    registrations/facilities permissions listed above (others, e.g. reports', are kept)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # On a fresh database the default permissions do not exist yet during migrate.
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = previous or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = previous

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    for (app_label, model), perms in CUSTOM_PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for codename, name in perms:
            Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})

    managed_apps = ("registrations", "facilities")
    for role, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = set()
        for app_label, models in by_app.items():
            for model, actions in models.items():
                wanted.update((app_label, f"{action}_{model}") for action in actions)
        wanted.update(("registrations", codename) for codename in ROLE_CUSTOM_PERMISSIONS[role])
        current = group.permissions.filter(content_type__app_label__in=managed_apps)
        keep = [
            p
            for p in Permission.objects.filter(content_type__app_label__in=managed_apps).select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group.permissions.remove(*[p for p in current if p not in keep])
        group.permissions.add(*keep)
