"""The people: staff and entrepreneur accounts, entrepreneurs, their businesses, their
enrolments into facilities (with a state machine and a status log), attendance, and the
import jobs that bring legacy files in."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from facilities.models import Activity, Center, Facility, Kecamatan, Kelurahan
from jakpreneur.storage import private_storage
from registrations import masking


class EmailUserManager(UserManager):
    """Users log in with their email address; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account: an entrepreneur (no admin access) or a staff member.

    Centre staff see the kecamatan listed in `kecamatan_scope` only; what a role may do is
    expressed by its group (dinas_admin, center_staff, official).
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    kecamatan_scope = models.ManyToManyField(
        Kecamatan,
        blank=True,
        related_name="staff",
        verbose_name=_("kecamatan in scope"),
        help_text=_("Centre staff see and manage the entrepreneurs of these kecamatan only."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email


class EntrepreneurQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Entrepreneur.Status.SUBMITTED)

    def verified(self):
        return self.filter(status=Entrepreneur.Status.VERIFIED)

    def rejected(self):
        return self.filter(status=Entrepreneur.Status.REJECTED)

    def counted(self):
        """Entrepreneurs that count as registered (P1) for the RPJMD indicator."""
        return self.exclude(status=Entrepreneur.Status.REJECTED)

    def in_kecamatan(self, codes):
        return self.filter(kecamatan_id__in=codes)

    def contactable(self):
        """People the portal may write to beyond what their own requests need (reminders,
        invitations, newsletters): consent not withdrawn, not anonymised, an address on file.
        Every app that sends such messages selects its recipients through this."""
        return self.filter(consent_withdrawn_at__isnull=True, anonymised_at__isnull=True).exclude(email="")

    def anonymised(self):
        return self.filter(anonymised_at__isnull=False)


class Entrepreneur(models.Model):
    class Gender(models.TextChoices):
        MALE = "L", _("Male (laki-laki)")
        FEMALE = "P", _("Female (perempuan)")

    class Track(models.TextChoices):
        PEMULA = "pemula", _("Pemula (starting out, no business yet)")
        NAIK_KELAS = "naik_kelas", _("Naik kelas (growing an existing business)")

    # The tracks' names alone, for lists where the explanation would wrap every row.
    TRACK_SHORT_LABELS = {Track.PEMULA: _("Pemula"), Track.NAIK_KELAS: _("Naik kelas")}

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    class Source(models.TextChoices):
        SELF = "self", _("Self-registration")
        STAFF = "staff", _("Registered by centre staff")
        IMPORT = "import", _("Imported (OK OCE / spreadsheet)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entrepreneur",
        verbose_name=_("account"),
    )
    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    birth_date = models.DateField(_("birth date"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    phone = models.CharField(
        _("mobile phone"), max_length=16, help_text=_("Stored in E.164 form, e.g. +6281234567890.")
    )
    email = models.EmailField(_("email"), blank=True)
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="+", verbose_name=_("kelurahan"))
    # Denormalised from the kelurahan so that scoping and aggregates avoid a join at scale.
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="+", verbose_name=_("kecamatan"))
    address = models.CharField(_("address"), max_length=255)
    home_center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="entrepreneurs", verbose_name=_("home centre")
    )
    track = models.CharField(_("track"), max_length=12, choices=Track.choices, default=Track.PEMULA)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    status_reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.SELF)
    legacy_id = models.CharField(_("legacy OK OCE id"), max_length=40, null=True, blank=True, unique=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    # UU 27/2022: consent can be withdrawn at any time; the record stays (the programme's
    # own tasks go on), but nothing optional is sent any more (EntrepreneurQuerySet.contactable).
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    # Set when a deletion request was carried out: the identifying fields are placeholders.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EntrepreneurQuerySet.as_manager()
    # History is read per entrepreneur (id) and by date; the foreign keys copied into the
    # history table need no index of their own, and each one costs every import and update.
    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["kelurahan", "kecamatan", "home_center", "status_changed_by", "user", "legacy_id"],
    )

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("entrepreneur")
        verbose_name_plural = _("entrepreneurs")
        # Granted to roles in jakpreneur/access.py.
        permissions = [
            ("view_personal_data", _("Can see unmasked NIK, phone and birth date")),
            ("export_entrepreneur", _("Can export entrepreneurs (CSV, XLSX)")),
            ("import_entrepreneur", _("Can import entrepreneurs from legacy files")),
        ]
        indexes = [
            models.Index(fields=["-registered_at", "-id"], name="entr_registered_idx"),
            models.Index(fields=["kecamatan", "status"], name="entr_kec_status_idx"),
            # The centre staff's list: one kecamatan in the default order, read from the index.
            models.Index(fields=["kecamatan", "-registered_at", "-id"], name="entr_kec_registered_idx"),
            models.Index(fields=["status", "registered_at"], name="entr_status_reg_idx"),
            models.Index(fields=["phone"], name="entr_phone_idx"),
            models.Index(fields=["birth_date"], name="entr_birth_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(nik__regex=r"^[0-9]{16}$"), name="entrepreneur_nik_16_digits"),
            models.CheckConstraint(condition=Q(gender__in=["L", "P"]), name="entrepreneur_gender_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "verified", "rejected"]), name="entrepreneur_status_valid"
            ),
            models.CheckConstraint(condition=Q(track__in=["pemula", "naik_kelas"]), name="entrepreneur_track_valid"),
            models.CheckConstraint(condition=Q(phone__regex=r"^\+628[0-9]{8,11}$"), name="entrepreneur_phone_e164"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def masked_nik(self) -> str:
        return masking.mask_nik(self.nik)

    @property
    def masked_phone(self) -> str:
        return masking.mask_phone(self.phone)


class Business(models.Model):
    class Sector(models.TextChoices):
        CULINARY = "kuliner", _("Culinary (food and drink)")
        FASHION = "fesyen", _("Fashion")
        CRAFT = "kriya", _("Crafts")
        SERVICES = "jasa", _("Services")
        TRADE = "perdagangan", _("Trade / retail")
        AGRI = "agribisnis", _("Agribusiness and fisheries")
        CREATIVE = "kreatif", _("Creative and digital")
        BEAUTY = "kecantikan", _("Beauty and health")
        OTHER = "lainnya", _("Other")

    class TurnoverBand(models.TextChoices):
        NONE = "none", _("No turnover yet")
        UNDER_5M = "lt5jt", _("Under Rp 5 million per month")
        FROM_5_TO_25M = "5-25jt", _("Rp 5–25 million per month")
        FROM_25_TO_100M = "25-100jt", _("Rp 25–100 million per month")
        FROM_100_TO_250M = "100-250jt", _("Rp 100–250 million per month")
        OVER_250M = "gt250jt", _("Over Rp 250 million per month")

    class AssetBand(models.TextChoices):
        UNDER_50M = "lt50jt", _("Under Rp 50 million")
        FROM_50_TO_500M = "50-500jt", _("Rp 50–500 million")
        FROM_500M_TO_10B = "500jt-10m", _("Rp 500 million – 10 billion")
        OVER_10B = "gt10m", _("Over Rp 10 billion")

    entrepreneur = models.OneToOneField(
        Entrepreneur, on_delete=models.CASCADE, related_name="business", verbose_name=_("entrepreneur")
    )
    name = models.CharField(_("business name"), max_length=150, blank=True)
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices, default=Sector.OTHER)
    started_year = models.PositiveSmallIntegerField(_("year started"), null=True, blank=True)
    nib = models.CharField(
        _("NIB"), max_length=13, blank=True, help_text=_("Nomor Induk Berusaha from OSS, 13 digits.")
    )
    workers = models.PositiveIntegerField(_("workers"), default=0)
    turnover_band = models.CharField(
        _("monthly turnover"), max_length=10, choices=TurnoverBand.choices, default=TurnoverBand.NONE
    )
    asset_band = models.CharField(_("assets"), max_length=10, choices=AssetBand.choices, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        indexes = [models.Index(fields=["sector"], name="business_sector_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(nib="") | Q(nib__regex=r"^[0-9]{13}$"), name="business_nib_13_digits"),
            models.CheckConstraint(
                condition=Q(started_year__isnull=True) | Q(started_year__gte=1900), name="business_started_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.entrepreneur)


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
