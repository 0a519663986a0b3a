"""Reads of marketing data: the entrepreneur's own (/me/), the staff scoping layer, the
public catalogue and the certificate check.

Scoping is deny-by-default and by role, and a user with several roles sees the union:
- the Dinas (and superusers): everything;
- centre staff: products and submissions of entrepreneurs of their kecamatan;
- a mentor (pendamping): those of their caseload (`growth.selectors.entrepreneurs_of_mentor`);
- a curator: the submissions of the rounds they are listed on, once forwarded;
- anyone else: nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from jakpreneur.access import CURATOR, PENDAMPING
from marketing.models import Certificate, CurationRound, Product, ProductPhoto, Submission, SubmissionStep
from registrations.personal_data import json_value
from registrations.selectors import kecamatan_codes_for

# --- roles -----------------------------------------------------------------------------------

_ROLES_ATTR = "_jakpreneur_marketing_roles"


def _roles(user) -> frozenset[str]:
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return frozenset()
    if not hasattr(user, _ROLES_ATTR):
        setattr(user, _ROLES_ATTR, frozenset(user.groups.values_list("name", flat=True)))
    return getattr(user, _ROLES_ATTR)


def _caseload(user) -> QuerySet:
    from growth.selectors import entrepreneurs_of_mentor

    return entrepreneurs_of_mentor(user).values("pk")


def _entrepreneur_scope(user, prefix: str) -> Q | None:
    """None: everything; else the condition (possibly matching nothing)."""
    codes = kecamatan_codes_for(user)
    if codes is None:
        return None
    condition = Q(pk__in=[])
    if codes:
        condition |= Q(**{f"{prefix}entrepreneur__kecamatan_id__in": sorted(codes)})
    if PENDAMPING in _roles(user):
        condition |= Q(**{f"{prefix}entrepreneur__in": _caseload(user)})
    return condition


def products_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Product.objects.all() if queryset is None else queryset
    condition = _entrepreneur_scope(user, "")
    if condition is None:
        return qs
    if CURATOR in _roles(user):
        condition |= Q(submissions__round__curators=user, submissions__forwarded_at__isnull=False)
        return qs.filter(pk__in=Product.objects.filter(condition).values("pk"))
    return qs.filter(condition)


def submissions_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Submission.objects.all() if queryset is None else queryset
    condition = _entrepreneur_scope(user, "product__")
    if condition is None:
        return qs
    if CURATOR in _roles(user):
        condition |= Q(round__in=CurationRound.objects.filter(curators=user).values("pk"), forwarded_at__isnull=False)
    return qs.filter(condition)


def steps_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = SubmissionStep.objects.all() if queryset is None else queryset
    return qs.filter(submission__in=submissions_visible_to(user).values("pk"))


def rounds_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """The Dinas: every round; centre staff and mentors: rounds once published; curators:
    the rounds they are listed on."""
    qs = CurationRound.objects.all() if queryset is None else queryset
    codes = kecamatan_codes_for(user)
    if codes is None:
        return qs
    roles = _roles(user)
    condition = Q(pk__in=[])
    if codes or PENDAMPING in roles:
        condition |= ~Q(status=CurationRound.Status.DRAFT)
    if CURATOR in roles:
        condition |= Q(pk__in=CurationRound.objects.filter(curators=user).values("pk"))
    return qs.filter(condition)


def certificates_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Certificate.objects.all() if queryset is None else queryset
    return qs.filter(submission__in=submissions_visible_to(user).values("pk"))


# --- the entrepreneur's own --------------------------------------------------------------------


def me_products(*, entrepreneur) -> list[Product]:
    """The entrepreneur's products, newest first, with their photos (two queries)."""
    return list(
        Product.objects.filter(entrepreneur=entrepreneur)
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("order", "id")))
        .order_by("withdrawn_at", "-created_at", "-id")
    )


def me_product_queryset(*, entrepreneur) -> QuerySet:
    return Product.objects.filter(entrepreneur=entrepreneur)


def me_submission_queryset(*, entrepreneur) -> QuerySet:
    return Submission.objects.filter(product__entrepreneur=entrepreneur)


