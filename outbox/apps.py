from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """The transactional outbox: background jobs written with the data they belong to."""

    name = "outbox"
    verbose_name = _("Background jobs")
