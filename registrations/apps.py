from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registrations"
    verbose_name = _("Entrepreneurs and enrolments")

    def ready(self) -> None:
        from registrations import personal_data, selectors
        from registrations.services.privacy import personal_data_erase

        # Registrations' own part of a person's data: first in the export, erased last.
        personal_data.register(
            personal_data.Source(
                key="registrations",
                label=_("Registration, business, enrolments and attendance"),
                export=selectors.entrepreneur_personal_data,
                erase=personal_data_erase,
                order=0,
            )
        )