@dataclass
class RoundOffer:
    round: CurationRound
    free_places: int
    eligible: list[Product]  # products that may still be submitted to it


def me_curation(*, entrepreneur, now=None) -> dict:
    """/me/curation/: the open rounds (with what may be submitted) and the entrepreneur's
    submissions with their status and certificate. A fixed number of queries."""
    now = now or timezone.now()
    products = [p for p in me_products(entrepreneur=entrepreneur) if p.withdrawn_at is None]
    submissions = list(
        me_submission_queryset(entrepreneur=entrepreneur)
        .select_related("round", "product", "certificate")
        .order_by("-submitted_at", "-id")[:50]
    )
    rounds = list(
        CurationRound.objects.open_for_submissions(now=now)
        .annotate(taken=Count("submissions", filter=~Q(submissions__status=Submission.Status.RETURNED)))
        .order_by("submission_deadline", "id")[:20]
    )
    submitted_pairs = set(
        me_submission_queryset(entrepreneur=entrepreneur)
        .filter(round__in=[r.pk for r in rounds])
        .values_list("round_id", "product_id")
    )
    offers = [
        RoundOffer(
            round=r,
            free_places=max(r.quota - r.taken, 0),
            eligible=[p for p in products if r.accepts_category(p.category) and (r.pk, p.pk) not in submitted_pairs],
        )
        for r in rounds
    ]
    return {"products": products, "offers": offers, "submissions": submissions}


def me_certificate(*, entrepreneur, pk: int) -> Certificate | None:
    return (
        Certificate.objects.select_related("submission__product__entrepreneur", "submission__round")
        .filter(submission__product__entrepreneur=entrepreneur, pk=pk)
        .first()
    )


# --- the public ---------------------------------------------------------------------------------


def certificate_by_code(code: str) -> Certificate | None:
    code = (code or "").strip().upper()
    if not re.fullmatch(r"[A-Z2-7]{24}", code):
        return None
    return (
        Certificate.objects.select_related("submission__product__entrepreneur", "submission__round")
        .filter(code=code)
        .first()
    )


# --- the e-katalog ------------------------------------------------------------------------------

PAGE_SIZE = 24
COUNT_CAP = 1000  # the list says "1000+" past it; pages past it are not offered
MAX_WORDS = 8
SORTS = ("newest", "price_asc", "price_desc")
_ORDER = {"newest": ("-catalogue_since", "-id"), "price_asc": ("price", "id"), "price_desc": ("-price", "-id")}


@dataclass
class CatalogueFilters:
    q: str = ""
    category: str = ""
    kota: str = ""
    halal: bool = False
    sort: str = "newest"
    page: int = 1

    @property
    def words(self) -> list[str]:
        return [word[:50] for word in self.q.lower().split()][:MAX_WORDS]


@dataclass
class CataloguePage:
    products: list[Product]
    count: int
    capped: bool
    page: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def catalogue_queryset(filters: CatalogueFilters) -> QuerySet:
    """Curated A/B products, not withdrawn, matching every word of ?q= (in any order, in the
    name, description, category or business name) and the filters."""
    qs = Product.objects.in_catalogue()
    for word in filters.words:
        # A trigram GIN index serves this LIKE '%word%' on PostgreSQL (migration 0002).
        qs = qs.filter(search_text__contains=word)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.kota:
        # Kemendagri codes nest: a kota's kecamatan are "<kota>.NN" (one join less).
        qs = qs.filter(entrepreneur__kecamatan__code__startswith=f"{filters.kota}.")
    if filters.halal:
        qs = qs.exclude(halal_number="")
    return qs


def catalogue_page(filters: CatalogueFilters) -> CataloguePage:
    """One page of the catalogue in three queries: a count capped at COUNT_CAP, the rows with
    their seller, and their photos."""
    qs = catalogue_queryset(filters)
    count = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    capped = count > COUNT_CAP
    count = min(count, COUNT_CAP)
    pages = max((count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(filters.page, 1), pages)
    products = []
    if count:
        products = list(
            qs.select_related("entrepreneur__business", "entrepreneur__kecamatan")
            .only(*CATALOGUE_FIELDS)
            .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("order", "id")))
            .order_by(*_ORDER.get(filters.sort, _ORDER["newest"]))[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        )
    return CataloguePage(products=products, count=count, capped=capped, page=page, pages=pages)


