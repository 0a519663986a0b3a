"""The marketing line of /me/: how many products, open curation rounds and the latest
submission's status, read with the entrepreneur's own row (registrations/me_panels.py); the
rounds and submissions themselves are on /me/curation/, the products on /me/products/."""

from django.db.models import Count, F, Func, IntegerField, JSONField, OuterRef, Subquery
from django.db.models.functions import Coalesce, JSONObject, Now

from marketing.models import CurationRound, Product, Submission
from registrations import me_panels

ME_PRODUCTS = "marketing_products"
ME_OPEN_ROUNDS = "marketing_open_rounds"
ME_LATEST_SUBMISSION = "marketing_latest_submission"


def annotations() -> dict:
    """The products on offer (not withdrawn), the rounds open for submissions now (the same
    for everyone) and the latest submission's status and grade, on the entrepreneur's row."""
    products = (
        Product.objects.filter(entrepreneur=OuterRef("pk"), withdrawn_at__isnull=True)
        .order_by()
        .values("entrepreneur")
        .annotate(n=Count("pk"))
        .values("n")
    )
    open_rounds = (
        CurationRound.objects.open_for_submissions(now=Now())  # the database's now: /me/ builds this once
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("n")
    )
    latest = (
        Submission.objects.filter(product__entrepreneur=OuterRef("pk"))
        .order_by("-submitted_at", "-id")
        .values(submission=JSONObject(status="status", grade="grade"))[:1]
    )
    return {
        ME_PRODUCTS: Coalesce(Subquery(products), 0),
        ME_OPEN_ROUNDS: Coalesce(Subquery(open_rounds), 0),
        ME_LATEST_SUBMISSION: Subquery(latest, output_field=JSONField()),
    }


def context(entrepreneur) -> dict:
    """The line's values: from the annotations when /me/ read them, else three queries."""
    if hasattr(entrepreneur, ME_PRODUCTS):
        products, rounds = getattr(entrepreneur, ME_PRODUCTS), getattr(entrepreneur, ME_OPEN_ROUNDS)
        latest = getattr(entrepreneur, ME_LATEST_SUBMISSION)
    else:
        products = Product.objects.filter(entrepreneur=entrepreneur, withdrawn_at__isnull=True).count()
        rounds = CurationRound.objects.open_for_submissions().count()
        latest = (
            Submission.objects.filter(product__entrepreneur=entrepreneur)
            .order_by("-submitted_at", "-id")
            .values("status", "grade")
            .first()
        )
    submission = Submission(status=latest["status"], grade=latest["grade"] or "") if latest else None
    return {"products": products, "open_rounds": rounds, "latest_submission": submission}


def register() -> None:
    me_panels.register(
        me_panels.Panel(
            key="marketing",
            template="marketing/me_panel.html",
            context=context,
            order=50,
            slot=me_panels.MAIN,
            annotations=annotations,
        )
    )
