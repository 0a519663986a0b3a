from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowthConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "growth"
    verbose_name = _("Mentoring and monthly reports")

    def ready(self):
        from growth import selectors
        from registrations import me_panels

        me_panels.register(
            me_panels.Panel(
                key="growth.mentoring",
                template="growth/me_panel.html",
                context=selectors.me_panel_context,
                order=40,
                slot=me_panels.MAIN,
            )
        )
