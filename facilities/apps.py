from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "facilities"
    verbose_name = _("Regions, centres and facilities")

    def ready(self) -> None:
        # The cached reference data (facilities/cache.py) is dropped whenever it changes.
        from facilities import cache

        for model in cache.MODELS:
            post_save.connect(cache.invalidate, sender=model, dispatch_uid=f"refcache_save_{model.__name__}")
            post_delete.connect(cache.invalidate, sender=model, dispatch_uid=f"refcache_delete_{model.__name__}")
        post_migrate.connect(cache.invalidate, dispatch_uid="refcache_migrate")
