"""Targets (the RPJMD indicator and any regional targets) and the progress snapshots that
Celery computes from them."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility, Kecamatan, Kota


class TargetQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Target(models.Model):
    class Metric(models.TextChoices):
        REGISTERED = "registered", _("Registered entrepreneurs (P1)")
        FACILITY_COMPLETED = "facility_completed", _("Entrepreneurs who completed a facility")
        VERIFIED = "verified", _("Verified entrepreneurs")
        # P6 outcomes from the monthly business reports (growth.rules; their current count).
        NAIK_KELAS = "naik_kelas", _("Naik kelas (a higher size class than at first)")
        WIRAUSAHA_BARU = "wirausaha_baru", _("Wirausaha baru (pemula now with turnover)")
        REPORTING = "reporting", _("Entrepreneurs who reported last month")

    name = models.CharField(_("name"), max_length=150)
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices, default=Metric.REGISTERED)
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facility"),
        help_text=_("Only for the 'completed a facility' metric."),
    )
    value = models.PositiveIntegerField(_("target value"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    kota = models.ForeignKey(
        Kota, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("kota")
    )
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("kecamatan")
    )
    source = models.CharField(_("legal basis"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["period_start", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="target_value_positive"),
            models.CheckConstraint(condition=Q(period_end__gt=F("period_start")), name="target_period_ordered"),
            models.CheckConstraint(
                condition=Q(kota__isnull=True) | Q(kecamatan__isnull=True), name="target_one_region_scope"
            ),
            models.CheckConstraint(
                condition=Q(metric="facility_completed", facility__isnull=False)
                | (~Q(metric="facility_completed") & Q(facility__isnull=True)),
                name="target_facility_iff_facility_metric",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.value:,})"


class ProgressSnapshotQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-computed_at", "-id")


class ProgressSnapshot(models.Model):
    """One complete computation of the programme's figures. The dashboard reads the newest."""

    computed_at = models.DateTimeField(_("computed at"), default=timezone.now, db_index=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    registered_total = models.PositiveIntegerField(_("registered entrepreneurs"), default=0)
    data = models.JSONField(_("figures"), default=dict)

    objects = ProgressSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = "computed_at"
        verbose_name = _("progress snapshot")
        verbose_name_plural = _("progress snapshots")
        permissions = [
            ("view_dashboard", _("Can view the progress dashboard")),
            ("recompute_progress", _("Can recompute progress now")),
        ]

    def __str__(self) -> str:
        return f"{self.computed_at:%Y-%m-%d %H:%M} – {self.registered_total:,}"


class JobLock(models.Model):
    """A lock row for background jobs on databases without advisory locks (SQLite).

    PostgreSQL uses `pg_try_advisory_xact_lock`, which is released when the transaction ends,
    even when the worker is killed. Here a row with an expiry does the same job: a crashed
    run blocks the next ones only until `locked_until`.
    """

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    token = models.CharField(_("token"), max_length=64)
    locked_until = models.DateTimeField(_("locked until"))

    class Meta:
        verbose_name = _("job lock")
        verbose_name_plural = _("job locks")

    def __str__(self) -> str:
        return self.name