# What a catalogue card shows; nothing personal is even read.
CATALOGUE_FIELDS = (
    "id",
    "name",
    "category",
    "price",
    "unit",
    "halal_number",
    "catalogue_grade",
    "catalogue_since",
    "entrepreneur__id",
    "entrepreneur__kecamatan__code",
    "entrepreneur__kecamatan__name",
    "entrepreneur__business__id",
    "entrepreneur__business__name",
)


def catalogue_product(pk: int) -> Product | None:
    """A product of the catalogue with its photos, seller's business and kecamatan; None
    when it is not (or no longer) curated A/B."""
    return (
        Product.objects.in_catalogue()
        .select_related("entrepreneur__business", "entrepreneur__kecamatan__kota")
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("order", "id")))
        .filter(pk=pk)
        .first()
    )


# --- figures for the progress snapshot (reports.curation) ---------------------------------------


def submission_counts_by_kecamatan_and_category() -> QuerySet:
    """One GROUP BY: per (kecamatan, category), submissions by outcome."""
    from django.db.models import F

    return (
        Submission.objects.values(kecamatan=F("product__entrepreneur__kecamatan_id"), category=F("product__category"))
        .annotate(
            submissions=Count("id"),
            returned=Count("id", filter=Q(status=Submission.Status.RETURNED)),
            graded=Count("id", filter=Q(status=Submission.Status.GRADED)),
            grade_a=Count("id", filter=Q(status=Submission.Status.GRADED, grade="A")),
            grade_b=Count("id", filter=Q(status=Submission.Status.GRADED, grade="B")),
            grade_c=Count("id", filter=Q(status=Submission.Status.GRADED, grade="C")),
        )
        .order_by()
    )


def catalogue_counts_by_kecamatan_and_category() -> QuerySet:
    """One GROUP BY: per (kecamatan, category), products in the e-katalog."""
    from django.db.models import F

    return (
        Product.objects.in_catalogue()
        .values("category", kecamatan=F("entrepreneur__kecamatan_id"))
        .annotate(in_catalogue=Count("id"))
        .order_by()
    )


# --- the person's copy of their data (registrations.personal_data) ------------------------------


def personal_data_export(entrepreneur) -> dict:
    """The products, curation submissions (with their steps) and certificates of one person,
    as JSON values, in four queries."""
    products = list(
        Product.objects.filter(entrepreneur=entrepreneur)
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("order", "id")))
        .order_by("created_at", "id")
    )
    submissions = list(
        Submission.objects.filter(product__entrepreneur=entrepreneur)
        .select_related("round", "certificate")
        .prefetch_related(Prefetch("steps", queryset=SubmissionStep.objects.order_by("at", "id")))
        .order_by("submitted_at", "id")
    )

    return {
        "products": [
            {
                "id": p.pk,
                "name": p.name,
                "category": p.category,
                "description": p.description,
                "price": int(p.price),
                "unit": p.unit,
                "pirt_number": p.pirt_number,
                "halal_number": p.halal_number,
                "bpom_number": p.bpom_number,
                "trademark": p.trademark,
                "show_whatsapp": p.show_whatsapp,
                "catalogue_grade": p.catalogue_grade,
                "withdrawn_at": json_value(p.withdrawn_at),
                "created_at": json_value(p.created_at),
                "photos": [photo.image.name for photo in p.photos.all()],
            }
            for p in products
        ],
        "submissions": [
            {
                "round": s.round.title,
                "product_id": s.product_id,
                "status": s.status,
                "grade": s.grade,
                "notes": s.notes,
                "return_reason": s.return_reason,
                "submitted_at": json_value(s.submitted_at),
                "steps": [
                    {"to": step.to_status, "at": json_value(step.at), "reason": step.reason} for step in s.steps.all()
                ],
                "certificate": getattr(s, "certificate", None) and s.certificate.code,
            }
            for s in submissions
        ],
    }
