"""The financing line of /me/ (registered in FinancingConfig.ready()): the latest
application's product and status, read with the entrepreneur's own row
(registrations/me_panels.py); every application and product is on /me/financing/."""

from django.db.models import F, JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject

from financing.models import FinancingApplication
from registrations import me_panels

ME_LATEST_APPLICATION = "financing_latest_application"


def annotations() -> dict:
    latest = (
        FinancingApplication.objects.filter(entrepreneur=OuterRef("pk"))
        .order_by("-submitted_at", "-id")
        .values(application=JSONObject(id="id", status="status", product="product__name"))[:1]
    )
    return {ME_LATEST_APPLICATION: Subquery(latest, output_field=JSONField())}


def panel_context(entrepreneur) -> dict:
    """The latest application (None before the first): from the annotation when /me/ read it,
    else one query."""
    if hasattr(entrepreneur, ME_LATEST_APPLICATION):
        latest = getattr(entrepreneur, ME_LATEST_APPLICATION)
    else:
        latest = (
            FinancingApplication.objects.filter(entrepreneur=entrepreneur)
            .order_by("-submitted_at", "-id")
            .values("id", "status", product=F("product__name"))
            .first()
        )
    application = (
        FinancingApplication(pk=latest["id"], status=latest["status"], entrepreneur=entrepreneur) if latest else None
    )
    return {"application": application, "product_name": latest["product"] if latest else ""}


def register() -> None:
    me_panels.register(
        me_panels.Panel(
            key="financing",
            template="financing/me_panel.html",
            context=panel_context,
            order=70,
            annotations=annotations,
        )
    )
