"""Deletion requests in the back office: the Dinas alone reads and handles them (approve:
the person's identifying data is erased; reject: with the reason the resident is told).
Centre staff do not see them (jakpreneur/access.py)."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jakpreneur.admin import ReadOnlyMixin
from privacy import selectors, services
from privacy.models import DeletionRequest
from registrations.admin.actions import ReasonForm, RowAction
from registrations.admin.base import ScopedAdmin


class ConfirmErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the request; erase these people's identifying data. This cannot be undone."),
        required=True,
    )


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return DeletionRequest.Status.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ReadOnlyMixin, ScopedAdmin):
    scope = staticmethod(selectors.deletion_requests_visible_to)
    list_display = ["__str__", "entrepreneur", "kecamatan", "status", "requested_at", "due", "handled_at", "handled_by"]
    list_select_related = ["entrepreneur__kecamatan", "handled_by"]
    list_filter = [StatusFilter]
    ordering = ["-requested_at", "-id"]
    fields = [
        "entrepreneur",
        "reason",
        "status",
        "requested_at",
        "due",
        "handled_at",
        "handled_by",
        "decision_reason",
    ]
    readonly_fields = fields
    actions = ["approve", "reject"]

    @admin.display(description=_("kecamatan"))
    def kecamatan(self, obj):
        return obj.entrepreneur.kecamatan.name

    @admin.display(description=_("answer due by"))
    def due(self, obj):
        if obj.is_open and obj.due_at < timezone.now():
            return format_html('<strong class="errornote">{} ({})</strong>', timezone.localtime(obj.due_at), _("late"))
        return timezone.localtime(obj.due_at)

    def has_handle_permission(self, request):
        return request.user.has_perm(services.HANDLE_PERMISSION)

    approve = RowAction(
        description=_("Approve: erase the person's identifying data…"),
        form_class=ConfirmErasureForm,
        call=lambda request, row, form: services.deletion_request_approve(request=row, actor=request.user),
        done_message=_("%(n)s request(s) carried out: the data was erased and the residents are emailed."),
        title=_("Approve deletion requests"),
        intro=_(
            "Names, NIK, phone, email, address, birth date (kept as the year), free-text notes and the login "
            "accounts are erased, in the history too. The anonymous records stay, so the statistics do not change."
        ),
        permissions=("handle",),
        select_related=("entrepreneur__user",),
    )
    reject = RowAction(
        description=_("Reject (with the reason the resident is told)…"),
        form_class=ReasonForm,
        call=lambda request, row, form: services.deletion_request_reject(
            request=row, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        done_message=_("%(n)s request(s) rejected; the residents are emailed the reason."),
        title=_("Reject deletion requests"),
        permissions=("handle",),
    )
