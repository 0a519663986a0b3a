from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A resident's rights under UU 27/2022 (PDP): their copy of their data, withdrawing
    consent and asking for deletion (/me/data/), and the Dinas handling deletion requests."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = _("Personal data (PDP)")

    def ready(self) -> None:
        from privacy import selectors, services
        from registrations import me_panels, personal_data

        me_panels.register(
            me_panels.Panel(
                key="privacy",
                template="privacy/me_panel.html",
                context=selectors.me_panel_context,
                order=90,
                slot=me_panels.DATA,
                annotations=selectors.me_panel_annotations,
            )
        )
        personal_data.register(
            personal_data.Source(
                key="privacy",
                label=_("Consent and deletion requests"),
                export=selectors.personal_data_export,
                erase=services.personal_data_erase,
                order=90,
            )
        )
