from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from facilities.models import Facility
from reports import selectors


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    """The public front page: what the programme is, the seven facilities, headline progress."""
    target = selectors.rpjmd_target()
    snapshot = selectors.latest_snapshot()
    percent = None
    if snapshot and target:
        percent = round(100 * snapshot.registered_total / target.value, 1)
    return render(
        request,
        "reports/landing.html",
        {
            "facilities": Facility.objects.filter(active=True).order_by("order"),
            "target": target,
            "snapshot": snapshot,
            "percent": percent,
        },
    )
