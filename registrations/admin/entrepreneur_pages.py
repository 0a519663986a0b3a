"""The entrepreneur list's extra pages: export of the filtered list (and the export actions),
the import of a CSV/XLSX file with its error report, and the duplicate candidates."""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registrations import exports, imports, selectors
from registrations.admin.forms import ImportForm

IMPORT_REPORT_SESSION_KEY = "jakpreneur_import_report"
IMPORT_REPORT_MAX_ROWS = 20_000


def import_summary(result: imports.ImportResult) -> str:
    """What the import did, all or nothing, in one sentence for the page."""
    counts = gettext(
        "%(total)s rows read: %(created)s new, %(updated)s updated, %(unchanged)s unchanged, %(errors)s rejected."
    ) % {
        "total": result.total,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "errors": result.rejected_lines,
    }
    if result.written:
        verdict = gettext("Saved: every row of the file was written.")
    elif result.dry_run and not result.errors:
        verdict = gettext("Dry run: nothing was saved; the real run would write these rows.")
    elif result.dry_run:
        verdict = gettext(
            "Dry run: nothing was saved; the real run would save nothing either until these rows are corrected."
        )
    else:
        verdict = gettext(
            "Nothing was saved: an import writes every row or none. Correct these rows and import the file again."
        )
    return f"{counts} {verdict}"


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
            path("import/report/", wrap(self.import_report_view), name="{}_{}_import_report".format(*info)),
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
        if not self.has_import_permission(request):
            raise PermissionDenied
        result = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = imports.import_entrepreneurs(
                    file=upload.file,
                    filename=upload.name,
                    actor=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                    allowed_kecamatan=selectors.kecamatan_codes_for(request.user),
                )
            except imports.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                request.session[IMPORT_REPORT_SESSION_KEY] = [
                    [e.line, e.nik, e.field, e.message] for e in result.errors[:IMPORT_REPORT_MAX_ROWS]
                ]
                level = messages.WARNING if result.errors else messages.SUCCESS
                self.message_user(request, import_summary(result), level)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import entrepreneurs"),
            "opts": self.opts,
            "form": form,
            "result": result,
            "errors": result.errors[:200] if result else [],
            "columns": imports.COLUMNS,
            "required": imports.REQUIRED,
        }
        return TemplateResponse(request, "admin/registrations/entrepreneur/import.html", context)

    def import_report_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        rows = request.session.get(IMPORT_REPORT_SESSION_KEY)
        if rows is None:
            self.message_user(request, gettext("There is no import report to download."), messages.WARNING)
            return redirect(reverse("admin:registrations_entrepreneur_import"))
        result = imports.ImportResult(errors=[imports.RowError(*row) for row in rows])
        response = HttpResponse(result.error_report_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="import-errors.csv"'
        return response

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
