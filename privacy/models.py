"""Deletion requests: a resident asks for their personal data to be erased; the Dinas
approves (the data is anonymised, registrations/personal_data.py) or rejects with a reason."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations.models import Entrepreneur

# docs/PRIVACY.md: a request is decided within this time.
DECISION_DEADLINE = dt.timedelta(days=3)


class DeletionRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=DeletionRequest.Status.OPEN)


class DeletionRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done: data erased")
        REJECTED = "rejected", _("Rejected")

    entrepreneur = models.ForeignKey(
        Entrepreneur, on_delete=models.PROTECT, related_name="deletion_requests", verbose_name=_("entrepreneur")
    )
    reason = models.TextField(_("reason given by the resident"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # Where to send the "done" email once the person's own address is erased; cleared as
    # soon as it is sent.
    notify_email = models.EmailField(_("notify at"), blank=True)

    objects = DeletionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        permissions = [("handle_deletionrequest", _("Can approve or reject deletion requests"))]
        indexes = [models.Index(fields=["status", "requested_at"], name="deletionreq_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["entrepreneur"], condition=Q(status="open"), name="deletionrequest_one_open_per_person"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "rejected"]), name="deletionrequest_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"

    @property
    def due_at(self) -> dt.datetime:
        return self.requested_at + DECISION_DEADLINE

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
