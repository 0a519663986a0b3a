"""The back office of P5: curation rounds (the Dinas opens them), submissions (each actor
takes their step in bulk: verify, validate, forward, grade, return), products and
certificates (read-only). Every list and action goes through marketing.selectors' scoping,
and every step through marketing.services, which checks the actor again."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from jakpreneur.admin import ReadOnlyMixin, ScopedChoicesMixin
from marketing import exports, selectors, services
from marketing.forms import GradeForm, ReturnForm
from marketing.models import Certificate, CurationRound, Product, ProductPhoto, Submission, SubmissionStep
from registrations.admin.actions import RowAction
from registrations.admin.base import ScopedAdmin
from registrations.models import Business


class CurationRoundForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Categories accepted"),
        choices=Business.Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None selected: every category."),
    )

    class Meta:
        model = CurationRound
        fields = [
            "title",
            "criteria",
            "categories",
            "quota",
            "submission_deadline",
            "curation_date",
            "curation_place",
            "curators",
            "status",
        ]

    def clean(self):
        cleaned = super().clean()
        deadline, curation = cleaned.get("submission_deadline"), cleaned.get("curation_date")
        if deadline and curation and curation < deadline:
            self.add_error("curation_date", _("The curation takes place after the submission deadline."))
        return cleaned


@admin.register(CurationRound)
class CurationRoundAdmin(ScopedAdmin):
    scope = staticmethod(selectors.rounds_visible_to)
    form = CurationRoundForm
    list_display = ["title", "status", "submission_deadline", "curation_date", "quota", "opened_by"]
    list_select_related = ["opened_by"]
    list_filter = ["status"]
    search_fields = ["title"]
    filter_horizontal = ["curators"]
    readonly_fields = ["opened_by", "created_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # submissions refer to it; close it instead

    def save_model(self, request, obj, form, change):
        services.round_save(round=obj, actor=request.user, created=not change)


class StepInline(ReadOnlyMixin, ScopedChoicesMixin, admin.TabularInline):
    model = SubmissionStep
    fields = ["at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields
    extra = 0


def _grade(request, submission, form):
    services.submission_grade(
        submission=submission, actor=request.user, grade=form.cleaned_data["grade"], notes=form.cleaned_data["notes"]
    )


@admin.register(Submission)
class SubmissionAdmin(ScopedAdmin):
    scope = staticmethod(selectors.submissions_visible_to)
    list_display = ["product", "seller", "kecamatan", "round", "status", "grade", "submitted_at"]
    list_select_related = ["product__entrepreneur__kecamatan", "round"]
    list_filter = ["status", "grade", "round"]
    search_fields = ["product__name"]
    sortable_by = ["submitted_at"]
    list_per_page = 50
    inlines = [StepInline]
    actions = ["verify", "validate", "forward", "grade_products", "return_to_entrepreneur"]
    readonly_fields = [
        "round",
        "product",
        "status",
        "grade",
        "notes",
        "return_reason",
        "submitted_at",
        "verified_at",
        "validated_at",
        "forwarded_at",
        "graded_at",
        "returned_at",
    ]

    @admin.display(description=_("seller"))
    def seller(self, obj):
        return obj.product.entrepreneur.full_name

    @admin.display(description=_("kecamatan"))
    def kecamatan(self, obj):
        return obj.product.entrepreneur.kecamatan.name

    def has_add_permission(self, request):
        return False  # entrepreneurs submit from /me/

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # steps are actions; the change page is read-only

    def has_verify_permission(self, request):
        return request.user.has_perm("marketing.verify_submission")

    def has_validate_permission(self, request):
        return request.user.has_perm("marketing.validate_submission")

    def has_forward_permission(self, request):
        return request.user.has_perm("marketing.forward_submission")

    def has_grade_permission(self, request):
        return request.user.has_perm("marketing.grade_submission")

    def has_return_permission(self, request):
        return request.user.has_perm("marketing.return_submission")

    def has_export_permission(self, request):
        return request.user.has_perm("marketing.export_submission")

    verify = RowAction(
        description=_("Verify selected submissions (mentor)"),
        call=lambda request, row, form: services.submission_verify(submission=row, actor=request.user),
        done_message=_("%(n)s submission(s) verified."),
        permissions=["verify"],
    )
    validate = RowAction(
        description=_("Validate selected submissions (centre)"),
        call=lambda request, row, form: services.submission_validate(submission=row, actor=request.user),
        done_message=_("%(n)s submission(s) validated."),
        permissions=["validate"],
    )
    forward = RowAction(
        description=_("Forward selected submissions to the curators (Dinas)"),
        call=lambda request, row, form: services.submission_forward(submission=row, actor=request.user),
        done_message=_("%(n)s submission(s) forwarded."),
        permissions=["forward"],
    )
    grade_products = RowAction(
        description=_("Grade selected submissions (curator)…"),
        form_class=GradeForm,
        call=_grade,
        done_message=_("%(n)s submission(s) graded."),
        title=_("Grade submissions"),
        intro=_("The grade and notes apply to every selected submission; each gets its certificate."),
        permissions=["grade"],
    )
    return_to_entrepreneur = RowAction(
        description=_("Return selected submissions (with a reason)…"),
        form_class=ReturnForm,
        call=lambda request, row, form: services.submission_return(
            submission=row, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        done_message=_("%(n)s submission(s) returned."),
        title=_("Return submissions"),
        permissions=["return"],
    )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export-grade-a/<str:fmt>/",
                self.admin_site.admin_view(self.export_grade_a_view),
                name="{}_{}_export_grade_a".format(*info),
            ),
            *super().get_urls(),
        ]

    def export_grade_a_view(self, request, fmt: str):
        if not self.has_export_permission(request):
            raise PermissionDenied
        queryset = self.get_queryset(request)
        if fmt == "csv":
            return exports.csv_response(queryset)
        if fmt == "xlsx":
            return exports.xlsx_response(queryset)
        raise Http404


class PhotoInline(ReadOnlyMixin, ScopedChoicesMixin, admin.TabularInline):
    model = ProductPhoto
    fields = ["order", "thumbnail", "width", "height", "created_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Product)
class ProductAdmin(ReadOnlyMixin, ScopedAdmin):
    scope = staticmethod(selectors.products_visible_to)
    list_display = ["name", "entrepreneur", "category", "price", "catalogue_grade", "withdrawn_at", "created_at"]
    list_select_related = ["entrepreneur"]
    list_filter = ["category", "catalogue_grade"]
    search_fields = ["name"]
    sortable_by = ["created_at"]
    raw_id_fields = ["entrepreneur"]
    exclude = ["search_text"]
    inlines = [PhotoInline]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("marketing.view_product")


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyMixin, ScopedAdmin):
    scope = staticmethod(selectors.certificates_visible_to)
    list_display = ["code", "submission", "issued_at"]
    list_select_related = ["submission__product", "submission__round"]
    search_fields = ["code"]
    raw_id_fields = ["submission"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("marketing.view_certificate")
