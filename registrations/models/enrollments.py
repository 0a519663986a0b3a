"""Enrolments into facilities (with their state machine and status log) and attendance at activities."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from facilities.models import Activity, Center, Facility
from registrations.models.people import Entrepreneur


class EnrollmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=Enrollment.OPEN_STATES)

    def completed(self):
        return self.filter(state=Enrollment.State.COMPLETED)


class Enrollment(models.Model):
    """An entrepreneur taking one facility (P1–P7), with its state machine:
    requested → active → completed, and requested/active → cancelled."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATES = ("requested", "active")
    TRANSITIONS = {
        "requested": ("active", "completed", "cancelled"),
        "active": ("completed", "cancelled"),
        "completed": (),
        "cancelled": (),
    }

    class PermitType(models.TextChoices):
        NIB = "nib", _("NIB (OSS)")
        PIRT = "pirt", _("SPP-IRT / PIRT")
        HALAL = "halal", _("Halal certificate")
        BPOM = "bpom", _("BPOM registration")
        TRADEMARK = "merek", _("Trademark (HKI)")
        OTHER = "other", _("Other permit")

    class CurationGrade(models.TextChoices):
        A = "A", _("A – ready for modern retail and e-katalog")
        B = "B", _("B – ready for bazaars and e-Order")
        C = "C", _("C – needs further mentoring")

    entrepreneur = models.ForeignKey(
        Entrepreneur, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("entrepreneur")
    )
    # No single-column indexes on facility and centre: enrol_facility_state_idx and
    # enrol_center_state_idx start with them (one index less to maintain per write).
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("facility"), db_index=False
    )
    center = models.ForeignKey(
        Center,
        on_delete=models.PROTECT,
        related_name="enrollments",
        null=True,
        blank=True,
        verbose_name=_("centre"),
        db_index=False,
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    note = models.TextField(_("note"), blank=True)
    # Outcome fields: P4 licensing, P5 marketing curation, P7 capital.
    permit_type = models.CharField(_("permit type"), max_length=8, choices=PermitType.choices, blank=True)
    permit_number = models.CharField(_("permit number"), max_length=60, blank=True)
    curation_grade = models.CharField(_("curation grade"), max_length=1, choices=CurationGrade.choices, blank=True)
    financing_amount = models.DecimalField(
        _("financing amount (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    financing_provider = models.CharField(_("financing provider"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EnrollmentQuerySet.as_manager()
    # Read per enrolment (id) or per entrepreneur; see Entrepreneur.history.
    history = HistoricalRecords(excluded_fields=["updated_at"], no_db_index=["facility", "center", "handled_by"])

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = [
            models.Index(fields=["facility", "state"], name="enrol_facility_state_idx"),
            models.Index(fields=["center", "state"], name="enrol_center_state_idx"),
            models.Index(fields=["-requested_at", "-id"], name="enrol_requested_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["entrepreneur", "facility"],
                condition=Q(state__in=["requested", "active"]),
                name="enrollment_one_open_per_facility",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["requested", "active", "completed", "cancelled"]), name="enrollment_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(financing_amount__isnull=True) | Q(financing_amount__gt=0),
                name="enrollment_financing_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entrepreneur} – {self.facility_id}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def can_become(self, state: str) -> bool:
        return state in self.TRANSITIONS.get(self.state, ())

    @property
    def cancellable_by_entrepreneur(self) -> bool:
        """An entrepreneur may withdraw a request that has not started; once their centre
        has started it, the centre cancels it."""
        return self.state == self.State.REQUESTED


class StatusChange(models.Model):
    """One status change of an entrepreneur or of one of their enrolments: who, when,
    from, to and why. Written by the services, never edited."""

    # statuschange_entr_idx (entrepreneur, -changed_at) serves the foreign key too.
    entrepreneur = models.ForeignKey(
        Entrepreneur,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("entrepreneur"),
        db_index=False,
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="status_changes",
        null=True,
        blank=True,
        verbose_name=_("enrolment"),
    )
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["entrepreneur", "-changed_at"], name="statuschange_entr_idx")]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class Attendance(models.Model):
    """An entrepreneur signed up for an activity, and whether they came."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Signed up")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("activity")
    )
    entrepreneur = models.ForeignKey(
        Entrepreneur, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("entrepreneur")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REGISTERED)
    signed_up_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)

    class Meta:
        ordering = ["activity", "signed_up_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["activity", "entrepreneur"], name="attendance_once_per_activity"),
            models.CheckConstraint(
                condition=Q(status__in=["registered", "attended", "absent", "cancelled"]),
                name="attendance_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["entrepreneur", "activity"], name="attendance_entr_idx")]

    def __str__(self) -> str:
        return f"{self.entrepreneur} @ {self.activity}"
