from django.apps import AppConfig
from django.db.models.signals import post_migrate


class JakpreneurConfig(AppConfig):
    """The project package as an app: deploy checks, task logging and the access table, no models."""

    name = "jakpreneur"
    verbose_name = "JakPreneur"

    def ready(self) -> None:
        from jakpreneur import checks, middleware  # noqa: F401 - registers checks and signal receivers
        from jakpreneur.access import apply_roles_after_migrate
        from jakpreneur.logging import connect_task_logging

        connect_task_logging()
        # After every migrate and every flush (which transactional tests end with).
        post_migrate.connect(apply_roles_after_migrate, dispatch_uid="jakpreneur.access.apply_roles")
