"""Reads of financing data: the applicant's facts for the eligibility rules, the
entrepreneur's own pages (/me/financing/), and the scoping layer.

Scoping is deny-by-default, like every app's, and the same as growth's (whose selectors
decide who is a mentor and what their caseload is): the Dinas (and superusers) see every
application, a mentor (pendamping) the applications of their caseload, centre staff those of
the kecamatan in their `kecamatan_scope`, anyone else nothing. Admin lists, change views,
actions, exports and the services all go through `applications_visible_to`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from financing.models import ApplicationStep, ExportLog, FinancingApplication, FinancingProduct, ReferralBatch
from financing.rules import ApplicantFacts, ProductTerms, Reason, eligibility
from growth.selectors import (
    ALL_ROWS,
    CASELOAD,
    KECAMATAN,
    entrepreneurs_of_mentor,
    growth_entrepreneurs_visible_to,
    growth_scope,
    reported_months,
    reports_of,
)
from registrations.models import Enrollment, Entrepreneur, User
from registrations.selectors import sees_everything

# --- the rules' inputs ---------------------------------------------------------------------------


def terms_of(product: FinancingProduct) -> ProductTerms:
    """The product's limits and rules as the pure rule functions read them (uses the
    prefetched `required_facilities` when there are some)."""
    return ProductTerms(
        id=product.pk,
        name=product.name,
        active=product.active,
        min_amount=product.min_amount,
        max_amount=product.max_amount,
        tenor_min_months=product.tenor_min_months,
        tenor_max_months=product.tenor_max_months,
        required_facilities=tuple(sorted(f.code for f in product.required_facilities.all())),
        min_reported_months=product.min_reported_months,
        requires_running_business=product.requires_running_business,
        requires_verified_registration=product.requires_verified_registration,
    )


def applicant_facts(entrepreneur: Entrepreneur) -> ApplicantFacts:
    """Everything the eligibility rules need to know about an applicant, in four queries:
    completed facilities, the P6 months reported in the last 12 (growth's selectors), those
    with turnover, and the products with an open application."""
    months = reported_months(entrepreneur, last=12)
    with_turnover = reports_of(entrepreneur).filter(period__in=months, turnover__gt=0).count() if months else 0
    return ApplicantFacts(
        registration_status=entrepreneur.status,
        track=entrepreneur.track,
        completed_facilities=frozenset(
            Enrollment.objects.completed().filter(entrepreneur=entrepreneur).values_list("facility_id", flat=True)
        ),
        reported_months=len(months),
        months_with_turnover=with_turnover,
        open_products=frozenset(
            FinancingApplication.objects.open().filter(entrepreneur=entrepreneur).values_list("product_id", flat=True)
        ),
    )


def products_with_terms() -> QuerySet:
    return FinancingProduct.objects.prefetch_related("required_facilities")


@dataclass
class ProductOffer:
    product: FinancingProduct
    terms: ProductTerms
    reasons: list[Reason]

    @property
    def eligible(self) -> bool:
        return not self.reasons


def me_offers(*, entrepreneur: Entrepreneur, facts: ApplicantFacts | None = None) -> list[ProductOffer]:
    """The active products, each with why the entrepreneur may not apply yet (if so)."""
    facts = facts or applicant_facts(entrepreneur)
    offers = []
    for product in products_with_terms().active().order_by("max_amount", "name"):
        terms = terms_of(product)
        offers.append(ProductOffer(product=product, terms=terms, reasons=eligibility(terms, facts)))
    return offers


def me_applications(*, entrepreneur: Entrepreneur, limit: int = 50) -> list[FinancingApplication]:
    """The entrepreneur's own applications, newest first, with their steps."""
    return list(
        FinancingApplication.objects.filter(entrepreneur=entrepreneur)
        .select_related("product")
        .prefetch_related(Prefetch("steps", queryset=ApplicationStep.objects.order_by("at", "id")))
        .order_by("-submitted_at", "-id")[:limit]
    )


# --- staff scoping -------------------------------------------------------------------------------


def entrepreneurs_in_financing_scope(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    """The people a staff member may apply for and whose applications they handle: growth's
    scope (all for the Dinas, the kecamatan for centre staff, the caseload for a mentor)."""
    return growth_entrepreneurs_visible_to(user, queryset)


def applications_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    qs = FinancingApplication.objects.all() if queryset is None else queryset
    kind, codes = growth_scope(user)
    if kind == ALL_ROWS:
        return qs
    if kind == KECAMATAN:
        return qs.filter(entrepreneur__kecamatan_id__in=sorted(codes))
    if kind == CASELOAD:
        return qs.filter(entrepreneur__in=entrepreneurs_of_mentor(user).values("pk"))
    return qs.none()


def steps_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    qs = ApplicationStep.objects.all() if queryset is None else queryset
    return qs.filter(application__in=applications_visible_to(user).values("pk")) if not sees_everything(user) else qs


def batches_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    """Referral batches carry many kecamatan's personal data for a bank: the Dinas only."""
    qs = ReferralBatch.objects.all() if queryset is None else queryset
    return qs if sees_everything(user) else qs.none()


def export_logs_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    qs = ExportLog.objects.all() if queryset is None else queryset
    return qs if sees_everything(user) else qs.none()


def products_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    """Products are reference data: every staff member with the view permission reads them."""
    return FinancingProduct.objects.all() if queryset is None else queryset
