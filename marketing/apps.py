from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "marketing"
    verbose_name = _("Marketing (P5): products, curation and the e-katalog")

    def ready(self) -> None:
        from marketing import panels

        panels.register()
