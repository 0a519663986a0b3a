"""The entrepreneur list's extra pages: export of the filtered list (and the export actions),
the upload of a CSV/XLSX file to import (queued as an import job, registrations/admin/import_jobs.py),
and the duplicate candidates."""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registrations import exports, imports, selectors, services
from registrations.admin.forms import ImportForm

RECENT_JOBS = 10


class EntrepreneurPagesMixin:
    """Mixed into EntrepreneurAdmin: export, import and duplicates, each behind its permission."""

    # -- permissions

    def has_export_permission(self, request):
        return request.user.has_perm(selectors.EXPORT_PERMISSION)

    def has_import_permission(self, request):
        return request.user.has_perm(selectors.IMPORT_PERMISSION)

    @admin.action(description=_("Export selected to CSV"), permissions=["export"])
    def export_csv(self, request, queryset):
        return exports.csv_response(queryset.order_by(*self.model._meta.ordering), user=request.user)

    @admin.action(description=_("Export selected to XLSX"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        try:
            return exports.xlsx_response(queryset.order_by(*self.model._meta.ordering), user=request.user)
        except exports.TooManyRows as error:
            self.message_user(request, str(error), messages.ERROR)
            return None

    # -- extra pages: export of the filtered list, import, duplicate candidates

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("export/<str:fmt>/", wrap(self.export_view), name="{}_{}_export".format(*info)),
            path("import/", wrap(self.import_view), name="{}_{}_import".format(*info)),
            path("duplicates/", wrap(self.duplicates_view), name="{}_{}_duplicates".format(*info)),
            *super().get_urls(),
        ]

    def changelist_url(self):
        return reverse("admin:registrations_entrepreneur_changelist", current_app=self.admin_site.name)

    def export_view(self, request, fmt):
        if fmt not in ("csv", "xlsx") or not self.has_export_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            self.message_user(request, gettext("The filters are not valid."), messages.ERROR)
            return redirect(self.changelist_url())
        queryset = changelist.get_queryset(request)
        if fmt == "csv":
            return exports.csv_response(queryset, user=request.user)
        try:
            return exports.xlsx_response(queryset, user=request.user)
        except exports.TooManyRows as error:
            self.message_user(request, str(error), messages.ERROR)
            query = request.GET.urlencode()
            return redirect(f"{self.changelist_url()}?{query}" if query else self.changelist_url())

    def import_view(self, request):
        """Upload only: the file is checked for its type, stored and queued; the worker
        imports it and the job page follows it."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = services.import_job_create(
                    upload=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"], actor=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    gettext("The file is uploaded and queued; this page follows the import."),
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:registrations_importjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import entrepreneurs"),
            "opts": self.opts,
            "form": form,
            "columns": imports.COLUMNS,
            "required": imports.REQUIRED,
            "recent_jobs": selectors.import_jobs_visible_to(request.user)
            .select_related("created_by")
            .defer("errors")[:RECENT_JOBS],
        }
        return TemplateResponse(request, "admin/registrations/entrepreneur/import.html", context)

    def duplicates_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        groups = selectors.duplicate_candidates(request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Duplicate candidates"),
            "opts": self.opts,
            "groups": groups,
            # NIK and phone masked here too: reveal one person from their page.
            "personal": False,
        }
        return TemplateResponse(request, "admin/registrations/entrepreneur/duplicates.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export": self.has_export_permission(request),
            "can_import": self.has_import_permission(request),
            "can_reveal": selectors.can_see_personal_data(request.user),
        }
        return super().changelist_view(request, extra_context)
