"""Oversight of personal data and bulk writes: the reveal log and the import jobs that bring legacy
files in."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jakpreneur.storage import private_storage
from registrations.models.people import Entrepreneur


class RevealLog(models.Model):
    """Every time a staff member saw a full NIK or mobile number: one person's (revealed on
    their page) or everyone's in an export. Written by the services only; nobody may change
    or delete a row (no add/change/delete permission exists, and the admin is read-only)."""

    class Field(models.TextChoices):
        NIK = "nik", _("NIK")
        PHONE = "phone", _("mobile phone")
        EXPORT = "export", _("export with full NIK and phone")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    entrepreneur = models.ForeignKey(
        Entrepreneur,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whose"),
        help_text=_("Empty for an export: see rows and filters."),
    )
    field = models.CharField(_("what"), max_length=8, choices=Field.choices)
    reason = models.TextField(_("reason"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    rows = models.PositiveIntegerField(_("rows exported"), null=True, blank=True)
    filters = models.CharField(_("filters of the export"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("reveal of personal data")
        verbose_name_plural = _("reveal log")
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["-at", "-id"], name="reveallog_at_idx"),
            models.Index(fields=["entrepreneur", "-at"], name="reveallog_entr_idx"),
            models.Index(fields=["user", "-at"], name="reveallog_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(field__in=["nik", "phone", "export"]), name="reveallog_field_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="reveallog_reason_given"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_field_display()} · {self.at:%Y-%m-%d %H:%M}"


def import_upload_to(instance, filename: str) -> str:
    # The uploaded name is kept in ImportJob.filename; on disk a random name, so nobody can
    # guess another upload's path.
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:6]}"


class ImportJob(models.Model):
    """A legacy file uploaded in the admin and imported, all or nothing, by the worker
    (registrations/services/import_jobs.py). The file stays in private storage; the row says
    how far the run got, what it wrote and which lines it refused."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("file"), upload_to=import_upload_to, storage=private_storage, max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Each (re-)queueing gets the next number; only the run queued with the current one may
    # start, so a message delivered late or twice never runs the file a second time.
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_created = models.PositiveIntegerField(_("new"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    lines_refused = models.PositiveIntegerField(_("lines refused"), default=0)
    # [[line, nik, column, message, code], …]: the first IMPORT_REPORT_MAX_ERRORS refusals.
    errors = models.JSONField(_("refusals"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)  # why a file was refused or a run failed
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]), name="importjob_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="importjob_creator_idx")]

    def __str__(self) -> str:
        return f"{self.filename} #{self.pk}"


class ErasedNik(models.Model):
    """A keyed digest (HMAC-SHA256 with the SECRET_KEY, `registrations.services.privacy.
    nik_digest`) of the NIK of each person whose data was erased at their request, so that an
    import of an old legacy sheet does not bring them back (the importer refuses their row).
    The digest alone tells nobody the NIK; a person may still register again themselves."""

    digest = models.CharField(_("digest"), max_length=64, unique=True)
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)

    class Meta:
        verbose_name = _("erased NIK")
        verbose_name_plural = _("erased NIKs")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.digest[:12]}… ({self.erased_at:%Y-%m-%d})"
