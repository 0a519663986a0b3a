"""One row per background job, written in the transaction of the change it belongs to.

The row outlives a broker outage: it is handed to Celery after the commit and, if that
fails, again by the relay (`manage.py outbox_relay`) once the broker answers. The task runs
only after claiming the row, and marks it done, so a job published twice runs once.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(done_at__isnull=True, failed_at__isnull=True)

    def due(self, *, now: dt.datetime):
        """Jobs the relay should hand to the broker: never handed over, or handed over long
        ago and still not run (the broker lost them), and not running right now."""
        redeliver_before = now - dt.timedelta(minutes=settings.OUTBOX_REDELIVER_AFTER_MINUTES)
        return (
            self.unfinished()
            .filter(Q(published_at__isnull=True) | Q(published_at__lt=redeliver_before))
            .filter(Q(started_at__isnull=True) | Q(started_at__lt=lease_expired_before(now)))
        )

    def claimable(self, *, now: dt.datetime, task_id: str):
        """Jobs a worker may start: unfinished and not running elsewhere. A retry of the same
        Celery task (same id) may take over its own claim."""
        return self.unfinished().filter(
            Q(started_at__isnull=True) | Q(started_at__lt=lease_expired_before(now)) | Q(claimed_by=task_id)
        )


def lease_expired_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(minutes=settings.OUTBOX_LEASE_MINUTES)


class Job(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("waiting for the broker")
        QUEUED = "queued", _("handed to the broker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("handed to the broker"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    claimed_by = models.CharField(_("Celery task id"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-id"]
        indexes = [
            # The relay's poll reads only unfinished jobs, oldest first.
            models.Index(
                fields=["id"],
                condition=Q(done_at__isnull=True, failed_at__isnull=True),
                name="outbox_job_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk}"

    @property
    def state(self) -> str:
        if self.done_at:
            return self.State.DONE
        if self.failed_at:
            return self.State.FAILED
        if self.started_at:
            return self.State.RUNNING
        return self.State.QUEUED if self.published_at else self.State.PENDING
