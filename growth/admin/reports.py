"""Monthly reports in the back office: the list, filing and correcting a month, and the
monthly sheet's upload with its error report (growth.uploads)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from growth import selectors, services, uploads
from growth.admin.base import (
    CaseloadEntrepreneurMixin,
    EntrepreneurSearchMixin,
    ServiceSaveMixin,
    rupiah,
)
from growth.forms import AdminReportForm, UploadForm
from growth.models import MonthlyReport
from registrations.admin.base import ScopedHistoryAdmin

UPLOAD_REPORT_SESSION_KEY = "growth_upload_report"


UPLOAD_REPORT_MAX_ROWS = 5000


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ServiceSaveMixin, CaseloadEntrepreneurMixin, EntrepreneurSearchMixin, ScopedHistoryAdmin):
    scope = staticmethod(selectors.reports_visible_to)
    form = AdminReportForm
    list_display = ["entrepreneur", "month", "turnover_rp", "assets_rp", "workers", "filed_by", "updated_at"]
    list_select_related = ["entrepreneur"]
    list_filter = ["filed_by"]
    sortable_by = ["period"]
    ordering = ["-period", "-id"]
    list_per_page = 50

    @admin.display(description=_("month"), ordering="period")
    def month(self, obj):
        return f"{obj.period:%Y-%m}"

    @admin.display(description=_("turnover"))
    def turnover_rp(self, obj):
        return rupiah(obj.turnover)

    @admin.display(description=_("assets"))
    def assets_rp(self, obj):
        return rupiah(obj.assets)

    def get_fields(self, request, obj=None):
        if obj:
            return ["entrepreneur", "month", "turnover", "assets", "workers", "filed_by", "filed_by_user", "created_at"]
        return ["entrepreneur", "period", "turnover", "assets", "workers"]

    def get_readonly_fields(self, request, obj=None):
        return ("entrepreneur", "month", "filed_by", "filed_by_user", "created_at") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False  # a report is corrected, never deleted (its history would go with it)

    # --- the monthly sheet ------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="{}_{}_upload".format(*info)),
            path("upload/report/", wrap(self.upload_report_view), name="{}_{}_upload_report".format(*info)),
            *super().get_urls(),
        ]

    def has_upload_permission(self, request) -> bool:
        return request.user.has_perm("growth.upload_monthlyreport")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_upload": self.has_upload_permission(request)}
        return super().changelist_view(request, extra_context)

    def upload_view(self, request):
        """A month's sheet: every row checked, then all written or none (see growth.uploads)."""
        if not self.has_upload_permission(request):
            raise PermissionDenied
        result = None
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = uploads.upload_reports(
                    file=upload.file, filename=upload.name, actor=request.user, dry_run=form.cleaned_data["dry_run"]
                )
            except uploads.UploadFileError as error:
                form.add_error("file", str(error))
            except ValidationError as error:  # the service's own scope check (a concurrent change)
                form.add_error("file", " ".join(error.messages))
            else:
                request.session[UPLOAD_REPORT_SESSION_KEY] = [
                    [e.line, e.nik, e.field, e.message] for e in result.errors[:UPLOAD_REPORT_MAX_ROWS]
                ]
                self._upload_message(request, result)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Upload a monthly sheet"),
            "opts": self.opts,
            "form": form,
            "result": result,
            "errors": result.errors[:200] if result else [],
            "columns": uploads.COLUMNS,
        }
        return TemplateResponse(request, "admin/growth/monthlyreport/upload.html", context)

    def _upload_message(self, request, result) -> None:
        counts = {
            "total": result.total,
            "created": result.created,
            "corrected": result.corrected,
            "unchanged": result.unchanged,
        }
        if result.errors:
            message = gettext(
                "%(total)s rows read; %(errors)s rows have errors, so nothing was saved. Correct them and upload "
                "the whole file again."
            ) % {"total": result.total, "errors": len({e.line for e in result.errors})}
            self.message_user(request, message, messages.ERROR)
            return
        message = (
            gettext("%(total)s rows read: %(created)s new, %(corrected)s corrected, %(unchanged)s unchanged.") % counts
        )
        if result.dry_run:
            message += " " + gettext("Dry run: nothing was saved.")
        self.message_user(request, message, messages.SUCCESS)

    def upload_report_view(self, request):
        if not self.has_upload_permission(request):
            raise PermissionDenied
        rows = request.session.get(UPLOAD_REPORT_SESSION_KEY)
        if rows is None:
            self.message_user(request, gettext("There is no upload report to download."), messages.WARNING)
            return redirect("admin:growth_monthlyreport_upload")
        result = uploads.UploadResult(errors=[uploads.UploadError(*row) for row in rows])
        response = HttpResponse(result.error_report_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="upload-errors.csv"'
        return response

    def save_model(self, request, obj, form, change):
        filed_by = MonthlyReport.FiledBy.MENTOR
        try:
            if change:
                services.report_correct(report=obj, actor=request.user, figures=form.figures(), filed_by=filed_by)
            else:
                row = services.report_file(
                    entrepreneur=form.cleaned_data["entrepreneur"],
                    actor=request.user,
                    period=form.cleaned_data["period"],
                    figures=form.figures(),
                    filed_by=filed_by,
                )
                self.saved(obj, row)
        except ValidationError as error:
            self.refused(request, obj, error)

    def save_related(self, request, form, formsets, change):
        pass
