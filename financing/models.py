"""P7 Permodalan: financing products (reference data with their eligibility rules as data),
applications tracked from submission to disbursement and repayment, the step log, the
monthly repayment status, bank referral batches and the log of every file exchanged."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility
from registrations.models import Entrepreneur

# Rupiah amounts: whole rupiah, up to Rp 1 trillion (the portal's ceiling for any amount).
AMOUNT_DIGITS = 14
MAX_AMOUNT = 10**12


class FinancingProductQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class FinancingProduct(models.Model):
    """A loan product a bank offers to members, with its limits and eligibility rules.

    The rules are data (edited by the Dinas in the admin) and evaluated by
    `financing.rules.eligibility`: completed facilities, a minimum number of months of P6
    reports in the last 12, a running business, a verified registration."""

    name = models.CharField(_("name"), max_length=150)
    provider = models.CharField(_("provider (bank)"), max_length=100)
    min_amount = models.DecimalField(_("minimum amount (Rp)"), max_digits=AMOUNT_DIGITS, decimal_places=0)
    max_amount = models.DecimalField(_("maximum amount (Rp)"), max_digits=AMOUNT_DIGITS, decimal_places=0)
    interest_rate = models.DecimalField(_("interest rate (% per year)"), max_digits=5, decimal_places=2)
    tenor_min_months = models.PositiveSmallIntegerField(_("shortest tenor (months)"), default=1)
    tenor_max_months = models.PositiveSmallIntegerField(_("longest tenor (months)"))
    secured = models.BooleanField(_("collateral required"), default=False)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("open for applications"), default=True)
    # Eligibility rules.
    required_facilities = models.ManyToManyField(
        Facility,
        blank=True,
        related_name="+",
        verbose_name=_("facilities to complete first"),
        help_text=_("The applicant must have completed each of these facilities."),
    )
    min_reported_months = models.PositiveSmallIntegerField(
        _("months of P6 reports required"),
        default=0,
        help_text=_("Monthly business reports (P6) the applicant must have filed in the last 12 months."),
    )
    requires_running_business = models.BooleanField(
        _("running business required"),
        default=False,
        help_text=_("Only for an existing business: the naik kelas track, or turnover reported in the last 12 months."),
    )
    requires_verified_registration = models.BooleanField(
        _("verified registration required"),
        default=True,
        help_text=_("The applicant's registration must have been verified by their centre."),
    )
    source = models.CharField(_("source of these terms"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FinancingProductQuerySet.as_manager()

    class Meta:
        ordering = ["provider", "name"]
        verbose_name = _("financing product")
        verbose_name_plural = _("financing products")
        constraints = [
            models.CheckConstraint(condition=Q(min_amount__gt=0), name="finproduct_min_amount_positive"),
            models.CheckConstraint(condition=Q(max_amount__gte=F("min_amount")), name="finproduct_amount_range"),
            models.CheckConstraint(condition=Q(max_amount__lte=MAX_AMOUNT), name="finproduct_max_amount_sane"),
            models.CheckConstraint(
                condition=Q(interest_rate__gte=0, interest_rate__lte=100), name="finproduct_interest_sane"
            ),
            models.CheckConstraint(condition=Q(tenor_min_months__gte=1), name="finproduct_tenor_min_positive"),
            models.CheckConstraint(
                condition=Q(tenor_max_months__gte=F("tenor_min_months"), tenor_max_months__lte=360),
                name="finproduct_tenor_range",
            ),
            models.CheckConstraint(condition=Q(min_reported_months__lte=12), name="finproduct_reported_months_le_12"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=FinancingApplication.OPEN_STATUSES)


class FinancingApplication(models.Model):
    """An entrepreneur's application for one product, through its lifecycle:
    submitted → verified (centre staff or mentor) → referred (in a bank's referral batch) →
    approved / rejected (the bank) → disbursed → repaying / repaid / in arrears; an open
    application can be withdrawn (cancelled)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        REFERRED = "referred", _("Referred to the bank")
        APPROVED = "approved", _("Approved by the bank")
        REJECTED = "rejected", _("Rejected by the bank")
        DISBURSED = "disbursed", _("Disbursed")
        REPAYING = "repaying", _("Repaying")
        REPAID = "repaid", _("Repaid")
        ARREARS = "arrears", _("In arrears")
        CANCELLED = "cancelled", _("Cancelled")

    class SubmittedBy(models.TextChoices):
        SELF = "self", _("The entrepreneur")
        MENTOR = "mentor", _("Their mentor")
        STAFF = "staff", _("Centre or Dinas staff")

    # Before the bank's money reaches the entrepreneur: one per product at a time.
    OPEN_STATUSES = ("submitted", "verified", "referred", "approved")
    DISBURSED_STATUSES = ("disbursed", "repaying", "repaid", "arrears")
    TRANSITIONS = {
        "submitted": ("verified", "cancelled"),
        "verified": ("referred", "cancelled"),
        "referred": ("approved", "rejected"),
        "approved": ("disbursed", "cancelled"),
        "rejected": (),
        "disbursed": ("repaying", "repaid", "arrears"),
        "repaying": ("repaid", "arrears"),
        "arrears": ("repaying", "repaid"),
        "repaid": (),
        "cancelled": (),
    }

    entrepreneur = models.ForeignKey(
        Entrepreneur, on_delete=models.CASCADE, related_name="financing_applications", verbose_name=_("entrepreneur")
    )
    product = models.ForeignKey(
        FinancingProduct, on_delete=models.PROTECT, related_name="applications", verbose_name=_("product")
    )
    amount = models.DecimalField(_("amount requested (Rp)"), max_digits=AMOUNT_DIGITS, decimal_places=0)
    tenor_months = models.PositiveSmallIntegerField(_("tenor (months)"))
    purpose = models.TextField(_("purpose"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by_kind = models.CharField(
        _("submitted by"), max_length=6, choices=SubmittedBy.choices, default=SubmittedBy.SELF
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by (account)"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    batch = models.ForeignKey(
        "ReferralBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("referral batch"),
    )
    # The bank's decision.
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    approved_amount = models.DecimalField(
        _("approved amount (Rp)"), max_digits=AMOUNT_DIGITS, decimal_places=0, null=True, blank=True
    )
    decision_reason = models.TextField(_("bank's reason"), blank=True)
    # The money.
    disbursed_amount = models.DecimalField(
        _("disbursed amount (Rp)"), max_digits=AMOUNT_DIGITS, decimal_places=0, null=True, blank=True
    )
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("financing application")
        verbose_name_plural = _("financing applications")
        indexes = [
            models.Index(fields=["-submitted_at", "-id"], name="finapp_submitted_idx"),
            models.Index(fields=["status", "product"], name="finapp_status_product_idx"),
            models.Index(fields=["entrepreneur", "-submitted_at"], name="finapp_entr_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["entrepreneur", "product"],
                condition=Q(status__in=["submitted", "verified", "referred", "approved"]),
                name="finapp_one_open_per_product",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "submitted",
                        "verified",
                        "referred",
                        "approved",
                        "rejected",
                        "disbursed",
                        "repaying",
                        "repaid",
                        "arrears",
                        "cancelled",
                    ]
                ),
                name="finapp_status_valid",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0, amount__lte=MAX_AMOUNT), name="finapp_amount_positive"),
            models.CheckConstraint(condition=Q(tenor_months__gte=1), name="finapp_tenor_positive"),
            models.CheckConstraint(
                condition=Q(disbursed_amount__isnull=True)
                | Q(approved_amount__isnull=False, disbursed_amount__gt=0, disbursed_amount__lte=F("approved_amount")),
                name="finapp_disbursed_le_approved",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gt=0),
                name="finapp_approved_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.entrepreneur} – {self.product.name}"

    @property
    def reference(self) -> str:
        """The application's reference in the bank's files."""
        return reference_of(self.pk)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())

    @property
    def withdrawable_by_entrepreneur(self) -> bool:
        """Until the bank has it, the entrepreneur may withdraw; afterwards they tell the bank."""
        return self.status in (self.Status.SUBMITTED, self.Status.VERIFIED)


