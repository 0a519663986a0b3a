"""Import jobs in the back office: the list, the job page (progress that refreshes itself while
the worker runs, the outcome, the refused lines), the report downloads and "run again".

The upload itself is the entrepreneur list's Import page (entrepreneur_pages.py), which only
stores the file and queues the job."""

import io

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from jakpreneur import spreadsheets
from jakpreneur.admin import ReadOnlyMixin
from registrations import selectors, services
from registrations.admin.base import ScopedAdmin
from registrations.models import ImportJob

REPORT_HEADER = ["line", "nik", "field", "error", "code"]
ERRORS_SHOWN = 200
# The job page reloads itself this often while the job is queued or running.
REFRESH_SECONDS = 3


def job_state(job: ImportJob) -> str:
    """The status as the page shows it: a running job whose worker went silent is "stale"."""
    return "stale" if services.import_job_is_stale(job) else job.status


def job_verdict(job: ImportJob) -> str:
    """One sentence: what the job wrote (all or nothing) or why it did not."""
    state = job_state(job)
    if state == "stale":
        return gettext(
            "The worker stopped without finishing (it was restarted or killed). Nothing was written: run it again."
        )
    if job.status == ImportJob.Status.QUEUED:
        return gettext("Queued: the worker will start it shortly.")
    if job.status == ImportJob.Status.RUNNING:
        return gettext("Running: nothing is saved until every row has been checked and written.")
    if job.status == ImportJob.Status.FAILED:
        return gettext("Not imported: %(reason)s Nothing was written.") % {"reason": job.message}
    if job.rows_written or (not job.dry_run and not job.lines_refused):
        return gettext("Saved: every row of the file was written (%(written)s new or updated).") % {
            "written": job.rows_written
        }
    if job.dry_run and not job.lines_refused:
        return gettext("Dry run: nothing was saved; the real run would write these rows.")
    if job.dry_run:
        return gettext(
            "Dry run: nothing was saved; the real run would save nothing either until these lines are corrected."
        )
    return gettext(
        "Nothing was saved: an import writes every row or none. Correct these lines and import the file again."
    )


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyMixin, ScopedAdmin):
    scope = staticmethod(selectors.import_jobs_visible_to)
    list_display = (
        "id",
        "filename",
        "dry_run",
        "state_label",
        "rows_checked",
        "rows_written",
        "lines_refused",
        "created_by",
        "created_at",
    )
    list_display_links = ("id", "filename")
    list_select_related = ("created_by",)
    list_filter = ("status", "dry_run")
    ordering = ("-created_at", "-id")

    def get_queryset(self, request):
        # The refusals (up to 20,000) are read on the job page only.
        return super().get_queryset(request).defer("errors")

    def has_view_permission(self, request, obj=None):
        # Whoever may import may follow their own jobs (the scope gives them only theirs).
        return request.user.has_perm(selectors.IMPORT_PERMISSION) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("status"))
    def state_label(self, job):
        state = job_state(job)
        return gettext("Stale") if state == "stale" else job.get_status_display()

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/report/<str:fmt>/", wrap(self.report_view), name="{}_{}_report".format(*info)),
            path("<path:object_id>/run/", wrap(require_POST(self.run_view)), name="{}_{}_run".format(*info)),
            *super().get_urls(),
        ]

    def _job(self, request, object_id, *, with_errors=False) -> ImportJob:
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = self.get_queryset(request)
        if with_errors:
            queryset = queryset.defer(None)
        job = queryset.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if job is None:
            raise Http404(gettext("Not found."))
        return job

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self._job(request, object_id, with_errors=True)
        state = job_state(job)
        rows_checked, _last = services.import_job_progress(job)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import job: %(name)s") % {"name": job.filename},
            "opts": self.opts,
            "job": job,
            "state": state,
            "verdict": job_verdict(job),
            "rows_checked": rows_checked,
            "refresh": REFRESH_SECONDS if state in ("queued", "running") else None,
            "errors": job.errors[:ERRORS_SHOWN],
            "more_errors": job.lines_refused > ERRORS_SHOWN or len(job.errors) > ERRORS_SHOWN,
            "may_run_again": state in ("done", "failed", "stale")
            and request.user.has_perm(selectors.IMPORT_PERMISSION),
            "retention_days": settings.IMPORT_FILE_RETENTION_DAYS,
            "now": timezone.now(),
        }
        return TemplateResponse(request, "admin/registrations/importjob/job.html", context)

    def report_view(self, request, object_id, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404(gettext("Not found."))
        job = self._job(request, object_id, with_errors=True)
        rows = [[line, nik, field, message, code] for line, nik, field, message, code in job.errors]
        filename = f"import-{job.pk}-errors.{fmt}"
        if fmt == "csv":
            buffer = io.StringIO()
            writer = spreadsheets.csv_writer(buffer)  # refused values may look like formulas
            writer.writerow(REPORT_HEADER)
            writer.writerows(rows)
            response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        else:
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet(title="errors")
            sheet.append(spreadsheets.xlsx_row(sheet, REPORT_HEADER))
            for values in rows:
                sheet.append(spreadsheets.xlsx_row(sheet, values))
            output = io.BytesIO()
            workbook.save(output)
            response = HttpResponse(
                output.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def run_view(self, request, object_id):
        job = self._job(request, object_id)
        try:
            services.import_job_rerun(job=job, actor=request.user, dry_run=request.POST.get("dry_run") == "1")
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, gettext("The file is queued again."), messages.SUCCESS)
        return redirect(reverse("admin:registrations_importjob_change", args=[job.pk]))
