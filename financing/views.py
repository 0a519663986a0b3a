"""The entrepreneur's financing pages (/me/financing/): products with their eligibility
explained, the application form, their own applications and each one's history.

Thin views on registrations' `entrepreneur_view` (a signed-in entrepreneur, their own
record): an application id is looked up among the entrepreneur's own, so another person's
is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from financing import selectors, services
from financing.forms import ApplicationForm
from financing.models import FinancingApplication
from registrations.models import Entrepreneur
from registrations.views import entrepreneur_view


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@entrepreneur_view(methods=["GET", "POST"])
def financing_home(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    form = ApplicationForm(request.POST or None, initial={"product": request.GET.get("product")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                entrepreneur=entrepreneur,
                product=data["product"],
                amount=data["amount"],
                tenor_months=data["tenor_months"],
                purpose=data["purpose"],
                actor=request.user,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your application %(ref)s for %(product)s has been sent. Your centre will verify it with you.")
                % {"ref": application.reference, "product": application.product.name},
            )
            return redirect("financing:application", application_id=application.pk)
    facts = selectors.applicant_facts(entrepreneur)
    offers = selectors.me_offers(entrepreneur=entrepreneur, facts=facts)
    return render(
        request,
        "financing/me_financing.html",
        {
            "entrepreneur": entrepreneur,
            "form": form,
            "facts": facts,
            "offers": offers,
            "any_eligible": any(offer.eligible for offer in offers),
            "applications": selectors.me_applications(entrepreneur=entrepreneur),
        },
        status=200,
    )


@entrepreneur_view(methods=["GET"])
def application_detail(request: HttpRequest, entrepreneur: Entrepreneur, application_id: int) -> HttpResponse:
    application = get_object_or_404(
        FinancingApplication.objects.select_related("product").prefetch_related("steps", "repayments"),
        pk=application_id,
        entrepreneur=entrepreneur,
    )
    return render(request, "financing/me_application.html", {"application": application})


@entrepreneur_view(methods=["POST"])
def application_withdraw(request: HttpRequest, entrepreneur: Entrepreneur, application_id: int) -> HttpResponse:
    application = get_object_or_404(FinancingApplication, pk=application_id, entrepreneur=entrepreneur)
    try:
        services.application_withdraw(application=application, entrepreneur=entrepreneur, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your application %(ref)s was withdrawn.") % {"ref": application.reference})
    return redirect("financing:application", application_id=application.pk)
