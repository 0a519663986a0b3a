"""/me/data/: the resident's copy of their data (a readable page and a JSON file),
withdrawing consent and asking for deletion. Thin views; every write is a POST with CSRF
that ends in a redirect and a message. The pages are private (Cache-Control: no-store,
jakpreneur.middleware.PrivatePagesMiddleware)."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from privacy import selectors, services
from privacy.forms import ConsentWithdrawForm, DeletionRequestForm
from registrations import services as registration_services
from registrations.models import Entrepreneur
from registrations.views import entrepreneur_view


@entrepreneur_view(methods=["GET"])
def me_data(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    return render(
        request,
        "privacy/me_data.html",
        {
            "entrepreneur": entrepreneur,
            "data": selectors.me_data(entrepreneur=entrepreneur),
            "latest_request": selectors.me_latest_deletion_request(entrepreneur=entrepreneur),
            "consent_form": ConsentWithdrawForm(),
            "deletion_form": DeletionRequestForm(),
        },
    )


@entrepreneur_view(methods=["GET"])
def me_data_download(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    data = selectors.me_data(entrepreneur=entrepreneur)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="jakpreneur-my-data-{timezone.localdate():%Y%m%d}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


@entrepreneur_view(methods=["POST"])
def me_consent_withdraw(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    form = ConsentWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that you withdraw your consent."))
        return redirect("privacy:me_data")
    try:
        registration_services.entrepreneur_withdraw_consent(entrepreneur=entrepreneur, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your consent has been withdrawn. We will send you no more reminders or news."))
    return redirect("privacy:me_data")


@entrepreneur_view(methods=["POST"])
def me_deletion_request(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    form = DeletionRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return redirect("privacy:me_data")
    try:
        services.deletion_request_create(entrepreneur=entrepreneur, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your deletion request has been received. The Dinas will answer it within 3 × 24 hours."),
        )
    return redirect("privacy:me_data")


@require_safe
def policy(request: HttpRequest) -> HttpResponse:
    """The public privacy notice: what is kept, for how long, why, and the resident's rights
    (the operators' version is docs/PRIVACY.md)."""
    return render(request, "privacy/policy.html")
