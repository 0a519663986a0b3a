from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "financing"
    verbose_name = _("Financing (P7)")

    def ready(self) -> None:
        from financing import panels

        panels.register()
