from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class JakpreneurConfig(AppConfig):
    """The project package as an app: deploy checks and task logging, no models."""

    name = "jakpreneur"
    verbose_name = "JakPreneur"

    def ready(self) -> None:
        from jakpreneur import checks, middleware  # noqa: F401 - registers checks and signal receivers
        from jakpreneur.logging import connect_task_logging

        connect_task_logging()


class JakpreneurAdminConfig(AdminConfig):
    """django.contrib.admin with our AdminSite as `admin.site` (rate-limited login)."""

    default_site = "jakpreneur.admin_site.AdminSite"
