"""Public views: self-registration, the entrepreneur's own page (/me/) and the account views.

Thin functions: validate with a form, call a service or selector, render or redirect. Every
write is a POST with CSRF; ids in URLs are looked up within the logged-in entrepreneur's own
records, so other people's ids give 404.
"""

import functools
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from facilities import cache as reference
from jakpreneur.celery import enqueue_on_commit
from registrations import me_panels, selectors, services, tasks
from registrations.forms import (
    BusinessForm,
    ContactForm,
    EmailAuthenticationForm,
    FacilityRequestForm,
    RegistrationForm,
    sequential_mode,
)
from registrations.models import Attendance, Business, Enrollment, Entrepreneur, User
from registrations.ratelimits import rate_limited

logger = logging.getLogger(__name__)


def _add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: keyed errors on their field, others on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _login_new_account(request: HttpRequest, user: User) -> None:
    # With several backends (e.g. a login-throttling one first) Django needs to be told
    # which one vouches for the account; the model backend is conventionally last.
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[-1])


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited(group="register", setting="RATELIMIT_REGISTER")
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        # One account per person: a logged-in entrepreneur is already registered, and staff
        # register walk-ins in the back office rather than by switching accounts here.
        if selectors.me_entrepreneur(user=request.user) is not None:
            messages.info(request, _("You are already registered."))
        else:
            messages.info(request, _("You are logged in. Log out first to register a new account."))
        return redirect("registrations:me")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                entrepreneur = services.entrepreneur_register(
                    data=form.entrepreneur_data(),
                    password=form.cleaned_data["password1"],
                    actor=None,  # the person registers themselves
                    consent_at=timezone.now(),
                )
                enqueue_on_commit(tasks.send_registration_confirmation, entrepreneur.pk, language=get_language())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            _login_new_account(request, entrepreneur.user)
            messages.success(
                request,
                _("Welcome to JakPreneur! Your registration has been received and will be verified by your centre."),
            )
            return redirect("registrations:me")
    return render(
        request,
        "registrations/register.html",
        {"form": form, "sequential": sequential_mode(), "minimum_age": settings.JAKPRENEUR_MINIMUM_AGE},
        status=200,
    )


