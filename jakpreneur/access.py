"""Who may do what: the one access table of the portal.

A role is a Django group. `ROLE_PERMISSIONS` lists, for each role, the permissions its group
holds, by app label and model name:

    ROLE_PERMISSIONS = {
        CENTER_STAFF: {                                  # the role (group name)
            "registrations": {                           # app label
                "entrepreneur": ("add", "change", "view", "view_personal_data"),
            },                                           # model name → permissions
        },
    }

A permission is either one of Django's default actions (`add`, `change`, `delete`, `view`,
meaning `<action>_<model>`) or the codename of a custom permission declared in that model's
`Meta.permissions` (ours) or by its third-party app. Anything not listed is denied: a role has
exactly the permissions the table gives it, and `apply_roles` takes away any other.

`apply_roles` is the one function that writes roles: after every `migrate` and every test
flush (a `post_migrate` receiver), from `create_staff`, and from a data migration if one ever
needs the roles before the migration run ends (`apply_roles(apps=apps,
using=schema_editor.connection.alias)`). It is idempotent.

A new app adds its lines here and nowhere else: its models' permissions under each role that
needs them (a new role is a new key, with its name defined below). Permissions say what a
role may do to a kind of row; which rows it sees is the scoping layer of the app that owns
them (`registrations.selectors.*_visible_to(user)`: all of them for the Dinas, the
kecamatan in `kecamatan_scope` for centre staff, none for anyone else). `STAFF_ROLES` sign in
to the admin; `KECAMATAN_ROLES` work for the kecamatan they are given (`create_staff
--kecamatan`). See docs/ARCHITECTURE.md.
"""

from django.apps import apps as global_apps
from django.core import checks
from django.db import DEFAULT_DB_ALIAS

DINAS_ADMIN = "dinas_admin"
CENTER_STAFF = "center_staff"
OFFICIAL = "official"
PENDAMPING = "pendamping"
CURATOR = "curator"

DEFAULT_ACTIONS = ("add", "change", "delete", "view")
ALL = DEFAULT_ACTIONS
VIEW = ("view",)

Table = dict[str, dict[str, dict[str, tuple[str, ...]]]]

ROLE_PERMISSIONS: Table = {
    # Province level: everything, all kecamatan; imports legacy data, manages targets and
    # centres, unlocks accounts locked after failed logins.
    DINAS_ADMIN: {
        "registrations": {
            "user": ALL,
            "entrepreneur": (*ALL, "view_personal_data", "export_entrepreneur", "import_entrepreneur"),
            "business": ALL,
            "enrollment": ALL,
            "statuschange": VIEW,
            "attendance": ALL,
            # Uploaded legacy files and their runs (read-only: the upload page and "run
            # again" go through the services).
            "importjob": VIEW,
            # Who saw a full NIK or phone number, whose, when, why (read-only; no role, not
            # even the Dinas, may change or delete it: the model has only a view permission).
            "reveallog": VIEW,
        },
        "facilities": {
            "kota": VIEW,
            "kecamatan": VIEW,
            "kelurahan": VIEW,
            "center": ("add", "change", "view"),
            "facility": ("change", "view"),
            "activity": ALL,
        },
        "reports": {
            "target": ALL,
            "progresssnapshot": ("view", "view_dashboard", "recompute_progress"),
        },
        "axes": {
            "accessattempt": ("view", "delete"),
            "accesslog": VIEW,
        },
        # Background jobs queued by requests (read-only: waiting, done, given up and why).
        "outbox": {"job": VIEW},
        # P3 + P6: assigns mentors, sets their targets, files and uploads reports anywhere.
        "growth": {
            "mentorprofile": ("add", "change", "view"),
            "mentorassignment": ("add", "change", "view", "view_caseload"),
            "mentoringsession": VIEW,
            "monthlyreport": ("add", "change", "view", "upload_monthlyreport"),
        },
        # P5: opens curation rounds, forwards validated submissions to the curators, exports
        # the grade-A list; products are the entrepreneurs' own (read-only here).
        "marketing": {
            "product": VIEW,
            "curationround": ("add", "change", "view"),
            "submission": ("view", "forward_submission", "return_submission", "export_submission"),
            "certificate": VIEW,
        },
        # Residents' deletion requests (UU 27/2022): read, approve (erase) or reject.
        "privacy": {"deletionrequest": ("view", "handle_deletionrequest")},
    },
    # The kasatpel of one kecamatan: verifies people in person (so sees the full NIK and
    # phone), registers walk-ins, runs classes, exports their own kecamatan.
    CENTER_STAFF: {
        "registrations": {
            "entrepreneur": ("add", "change", "view", "view_personal_data", "export_entrepreneur"),
            "business": ("change", "view"),
            "enrollment": ("change", "view"),
            "statuschange": VIEW,
            "attendance": ("add", "change", "view"),
        },
        "facilities": {
            "kota": VIEW,
            "kecamatan": VIEW,
            "kelurahan": VIEW,
            "center": VIEW,
            "facility": VIEW,
            "activity": ("add", "change", "view"),
        },
        # Assigns the kecamatan's people to its mentors and follows their caseloads.
        "growth": {
            "mentorprofile": VIEW,
            "mentorassignment": ("add", "change", "view", "view_caseload"),
            "mentoringsession": VIEW,
            "monthlyreport": ("add", "change", "view", "upload_monthlyreport"),
        },
        # P5: validates the curation submissions of their kecamatan.
        "marketing": {
            "product": VIEW,
            "curationround": VIEW,
            "submission": ("view", "validate_submission", "return_submission"),
        },
        # No deletion requests: they are decided by the Dinas, and a resident's wish to
        # leave (and why) is not the centre's business (docs/PRIVACY.md).
    },
    # A contract mentor of one kecamatan: their own caseload only (growth.selectors), where
    # they log sessions and file or upload the monthly reports, and verify their people's
    # curation submissions.
    PENDAMPING: {
        "growth": {
            "mentorprofile": VIEW,
            "mentorassignment": ("view", "view_caseload"),
            "mentoringsession": ("add", "change", "view"),
            "monthlyreport": ("add", "change", "view", "upload_monthlyreport"),
        },
        "marketing": {
            "product": VIEW,
            "curationround": VIEW,
            "submission": ("view", "verify_submission", "return_submission"),
        },
    },
    # A staff account named on a curation round: grades the products forwarded to it.
    CURATOR: {
        "marketing": {
            "product": VIEW,
            "curationround": VIEW,
            "submission": ("view", "grade_submission", "return_submission"),
            "certificate": VIEW,
        },
    },
    # Dinas head, Biro Perekonomian, DPRD: the dashboard, no admin and no personal data.
    OFFICIAL: {
        "reports": {
            "progresssnapshot": ("view_dashboard",),
        },
    },
}

