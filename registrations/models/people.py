"""Accounts and the people: staff and entrepreneur accounts, entrepreneurs and their businesses."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from facilities.models import Center, Kecamatan, Kelurahan
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