def entrepreneur_view(*, methods: list[str]):
    """For the entrepreneur's own pages: a signed-in account (else the login page), one of
    `methods` (else 405), and its entrepreneur record, passed to the view. An account
    without one (a staff member, say) is sent to /me/, which says why."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            entrepreneur = selectors.me_entrepreneur(user=request.user)
            if entrepreneur is None:
                return redirect("registrations:me")
            return view(request, entrepreneur, *args, **kwargs)

        # A page that answers GET answers HEAD too (uptime monitors, link checkers).
        allowed = [*methods, "HEAD"] if "GET" in methods and "HEAD" not in methods else methods
        return login_required(require_http_methods(allowed)(wrapper))

    return decorator


# /me/ is a summary for a phone: the next few activities there (selectors.ME_NEXT_ACTIVITIES),
# all of them on /me/activities/.
ME_ACTIVITIES_LIMIT = 50


@login_required
@require_safe
def me(request: HttpRequest) -> HttpResponse:
    # The panels' single values come with the entrepreneur's own row (one round trip); each
    # panel is one line with a link to its app's own page, where the lists are.
    entrepreneur = selectors.me_page_entrepreneur(user=request.user)
    if entrepreneur is None:
        return render(request, "registrations/me_no_record.html")
    facilities = reference.facilities()  # one copy for the page: each call builds new instances
    enrollments = selectors.me_enrollments(entrepreneur=entrepreneur, facilities=facilities)
    try:
        business = entrepreneur.business
    except Business.DoesNotExist:
        business = None
    return render(
        request,
        "registrations/me.html",  # Jinja2 (jakpreneur/jinja.py): the page every entrepreneur opens
        {
            "entrepreneur": entrepreneur,
            "business": business,
            "facility_rows": selectors.me_facility_rows(
                entrepreneur=entrepreneur,
                enrollments=enrollments,
                notes=me_panels.facility_notes_for(entrepreneur),
                facilities=facilities,
            ),
            "activities": selectors.me_next_activities(entrepreneur=entrepreneur, facilities=facilities),
            "sequential": sequential_mode(),
            "panels": me_panels.panels_for(entrepreneur),
        },
        using="jinja2",
    )


@entrepreneur_view(methods=["GET"])
def me_activities(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    """Every upcoming activity the entrepreneur may join, with their sign-ups and the buttons."""
    return render(
        request,
        "registrations/me_activities.html",
        {
            "entrepreneur": entrepreneur,
            "activities": selectors.me_activities(entrepreneur=entrepreneur, limit=ME_ACTIVITIES_LIMIT),
        },
    )


def _refusal(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@entrepreneur_view(methods=["POST"])
def me_request_facility(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    form = FacilityRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["facility"]))
        return redirect(reverse("registrations:me") + "#facilities")
    facility = form.cleaned_data["facility"]
    try:
        services.enrollment_request(entrepreneur=entrepreneur, facility=facility, actor=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("%(code)s %(name)s requested. Your centre will contact you.")
            % {"code": facility.code, "name": facility.name},
        )
    return redirect(reverse("registrations:me") + "#facilities")


@entrepreneur_view(methods=["POST"])
def me_cancel_enrollment(request: HttpRequest, entrepreneur: Entrepreneur, pk: int) -> HttpResponse:
    enrollment = get_object_or_404(Enrollment.objects.select_related("facility"), pk=pk, entrepreneur=entrepreneur)
    try:
        services.enrollment_withdraw(enrollment=enrollment, entrepreneur=entrepreneur, actor=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Your request for %(code)s was cancelled.") % {"code": enrollment.facility_id})
    return redirect(reverse("registrations:me") + "#facilities")


@entrepreneur_view(methods=["POST"])
def me_activity_signup(request: HttpRequest, entrepreneur: Entrepreneur, pk: int) -> HttpResponse:
    activity = get_object_or_404(selectors.me_activity_queryset(entrepreneur=entrepreneur), pk=pk)
    try:
        services.attendance_signup(activity=activity, entrepreneur=entrepreneur, actor=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("You are signed up for “%(title)s”.") % {"title": activity.title})
    return redirect(reverse("registrations:me_activities") + f"#activity-{activity.pk}")


@entrepreneur_view(methods=["POST"])
def me_activity_cancel(request: HttpRequest, entrepreneur: Entrepreneur, pk: int) -> HttpResponse:
    attendance = get_object_or_404(
        Attendance.objects.select_related("activity"),
        activity_id=pk,
        entrepreneur=entrepreneur,
        status=Attendance.Status.REGISTERED,
    )
    try:
        services.attendance_cancel(attendance=attendance, actor=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Your place in “%(title)s” was given back.") % {"title": attendance.activity.title})
    return redirect(reverse("registrations:me_activities") + f"#activity-{pk}")


@entrepreneur_view(methods=["GET", "POST"])
def me_contact(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    initial = {
        "phone": "0" + entrepreneur.phone[3:] if entrepreneur.phone.startswith("+62") else entrepreneur.phone,
        "email": request.user.email,
        "kelurahan": entrepreneur.kelurahan_id,
        "address": entrepreneur.address,
    }
    form = ContactForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.entrepreneur_update(
                entrepreneur=entrepreneur, actor=request.user, changes=form.cleaned_data, reason="contact data changed"
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your contact data has been saved."))
            return redirect("registrations:me")
    return render(request, "registrations/me_contact.html", {"form": form, "entrepreneur": entrepreneur})


@entrepreneur_view(methods=["GET", "POST"])
def me_business(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    try:
        business = entrepreneur.business
    except Business.DoesNotExist:
        business = None
    form = BusinessForm(request.POST or None, initial=BusinessForm.initial_for(business), track=entrepreneur.track)
    if request.method == "POST" and form.is_valid():
        try:
            services.business_upsert(entrepreneur=entrepreneur, data=form.business_data(), actor=request.user)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your business data has been saved."))
            return redirect("registrations:me")
    return render(request, "registrations/me_business.html", {"form": form, "entrepreneur": entrepreneur})


# Account views: Django's own, with our templates, the email login form and rate limits on
# the unauthenticated POSTs.
def home_url_for(user: User) -> str:
    """Where a person lands after signing in (unless a safe `next` says otherwise): staff in
    the back office, officials on the dashboard, entrepreneurs on their own page."""
    if user.is_staff:
        return reverse("admin:index")
    if user.has_perm("reports.view_dashboard"):
        return reverse("reports:dashboard")
    return reverse("registrations:me")


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return home_url_for(self.request.user)


login_view = rate_limited(group="login", setting="RATELIMIT_LOGIN")(LoginView.as_view())


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have been logged out."))
        return response


logout_view = LogoutView.as_view()

password_reset_view = rate_limited(group="password_reset", setting="RATELIMIT_PASSWORD_RESET")(
    auth_views.PasswordResetView.as_view(
        success_url=reverse_lazy("password_reset_done"),
        html_email_template_name="registration/password_reset_email.html",
        email_template_name="registration/password_reset_email.txt",
    )
)
