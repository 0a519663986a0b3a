"""P3 Pendampingan and P6 Pelaporan keuangan: mentors (pendamping) and their caseloads,
mentoring sessions, and the entrepreneurs' monthly business reports.

A mentor is a staff account with the `pendamping` role (jakpreneur/access.py) working for the
kecamatan in its `kecamatan_scope`; `MentorProfile` holds what the portal knows about them
beyond the account (contact phone, recruitment target). An entrepreneur has at most one
active `MentorAssignment` at a time (database-enforced); ended ones stay as the caseload's
history.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from facilities.models import Kecamatan
from registrations.models import Entrepreneur

# The largest amount a monthly report accepts (Rp 1 trillion): above it is a typing error.
MAX_AMOUNT = 10**12
# Workers besides the owner: a business past this is not a programme participant's.
MAX_WORKERS = 100_000
# The programme was launched on 14 Dec 2017: no report is older than its first month.
FIRST_PERIOD = (2017, 12)
DEFAULT_RECRUITMENT_TARGET = 60


class MentorProfile(models.Model):
    """A pendamping's contact and recruitment target (e.g. 60 people each)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="mentor_profile",
        verbose_name=_("mentor account"),
    )
    display_name = models.CharField(_("name shown to entrepreneurs"), max_length=150, blank=True)
    phone = models.CharField(
        _("mobile phone"), max_length=16, blank=True, help_text=_("Stored in E.164 form, e.g. +6281234567890.")
    )
    recruitment_target = models.PositiveIntegerField(_("recruitment target"), default=DEFAULT_RECRUITMENT_TARGET)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^\+628[0-9]{8,11}$"), name="mentorprofile_phone_e164"
            ),
            models.CheckConstraint(condition=Q(recruitment_target__lte=10_000), name="mentorprofile_target_sane"),
        ]

    def __str__(self) -> str:
        return self.display_name or str(self.user)


class MentorAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class MentorAssignment(models.Model):
    """An entrepreneur in a mentor's caseload, from `assigned_at` until `ended_at`."""

    entrepreneur = models.ForeignKey(
        Entrepreneur,
        on_delete=models.CASCADE,
        related_name="mentor_assignments",
        verbose_name=_("entrepreneur"),
        db_index=False,  # mentorassignment_entr_idx starts with it
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentor_assignments",
        verbose_name=_("mentor"),
        db_index=False,  # mentorassignment_mentor_idx starts with it
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )

    objects = MentorAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assigned_at", "-id"]
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        # Granted to roles in jakpreneur/access.py.
        permissions = [("view_caseload", _("Can see mentors' caseload pages"))]
        indexes = [
            models.Index(fields=["entrepreneur", "-assigned_at"], name="mentorassignment_entr_idx"),
            models.Index(fields=["mentor", "ended_at"], name="mentorassignment_mentor_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["entrepreneur"], condition=Q(ended_at__isnull=True), name="mentorassignment_one_active"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("assigned_at")),
                name="mentorassignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entrepreneur} → {self.mentor}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class MentoringSession(models.Model):
    """One mentoring contact. `notes` are internal: the entrepreneur never sees them."""

    class Mode(models.TextChoices):
        VISIT = "visit", _("Visit")
        PHONE = "phone", _("Phone / WhatsApp")
        ONLINE = "online", _("Online meeting")
        CLASS = "class", _("Class")

    class Topic(models.TextChoices):
        FINANCE = "finance", _("Finance")
        MARKETING = "marketing", _("Marketing")
        LICENSING = "licensing", _("Licensing")
        PRODUCTION = "production", _("Production")
        DIGITAL = "digital", _("Digital")

    entrepreneur = models.ForeignKey(
        Entrepreneur,
        on_delete=models.CASCADE,
        related_name="mentoring_sessions",
        verbose_name=_("entrepreneur"),
        db_index=False,  # mentoringsession_entr_idx starts with it
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentoring_sessions",
        verbose_name=_("mentor"),
        db_index=False,  # mentoringsession_mentor_idx starts with it
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.VISIT)
    # A list of Topic values (JSON: the same on SQLite and PostgreSQL).
    topics = models.JSONField(_("topics"), default=list, blank=True)
    notes = models.TextField(_("internal notes"), blank=True, help_text=_("Never shown to the entrepreneur."))
    next_step = models.CharField(_("agreed next step"), max_length=255, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")
        indexes = [
            models.Index(fields=["entrepreneur", "-date"], name="mentoringsession_entr_idx"),
            models.Index(fields=["mentor", "-date"], name="mentoringsession_mentor_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode__in=["visit", "phone", "online", "class"]), name="mentoringsession_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(next_step_due__isnull=True) | Q(next_step_due__gte=models.F("date")),
                name="mentoringsession_due_after_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entrepreneur} · {self.date:%Y-%m-%d}"

    def topic_labels(self) -> list[str]:
        labels = dict(self.Topic.choices)
        return [str(labels.get(topic, topic)) for topic in self.topics or []]


class MonthlyReportQuerySet(models.QuerySet):
    def for_period(self, period):
        return self.filter(period=period)


class MonthlyReport(models.Model):
    """One entrepreneur's business in one month (P6): turnover, assets (excluding land and
    buildings) and workers besides the owner. One per entrepreneur and month; corrections
    keep their history."""

    class FiledBy(models.TextChoices):
        SELF = "self", _("The entrepreneur")
        MENTOR = "mentor", _("Their mentor")
        IMPORT = "import", _("Sheet upload")

    entrepreneur = models.ForeignKey(
        Entrepreneur,
        on_delete=models.CASCADE,
        related_name="monthly_reports",
        verbose_name=_("entrepreneur"),
        db_index=False,  # monthlyreport_one_per_month starts with it
    )
    # The entrepreneur's kecamatan, copied (denormalised) so that centre staff's list reads
    # its first page from monthlyreport_kecamatan_idx instead of looking up the entrepreneur
    # of every report of the month. Set by every write of a report; follows a person who
    # moves in the same transaction (registrations.moves → growth.services.reports).
    kecamatan = models.ForeignKey(
        Kecamatan,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kecamatan"),
        editable=False,
        db_index=False,  # monthlyreport_kecamatan_idx starts with it
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    turnover = models.BigIntegerField(_("turnover (Rp)"), help_text=_("Omzet that month, in rupiah."))
    assets = models.BigIntegerField(
        _("assets (Rp)"), help_text=_("Modal usaha excluding land and buildings, in rupiah.")
    )
    workers = models.PositiveIntegerField(
        _("workers"), help_text=_("People working in the business besides the owner.")
    )
    filed_by = models.CharField(_("filed by"), max_length=6, choices=FiledBy.choices, default=FiledBy.SELF)
    filed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by (account)"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MonthlyReportQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], no_db_index=["filed_by_user", "kecamatan"])

    class Meta:
        ordering = ["-period", "-id"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        permissions = [("upload_monthlyreport", _("Can upload a month's sheet of reports"))]
        indexes = [
            # Reminders, outcomes and the admin list read a month across entrepreneurs.
            models.Index(fields=["period", "entrepreneur"], name="monthlyreport_period_idx"),
            # Centre staff's list: one kecamatan in the list's order (-period, -entrepreneur),
            # read backwards from the index.
            models.Index(fields=["kecamatan", "period", "entrepreneur"], name="monthlyreport_kecamatan_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["entrepreneur", "period"], name="monthlyreport_one_per_month"),
            models.CheckConstraint(
                condition=Q(turnover__gte=0, turnover__lte=MAX_AMOUNT), name="monthlyreport_turnover_range"
            ),
            models.CheckConstraint(
                condition=Q(assets__gte=0, assets__lte=MAX_AMOUNT), name="monthlyreport_assets_range"
            ),
            models.CheckConstraint(condition=Q(workers__lte=MAX_WORKERS), name="monthlyreport_workers_range"),
            models.CheckConstraint(condition=Q(period__day=1), name="monthlyreport_period_first_day"),
            models.CheckConstraint(
                condition=Q(period__gte=dt.date(*FIRST_PERIOD, 1)), name="monthlyreport_period_from_launch"
            ),
            models.CheckConstraint(
                condition=Q(filed_by__in=["self", "mentor", "import"]), name="monthlyreport_filed_by_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entrepreneur} · {self.period:%Y-%m}"


class ReminderSent(models.Model):
    """A monthly reminder queued (with its email, in the same transaction): to an
    entrepreneur who has not reported a month, or to a mentor with the list of their people
    who have not. One per person, month and kind, so a rerun sends nothing twice."""

    class Kind(models.TextChoices):
        ENTREPRENEUR = "entrepreneur", _("Entrepreneur: please report")
        MENTOR = "mentor", _("Mentor: who has not reported")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    period = models.DateField(_("month"))
    entrepreneur = models.ForeignKey(
        Entrepreneur,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entrepreneur"),
        db_index=False,  # reminder_once_per_entrepreneur starts with it
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor"),
        db_index=False,  # reminder_once_per_mentor starts with it
    )
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["entrepreneur", "period", "kind"],
                condition=Q(entrepreneur__isnull=False),
                name="reminder_once_per_entrepreneur",
            ),
            models.UniqueConstraint(
                fields=["mentor", "period", "kind"], condition=Q(mentor__isnull=False), name="reminder_once_per_mentor"
            ),
            models.CheckConstraint(
                condition=(Q(kind="entrepreneur", entrepreneur__isnull=False, mentor__isnull=True))
                | Q(kind="mentor", mentor__isnull=False, entrepreneur__isnull=True),
                name="reminder_one_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period:%Y-%m}"
