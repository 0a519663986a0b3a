"""The financing panel of /me/ (registered in FinancingConfig.ready())."""

from financing.models import FinancingApplication
from registrations import me_panels


def panel_context(entrepreneur) -> dict:
    """The latest applications (two queries at most, whatever their number)."""
    applications = list(
        FinancingApplication.objects.filter(entrepreneur=entrepreneur)
        .select_related("product")
        .order_by("-submitted_at", "-id")[:3]
    )
    return {"applications": applications}


def register() -> None:
    me_panels.register(
        me_panels.Panel(key="financing", template="financing/me_panel.html", context=panel_context, order=70)
    )
