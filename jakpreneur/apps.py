from django.apps import AppConfig


class JakpreneurConfig(AppConfig):
    """The project package as an app: deploy checks and task logging, no models."""

    name = "jakpreneur"
    verbose_name = "JakPreneur"

    def ready(self) -> None:
        from jakpreneur import checks, middleware  # noqa: F401 - registers checks and signal receivers
        from jakpreneur.logging import connect_task_logging

        connect_task_logging()
