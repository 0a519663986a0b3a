"""The catalogue: Jakarta's regions (Kemendagri codes), the 44 centres, the seven
facilities P1–P7 and the activities (classes, mentoring sessions, bazaars) they run."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Kota(models.Model):
    """A kota/kabupaten administrasi, e.g. 31.71 Jakarta Pusat."""

    code = models.CharField(_("Kemendagri code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kota/kabupaten")
        verbose_name_plural = _("kota/kabupaten")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^31\.[0-9]{2}$"), name="kota_code_format"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return self.name.replace("Kota Administrasi ", "").replace("Kabupaten Administrasi ", "")


class Kecamatan(models.Model):
    code = models.CharField(_("Kemendagri code"), max_length=8, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    kota = models.ForeignKey(Kota, on_delete=models.PROTECT, related_name="kecamatan_set", verbose_name=_("kota"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^31\.[0-9]{2}\.[0-9]{2}$"), name="kecamatan_code_format"),
        ]

    def __str__(self) -> str:
        return self.name


class Kelurahan(models.Model):
    code = models.CharField(_("Kemendagri code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="kelurahan_set", verbose_name=_("kecamatan")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^31\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"), name="kelurahan_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CenterQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Center(models.Model):
    """The JakPreneur centre of one kecamatan (exactly one per kecamatan)."""

    kecamatan = models.OneToOneField(
        Kecamatan, on_delete=models.PROTECT, related_name="center", verbose_name=_("kecamatan")
    )
    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = CenterQuerySet.as_manager()

    class Meta:
        ordering = ["kecamatan_id"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")

    def __str__(self) -> str:
        return self.name


class Facility(models.Model):
    """One of the seven facilities of "7 Langkah PAS" (P1–P7)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    summary_id = models.CharField(_("one-line summary (Indonesian)"), max_length=255)
    summary_en = models.CharField(_("one-line summary (English)"), max_length=255)
    description_id = models.TextField(_("description (Indonesian)"))
    description_en = models.TextField(_("description (English)"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^P[1-7]$"), name="facility_code_format"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id

    @property
    def summary(self) -> str:
        return self.summary_en if (get_language() or "id").startswith("en") else self.summary_id

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "id").startswith("en") else self.description_id


class ActivityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def upcoming(self, *, now=None):
        return self.filter(starts_at__gte=now or timezone.now())

    def open_for_signup(self, *, now=None):
        now = now or timezone.now()
        return self.published().filter(registration_deadline__gte=now, starts_at__gte=now)


class Activity(models.Model):
    """A class, mentoring session or bazaar of one facility, at one centre or province-wide."""

    class Kind(models.TextChoices):
        CLASS = "class", _("Class")
        MENTORING = "mentoring", _("Mentoring session")
        BAZAAR = "bazaar", _("Bazaar")
        CLINIC = "clinic", _("Licensing clinic")
        OTHER = "other", _("Other")

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="activities", verbose_name=_("facility")
    )
    center = models.ForeignKey(
        Center,
        on_delete=models.PROTECT,
        related_name="activities",
        null=True,
        blank=True,
        verbose_name=_("centre"),
        help_text=_("Leave empty for a province-wide activity."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CLASS)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=255, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"))
    registration_deadline = models.DateTimeField(_("registration deadline"))
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["center", "starts_at"], name="activity_center_start_idx"),
            models.Index(fields=["starts_at"], name="activity_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="activity_capacity_positive"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(
                condition=Q(registration_deadline__lte=F("starts_at")), name="activity_deadline_before_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title
