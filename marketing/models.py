"""P5 Pemasaran: an entrepreneur's products and their photos, the Dinas's curation rounds,
the submissions moving through the documented steps with a log, and the certificates.

A product's place in the public e-katalog is denormalised onto it (`catalogue_grade`,
`catalogue_since`), written by the grading service from the product's latest graded
submission, so the catalogue is one indexed read whatever the number of rounds."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations.models import Business, Entrepreneur

PRICE_MAX = 10**12  # Rp 1 trillion: anything above is a typing error
PHOTOS_MAX = 5


class Grade(models.TextChoices):
    A = "A", _("A – priority for exhibitions and e-Order")
    B = "B", _("B – ready for bazaars")
    C = "C", _("C – needs further mentoring")


LISTED_GRADES = (Grade.A, Grade.B)


class ProductQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def in_catalogue(self):
        """Graded A or B in their latest curation, and not withdrawn."""
        return self.filter(catalogue_grade__in=LISTED_GRADES, withdrawn_at__isnull=True)


class Product(models.Model):
    entrepreneur = models.ForeignKey(
        Entrepreneur, on_delete=models.CASCADE, related_name="products", verbose_name=_("entrepreneur")
    )
    name = models.CharField(_("product name"), max_length=120)
    category = models.CharField(_("category"), max_length=12, choices=Business.Sector.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    price = models.DecimalField(_("price (Rp)"), max_digits=15, decimal_places=0)
    unit = models.CharField(_("unit"), max_length=30, help_text=_("For example pcs, pack, kg, botol."))
    pirt_number = models.CharField(_("SPP-IRT / PIRT number"), max_length=60, blank=True)
    halal_number = models.CharField(_("halal certificate number"), max_length=60, blank=True)
    bpom_number = models.CharField(_("BPOM registration number"), max_length=60, blank=True)
    trademark = models.CharField(_("trademark"), max_length=120, blank=True)
    show_whatsapp = models.BooleanField(
        _("show my WhatsApp number in the e-katalog"),
        default=False,
        help_text=_("Buyers of a curated product can then chat with you on WhatsApp."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Written by the grading service: the grade of the latest graded submission and when.
    catalogue_grade = models.CharField(_("latest curation grade"), max_length=1, choices=Grade.choices, blank=True)
    catalogue_since = models.DateTimeField(_("graded at"), null=True, blank=True)
    # Lower-case name, description, category and business name: what ?q= searches (a
    # trigram index on PostgreSQL, see migration 0002), kept by the product services.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            models.Index(fields=["entrepreneur", "-created_at"], name="product_entr_idx"),
            models.Index(
                fields=["-catalogue_since", "-id"],
                condition=Q(catalogue_grade__in=["A", "B"], withdrawn_at__isnull=True),
                name="product_catalogue_new_idx",
            ),
            models.Index(
                fields=["price", "id"],
                condition=Q(catalogue_grade__in=["A", "B"], withdrawn_at__isnull=True),
                name="product_catalogue_price_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0) & Q(price__lte=PRICE_MAX), name="product_price_positive"),
            models.CheckConstraint(
                condition=Q(catalogue_grade__in=["", "A", "B", "C"]), name="product_catalogue_grade_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def in_catalogue(self) -> bool:
        return self.catalogue_grade in LISTED_GRADES and self.withdrawn_at is None

    @property
    def permits(self) -> list[tuple[str, str]]:
        """(label, number) of the permits the product holds."""
        fields = ("pirt_number", "halal_number", "bpom_number", "trademark")
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name)) for name in fields if getattr(self, name)
        ]


class ProductPhoto(models.Model):
    """A photo as the portal re-encoded it: a display image and a thumbnail, never the upload."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos", verbose_name=_("product"))
    image = models.FileField(_("image"), max_length=200)
    thumbnail = models.FileField(_("thumbnail"), max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    thumb_width = models.PositiveIntegerField(_("thumbnail width"))
    thumb_height = models.PositiveIntegerField(_("thumbnail height"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["product", "order", "id"]
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def __str__(self) -> str:
        return f"{self.product} #{self.order + 1}"


class CurationRoundQuerySet(models.QuerySet):
    def open_for_submissions(self, *, now=None):
        now = now or timezone.now()
        return self.filter(status=CurationRound.Status.OPEN, submission_deadline__gte=now)


class CurationRound(models.Model):
    """A curation call of the Dinas: criteria, categories, quota, deadline, date and place,
    and the curators (staff accounts) who grade it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (not shown)")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=150)
    criteria = models.TextField(_("criteria"))
    categories = models.JSONField(
        _("categories accepted"), default=list, blank=True, help_text=_("None selected: every category.")
    )
    quota = models.PositiveIntegerField(_("quota (products)"))
    submission_deadline = models.DateTimeField(_("submission deadline"))
    curation_date = models.DateTimeField(_("curation date"))
    curation_place = models.CharField(_("curation place"), max_length=200)
    curators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="curation_rounds",
        blank=True,
        verbose_name=_("curators"),
        limit_choices_to={"is_staff": True, "is_active": True},
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CurationRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-submission_deadline", "-id"]
        verbose_name = _("curation round")
        verbose_name_plural = _("curation rounds")
        constraints = [
            models.CheckConstraint(condition=Q(quota__gt=0), name="curationround_quota_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "closed"]), name="curationround_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def accepts_category(self, category: str) -> bool:
        return not self.categories or category in self.categories


class Submission(models.Model):
    """A product submitted to a round, moving submitted → verified (the mentor) → validated
    (centre staff of the kecamatan) → forwarded (the Dinas) → graded (a curator of the
    round), or returned with a reason at any step. Each step is logged in SubmissionStep."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified by the mentor")
        VALIDATED = "validated", _("Validated by the centre")
        FORWARDED = "forwarded", _("Forwarded to the curators")
        GRADED = "graded", _("Graded")
        RETURNED = "returned", _("Returned")

    # The step each status leads to, and who takes it (see marketing.services).
    NEXT = {"submitted": "verified", "verified": "validated", "validated": "forwarded", "forwarded": "graded"}
    OPEN_STATUSES = ("submitted", "verified", "validated", "forwarded")

    round = models.ForeignKey(
        CurationRound, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("curation round")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("product")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    notes = models.TextField(_("curator's notes"), blank=True)
    return_reason = models.TextField(_("reason returned"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # When each step was taken (who and why: SubmissionStep).
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("curation submission")
        verbose_name_plural = _("curation submissions")
        permissions = [
            ("verify_submission", _("Can verify submissions (mentor)")),
            ("validate_submission", _("Can validate submissions (centre)")),
            ("forward_submission", _("Can forward submissions to the curators (Dinas)")),
            ("grade_submission", _("Can grade submissions (curator of the round)")),
            ("return_submission", _("Can return submissions with a reason")),
            ("export_submission", _("Can export curation results")),
        ]
        indexes = [
            models.Index(fields=["round", "status"], name="submission_round_status_idx"),
            models.Index(fields=["status", "-submitted_at"], name="submission_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["round", "product"], name="submission_once_per_round"),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "verified", "validated", "forwarded", "graded", "returned"]),
                name="submission_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(status="graded") & Q(grade__in=["A", "B", "C"])) | (~Q(status="graded") & Q(grade="")),
                name="submission_grade_only_when_graded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} – {self.round}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class SubmissionStep(models.Model):
    """One step of a submission: who, when, from, to and why. Written by the services."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="steps", verbose_name=_("submission")
    )
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason or notes"), blank=True)

    class Meta:
        ordering = ["submission", "at", "id"]
        verbose_name = _("submission step")
        verbose_name_plural = _("submission steps")

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class Certificate(models.Model):
    """The curation certificate of a graded submission; `code` is printed on it and opens
    the public verification page (unguessable: 120 random bits)."""

    submission = models.OneToOneField(
        Submission, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("submission")
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [models.CheckConstraint(condition=Q(code__regex=r"^[A-Z2-7]{24}$"), name="certificate_code_form")]

    def __str__(self) -> str:
        return self.code