ROLES = tuple(ROLE_PERMISSIONS)
STAFF_ROLES = frozenset({DINAS_ADMIN, CENTER_STAFF, PENDAMPING, CURATOR})
KECAMATAN_ROLES = frozenset({CENTER_STAFF, PENDAMPING})

Grant = tuple[str, str, str]  # (app label, model name, codename)


def codename(action: str, model: str) -> str:
    return f"{action}_{model}" if action in DEFAULT_ACTIONS else action


def role_grants(table: Table | None = None) -> dict[str, set[Grant]]:
    """The table spelled out: role → {(app label, model, codename)}."""
    table = ROLE_PERMISSIONS if table is None else table
    return {
        role: {
            (app_label, model, codename(action, model))
            for app_label, models in by_app.items()
            for model, actions in models.items()
            for action in actions
        }
        for role, by_app in table.items()
    }


def apply_roles(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS, table: Table | None = None) -> list[Grant]:
    """Give each role's group exactly the permissions of the table, creating the groups and
    any permission not created yet. Returns the grants that name no permission in the
    database (their app is not migrated there); after a full `migrate` that list is empty."""
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # auth itself is not migrated (e.g. `migrate auth zero`)
        return []
    _create_permissions(apps, using)
    grants = role_grants(table)
    wanted_apps = {app_label for role in grants.values() for app_label, _, _ in role}
    ids = {
        (app_label, model, code): pk
        for pk, app_label, model, code in Permission.objects.using(using)
        .filter(content_type__app_label__in=wanted_apps)
        .values_list("pk", "content_type__app_label", "content_type__model", "codename")
    }
    missing = []
    for role, wanted in grants.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([ids[grant] for grant in wanted if grant in ids])
        missing += sorted(grant for grant in wanted if grant not in ids)
    return missing


def granted(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, set[Grant]]:
    """What the database holds: role → {(app label, model, codename)}, for the table's roles."""
    from django.contrib.auth.models import Group

    holds: dict[str, set[Grant]] = {role: set() for role in ROLE_PERMISSIONS}
    rows = (
        Group.objects.using(using)
        .filter(name__in=holds)
        .values_list(
            "name", "permissions__content_type__app_label", "permissions__content_type__model", "permissions__codename"
        )
    )
    for role, app_label, model, code in rows:
        if code is not None:
            holds[role].add((app_label, model, code))
    return holds


def _create_permissions(apps, using: str) -> None:
    """Default and Meta permissions of every model, which Django itself creates only once
    migrations are over (post_migrate): a migration calling apply_roles needs them earlier."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        historical = apps is not global_apps and getattr(app_config, "models_module", None) is None
        if historical:
            # A historical app config (a migration's registry) has no models module, and
            # create_permissions skips those: lend it one for the call.
            app_config.models_module = True
        try:
            create_permissions(app_config, verbosity=0, using=using, apps=apps)
        finally:
            if historical:
                app_config.models_module = None


def apply_roles_after_migrate(sender, app_config, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """post_migrate receiver. Django sends the signal once per app; the roles are applied once,
    for the last app, when every app's permissions exist."""
    with_models = [config for config in global_apps.get_app_configs() if config.models_module is not None]
    if with_models and app_config.label == with_models[-1].label:
        apply_roles(apps=apps, using=using)


@checks.register()
def check_access_table(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every line of the table names an installed model and one of its permissions."""
    errors = []
    for role, grants in role_grants().items():
        for app_label, model_name, code in sorted(grants):
            try:
                model = global_apps.get_model(app_label, model_name)
            except LookupError:
                errors.append(f"{role}: no model {app_label}.{model_name}")
                continue
            meta = model._meta
            known = {f"{action}_{meta.model_name}" for action in meta.default_permissions}
            known |= {name for name, _ in meta.permissions}
            if code not in known:
                errors.append(f"{role}: {app_label}.{model_name} has no permission {code!r}")
    return [
        checks.Error(error, hint="Fix ROLE_PERMISSIONS in jakpreneur/access.py.", id="jakpreneur.E001")
        for error in errors
    ]
