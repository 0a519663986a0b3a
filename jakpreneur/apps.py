from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate


class JakpreneurConfig(AppConfig):
    """The project package as an app: deploy checks, task logging and the access table, no models."""

    name = "jakpreneur"
    verbose_name = "JakPreneur"

    def ready(self) -> None:
        from django.contrib import admin

        from jakpreneur import checks, middleware  # noqa: F401 - registers checks and signal receivers
        from jakpreneur.access import apply_roles_after_migrate
        from jakpreneur.admin_site import repair_axes_admin
        from jakpreneur.logging import connect_task_logging

        connect_task_logging()
        repair_axes_admin(admin.site)  # the admins were registered by the admin app's ready()
        # After every migrate and every flush (which transactional tests end with).
        post_migrate.connect(apply_roles_after_migrate, dispatch_uid="jakpreneur.access.apply_roles")


class JakpreneurAdminConfig(AdminConfig):
    """django.contrib.admin with our AdminSite as `admin.site` (rate-limited login)."""

    default_site = "jakpreneur.admin_site.AdminSite"
