"""The back office of P7: products (the Dinas edits their terms and rules), applications
(scoped: the Dinas all, centre staff their kecamatan, a mentor their caseload), moved along
by RowActions that call the services, referral batches with their XLSX export and the bank's
decision file import, and the log of every batch file."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from financing import decisions, exports, selectors, services
from financing.forms import (
    DecisionFileForm,
    DecisionForm,
    DisbursementForm,
    RepaymentForm,
    StaffApplicationForm,
)
from financing.models import ApplicationStep, ExportLog, FinancingApplication, FinancingProduct, ReferralBatch
from financing.rules import check_application
from jakpreneur.admin import ReadOnlyMixin, ScopedChoicesMixin
from registrations.admin.actions import MAX_ACTION_ROWS, ReasonForm, RowAction
from registrations.admin.base import ScopedAdmin
from registrations.admin.filters import NIK_SEARCH_RE


@admin.register(FinancingProduct)
class FinancingProductAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    list_display = ["name", "provider", "min_amount", "max_amount", "interest_rate", "tenor_max_months", "active"]
    list_filter = ["active", "provider"]
    filter_horizontal = ["required_facilities"]
    fieldsets = [
        (None, {"fields": ["name", "provider", "description", "active", "source"]}),
        (
            _("Terms"),
            {
                "fields": [
                    "min_amount",
                    "max_amount",
                    "interest_rate",
                    "tenor_min_months",
                    "tenor_max_months",
                    "secured",
                ]
            },
        ),
        (
            _("Eligibility rules"),
            {
                "fields": [
                    "required_facilities",
                    "min_reported_months",
                    "requires_running_business",
                    "requires_verified_registration",
                ]
            },
        ),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # applications keep their product; close it instead (active)


class StepInline(ReadOnlyMixin, ScopedChoicesMixin, admin.TabularInline):
    model = ApplicationStep
    fields = ["at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False


def _decide(request, application, form):
    data = form.cleaned_data
    services.application_decide(
        application=application,
        actor=request.user,
        approved=data["decision"] == "approved",
        approved_amount=data["approved_amount"],
        reason=data["reason"],
    )


def _disburse(request, application, form):
    services.application_disburse(
        application=application,
        actor=request.user,
        amount=form.cleaned_data["disbursed_amount"],
        on=form.cleaned_data["disbursed_on"],
    )


def _repayment(request, application, form):
    services.repayment_record(
        application=application,
        actor=request.user,
        month=form.cleaned_data["month"],
        status=form.cleaned_data["status"],
    )


@admin.register(FinancingApplication)
class FinancingApplicationAdmin(ScopedAdmin):
    scope = staticmethod(selectors.applications_visible_to)
    form = StaffApplicationForm
    list_display = ["reference", "entrepreneur", "kecamatan", "product", "amount", "status", "submitted_at", "batch"]
    list_select_related = ["entrepreneur__kecamatan", "product"]
    list_filter = ["status", "product", "submitted_by_kind"]
    search_fields = ["entrepreneur__full_name"]
    search_help_text = _("Reference (JP7-…), NIK of the entrepreneur (exact) or part of their name.")
    sortable_by = ["submitted_at"]
    raw_id_fields = ["entrepreneur"]
    list_per_page = 50
    inlines = [StepInline]
    actions = ["verify", "cancel", "refer", "decide", "disburse", "record_repayment"]
    readonly_fields = [
        "reference",
        "entrepreneur",
        "product",
        "amount",
        "tenor_months",
        "purpose",
        "status",
        "submitted_by_kind",
        "submitted_by",
        "submitted_at",
        "batch",
        "decided_at",
        "approved_amount",
        "decision_reason",
        "disbursed_amount",
        "disbursed_on",
    ]

    @admin.display(description=_("reference"), ordering="pk")
    def reference(self, obj):
        return obj.reference

    @admin.display(description=_("kecamatan"))
    def kecamatan(self, obj):
        return obj.entrepreneur.kecamatan.name

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        match = decisions._REFERENCE.match(term.upper())
        if match:
            return queryset.filter(pk=int(match.group(1))), False
        if NIK_SEARCH_RE.match(term):
            return queryset.filter(entrepreneur__nik=term), False
        return queryset.filter(entrepreneur__full_name__icontains=term), False

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["entrepreneur", "product", "amount", "tenor_months", "purpose"]
        return self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        base = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class OnBehalfForm(base):
            """Apply on behalf of someone in the staff member's scope, with the product's rules."""

            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, entrepreneurs=selectors.entrepreneurs_in_financing_scope(user), **form_kwargs)

            def clean(self):
                data = super().clean()
                entrepreneur, product = data.get("entrepreneur"), data.get("product")
                if entrepreneur and product and data.get("amount") and data.get("tenor_months"):
                    try:
                        services.submitter_kind(entrepreneur=entrepreneur, actor=user)
                        check_application(
                            selectors.terms_of(product),
                            selectors.applicant_facts(entrepreneur),
                            amount=data["amount"],
                            tenor_months=data["tenor_months"],
                        )
                    except ValidationError as error:
                        self._update_errors(error)
                return data

        return OnBehalfForm

    def save_model(self, request, obj, form, change):
        if change:
            return  # applications change only through the actions
        data = form.cleaned_data
        application = services.application_submit(
            entrepreneur=data["entrepreneur"],
            product=data["product"],
            amount=data["amount"],
            tenor_months=data["tenor_months"],
            purpose=data["purpose"],
            actor=request.user,
        )
        # The admin logs and redirects with the form's instance: make it the saved row.
        for model_field in FinancingApplication._meta.concrete_fields:
            setattr(obj, model_field.attname, getattr(application, model_field.attname))

    def save_related(self, request, form, formsets, change):
        pass  # nothing related is edited here

    def has_delete_permission(self, request, obj=None):
        return False

    def has_bank_permission(self, request):
        """The bank's side (referral, decision, money) is recorded by the Dinas."""
        return self.has_change_permission(request) and selectors.sees_everything(request.user)

    verify = RowAction(
        description=_("Verify selected applications"),
        call=lambda request, application, form: services.application_verify(
            application=application, actor=request.user
        ),
        done_message=_("%(n)s application(s) verified."),
    )
    cancel = RowAction(
        description=_("Cancel selected applications (with a reason)…"),
        form_class=ReasonForm,
        call=lambda request, application, form: services.application_cancel(
            application=application, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        done_message=_("%(n)s application(s) cancelled."),
        title=_("Cancel applications"),
    )
    decide = RowAction(
        description=_("Record the bank's decision…"),
        form_class=DecisionForm,
        call=_decide,
        done_message=_("%(n)s decision(s) recorded."),
        title=_("The bank's decision"),
        intro=_("An empty approved amount approves the amount requested."),
        permissions=("bank",),
        select_related=["product"],
    )
    disburse = RowAction(
        description=_("Record the disbursement…"),
        form_class=DisbursementForm,
        call=_disburse,
        done_message=_("%(n)s disbursement(s) recorded; P7 completed."),
        title=_("Disbursement"),
        intro=_("At most the approved amount. Completes the entrepreneur's P7 enrolment."),
        permissions=("bank",),
        select_related=["product", "entrepreneur"],
    )
    record_repayment = RowAction(
        description=_("Record the repayment status of a month…"),
        form_class=RepaymentForm,
        call=_repayment,
        done_message=_("%(n)s repayment status(es) recorded."),
        title=_("Repayment status"),
        permissions=("bank",),
    )

    @admin.action(description=_("Refer selected applications to their bank in a new batch"), permissions=["bank"])
    def refer(self, request, queryset):
        if queryset.count() > MAX_ACTION_ROWS:
            self.message_user(
                request, gettext("Select at most %(n)s rows for this action.") % {"n": MAX_ACTION_ROWS}, messages.ERROR
            )
            return None
        try:
            batch = services.referral_batch_create(applications=list(queryset), actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            gettext("Batch #%(id)s for %(bank)s created: export it from the batch's page.")
            % {"id": batch.pk, "bank": batch.provider},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:financing_referralbatch_change", args=[batch.pk]))


class BatchApplicationInline(ReadOnlyMixin, ScopedChoicesMixin, admin.TabularInline):
    model = FinancingApplication
    fk_name = "batch"
    fields = ["entrepreneur", "product", "amount", "tenor_months", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(ReferralBatch)
class ReferralBatchAdmin(ScopedAdmin):
    scope = staticmethod(selectors.batches_visible_to)
    list_display = ["__str__", "provider", "created_by", "created_at", "exported_at"]
    list_select_related = ["created_by"]
    readonly_fields = ["provider", "created_by", "created_at", "exported_at"]
    fields = ["provider", "note", "created_by", "created_at", "exported_at"]
    inlines = [BatchApplicationInline]
    change_form_template = "admin/financing/referralbatch/change_form.html"

    def has_add_permission(self, request):
        return False  # batches are made from the applications' "refer" action

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        urls = [
            path(
                "<int:batch_id>/export/",
                self.admin_site.admin_view(self.export_view),
                name="financing_referralbatch_export",
            ),
            path(
                "<int:batch_id>/decisions/",
                self.admin_site.admin_view(self.decisions_view),
                name="financing_referralbatch_decisions",
            ),
        ]
        return urls + super().get_urls()

    def _batch(self, request, pk):
        batch = self.get_queryset(request).filter(pk=pk).first()
        if batch is None:
            raise Http404(gettext("Not found."))
        return batch

    def export_view(self, request, batch_id):
        if not request.user.has_perm("financing.export_referralbatch"):
            raise PermissionDenied
        batch = self._batch(request, batch_id)
        content, rows = exports.batch_workbook(batch)
        services.batch_export_record(batch=batch, actor=request.user, rows=rows)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="jakpreneur-batch-{batch.pk}.xlsx"'
        return response

    def decisions_view(self, request, batch_id):
        if not request.user.has_perm("financing.import_decisions"):
            raise PermissionDenied
        batch = self._batch(request, batch_id)
        form = DecisionFileForm(request.POST or None, request.FILES or None)
        plan = None
        file_error = ""
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(decisions.MAX_BYTES + 1)
            try:
                lines = decisions.read_decision_file(data, upload.name)
            except decisions.DecisionFileError as error:
                file_error = str(error)
            else:
                plan = decisions.plan(batch, lines)
                if not plan.errors and not form.cleaned_data["dry_run"]:
                    try:
                        plan = services.batch_decisions_apply(
                            batch=batch,
                            lines=lines,
                            actor=request.user,
                            file_name=upload.name,
                            sha256=decisions.file_digest(data),
                        )
                    except ValidationError as error:
                        file_error = " ".join(error.messages)
                    else:
                        self.message_user(
                            request,
                            gettext("Decision file imported: %(changed)s application(s) changed, %(lines)s line(s).")
                            % {"changed": plan.changes, "lines": len(plan.lines)},
                            messages.SUCCESS,
                        )
                        return HttpResponseRedirect(reverse("admin:financing_referralbatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import the bank's decisions for batch #%(id)s") % {"id": batch.pk},
            "opts": self.model._meta,
            "original": batch,
            "form": form,
            "plan": plan,
            "file_error": file_error,
            "columns": decisions.COLUMNS,
        }
        return TemplateResponse(request, "admin/financing/referralbatch/decisions.html", context)


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyMixin, ScopedAdmin):
    scope = staticmethod(selectors.export_logs_visible_to)
    list_display = ["at", "kind", "batch", "user", "rows", "changed", "file_name"]
    list_select_related = ["batch", "user"]
    list_filter = ["kind"]
