"""Masked by default, revealed with a reason: NIK and mobile numbers are masked on every
admin page and export (registrations/masking.py). A staff member allowed to see personal data
who needs a full value reveals it on the person's page, or asks for a full export, with a
reason; each reveal and each full export writes a RevealLog row (registrations.services
.personal_data_reveal / personal_data_export_log) that the Dinas reads here, read-only."""

import time

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jakpreneur.admin import ReadOnlyMixin
from jakpreneur.security import client_ip
from registrations import exports, selectors, services
from registrations.admin.base import ScopedAdmin
from registrations.admin.forms import ExportRevealForm, RevealForm
from registrations.models import RevealLog

# A reveal shows the person's full NIK and phone on their pages for this long.
REVEAL_SECONDS = 15 * 60
SESSION_KEY = "jakpreneur_revealed"


def is_revealed(request, entrepreneur_id) -> bool:
    """Whether this session revealed the person (with a logged reason) a short while ago."""
    session = getattr(request, "session", None)  # none on a request built without middleware
    if session is None or entrepreneur_id is None or not selectors.can_see_personal_data(request.user):
        return False
    expires = session.get(SESSION_KEY, {}).get(str(entrepreneur_id))
    return expires is not None and expires > time.time()


def _grant(request, entrepreneur_id) -> None:
    now = time.time()
    granted = {k: v for k, v in request.session.get(SESSION_KEY, {}).items() if v > now}
    granted[str(entrepreneur_id)] = now + REVEAL_SECONDS
    request.session[SESSION_KEY] = granted


class RevealMixin:
    """Mixed into EntrepreneurAdmin: the reveal page of one person and the full export."""

    @admin.display(description=_("full NIK and phone"))
    def reveal_link(self, obj):
        url = reverse("admin:registrations_entrepreneur_reveal", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, gettext("Reveal (reason required, logged)…"))

    def reveal_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/reveal/", wrap(self.reveal_view), name="registrations_entrepreneur_reveal"),
            path("export/<str:fmt>/full/", wrap(self.export_full_view), name="registrations_entrepreneur_export_full"),
        ]

    def reveal_view(self, request, object_id):
        if not selectors.can_see_personal_data(request.user):
            raise PermissionDenied
        entrepreneur = self.get_object(request, object_id)
        if entrepreneur is None:
            raise Http404(gettext("Not found."))
        form = RevealForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.personal_data_reveal(
                    actor=request.user,
                    entrepreneur=entrepreneur,
                    fields=form.cleaned_data["fields"],
                    reason=form.cleaned_data["reason"],
                    ip_address=client_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _grant(request, entrepreneur.pk)
                self.message_user(
                    request,
                    gettext("Shown in full for %(minutes)s minutes; the reveal was logged.")
                    % {"minutes": REVEAL_SECONDS // 60},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:registrations_entrepreneur_change", args=[entrepreneur.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reveal NIK and mobile number"),
            "opts": self.opts,
            "original": entrepreneur,
            "form": form,
            "intro": gettext(
                "The full values are shown only with a reason. Who, whose, what, when, why and from which "
                "address are logged, and the Dinas reads the log."
            ),
        }
        return TemplateResponse(request, "admin/registrations/entrepreneur/reveal.html", context)

    def export_full_view(self, request, fmt):
        if fmt not in ("csv", "xlsx") or not self.has_export_permission(request):
            raise PermissionDenied
        if not selectors.can_see_personal_data(request.user):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            self.message_user(request, gettext("The filters are not valid."), messages.ERROR)
            return redirect(self.changelist_url())
        queryset = changelist.get_queryset(request)
        form = ExportRevealForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            count = queryset.count()
            if fmt == "xlsx" and count > exports.XLSX_ROW_CAP:
                self.message_user(request, str(exports.TooManyRows(count, exports.XLSX_ROW_CAP)), messages.ERROR)
                return redirect(request.get_full_path())
            with transaction.atomic():
                services.personal_data_export_log(
                    actor=request.user,
                    rows=count,
                    filters=request.GET.urlencode(),
                    reason=form.cleaned_data["reason"],
                    ip_address=client_ip(request),
                )
            if fmt == "csv":
                return exports.csv_response(queryset, user=request.user, reveal=True)
            return exports.xlsx_response(queryset, user=request.user, reveal=True)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Export with full NIK and mobile numbers"),
            "opts": self.opts,
            "form": form,
            "intro": gettext(
                "This export carries full NIK and mobile numbers. Give the reason: it is logged with the filters "
                "and the number of rows, and the Dinas reads the log."
            ),
        }
        return TemplateResponse(request, "admin/registrations/entrepreneur/reveal.html", context)


class FieldFilter(admin.SimpleListFilter):
    title = _("what")
    parameter_name = "field"

    def lookups(self, request, model_admin):
        return RevealLog.Field.choices

    def queryset(self, request, queryset):
        return queryset.filter(field=self.value()) if self.value() in RevealLog.Field.values else queryset


@admin.register(RevealLog)
class RevealLogAdmin(ReadOnlyMixin, ScopedAdmin):
    scope = staticmethod(selectors.reveal_logs_visible_to)
    list_display = ["at", "user", "entrepreneur", "field", "reason", "ip_address", "rows"]
    list_select_related = ["user", "entrepreneur"]
    list_filter = [FieldFilter, ("at", admin.DateFieldListFilter)]
    search_fields = ["user__email"]
    search_help_text = _("Email of the staff member (exact), or the id of the person (a number).")
    ordering = ["-at", "-id"]
    fields = ["at", "user", "entrepreneur", "field", "reason", "ip_address", "rows", "filters"]
    readonly_fields = fields

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.isdigit():
            return queryset.filter(entrepreneur_id=int(term)), False
        return queryset.filter(user__email__iexact=term), False