REFERENCE_PREFIX = "JP7-"


def reference_of(pk: int | None) -> str:
    return f"{REFERENCE_PREFIX}{pk:07d}" if pk else ""


class ApplicationStep(models.Model):
    """One step of an application: who, when, from, to and why. Written by the services."""

    application = models.ForeignKey(
        FinancingApplication, on_delete=models.CASCADE, related_name="steps", verbose_name=_("application")
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
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return FinancingApplication.Status(self.to_status).label


class RepaymentStatus(models.Model):
    """The repayment status of a disbursed loan in one month, as the bank or centre reports it."""

    class Status(models.TextChoices):
        REPAYING = "repaying", _("Repaying")
        REPAID = "repaid", _("Repaid")
        ARREARS = "arrears", _("In arrears")

    application = models.ForeignKey(
        FinancingApplication, on_delete=models.CASCADE, related_name="repayments", verbose_name=_("application")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["application", "month"]
        verbose_name = _("repayment status")
        verbose_name_plural = _("repayment statuses")
        constraints = [
            models.UniqueConstraint(fields=["application", "month"], name="repayment_once_per_month"),
            models.CheckConstraint(condition=Q(status__in=["repaying", "repaid", "arrears"]), name="repayment_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.get_status_display()}"


class ReferralBatch(models.Model):
    """Verified applications referred to one bank together, exchanged as files: the batch goes
    out as XLSX, the bank's decisions come back as CSV or XLSX."""

    provider = models.CharField(_("bank"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    exported_at = models.DateTimeField(_("last exported at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral batch")
        verbose_name_plural = _("referral batches")
        permissions = [
            ("export_referralbatch", _("Can export a referral batch with personal data for its bank")),
            ("import_decisions", _("Can import a bank's decision file")),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.provider} ({self.created_at:%Y-%m-%d})"


class ExportLog(models.Model):
    """Every file of a referral batch that left or entered the portal: who, when, which batch."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Batch exported (XLSX)")
        DECISIONS = "decisions", _("Decision file imported")

    batch = models.ForeignKey(ReferralBatch, on_delete=models.PROTECT, related_name="logs", verbose_name=_("batch"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    changed = models.PositiveIntegerField(_("applications changed"), default=0)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("batch file log")
        verbose_name_plural = _("batch file logs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.batch_id} {self.at:%Y-%m-%d %H:%M}"
