"""The back office of mentoring and monthly reports. Every queryset goes through the growth
scoping selectors (a mentor sees their caseload only); every write calls a service."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from growth import outcomes, selectors, services, uploads, work
from growth.forms import AdminReportForm, AssignmentForm, MentorProfileForm, SessionForm, UploadForm
from growth.models import MentorAssignment, MentoringSession, MentorProfile, MonthlyReport
from registrations.admin.actions import RowAction
from registrations.admin.base import ScopedAdmin, ScopedHistoryAdmin
from registrations.admin.filters import NIK_SEARCH_RE

UPLOAD_REPORT_SESSION_KEY = "growth_upload_report"
UPLOAD_REPORT_MAX_ROWS = 5000


def rupiah(value) -> str:
    return f"Rp {number_format(value, force_grouping=True)}" if value is not None else "–"


class EntrepreneurSearchMixin:
    search_fields = ["entrepreneur__full_name"]
    search_help_text = _("NIK of the entrepreneur (exact) or part of their name.")

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if NIK_SEARCH_RE.match(term):
            return queryset.filter(entrepreneur__nik=term), False
        return queryset.filter(entrepreneur__full_name__icontains=term), False


def growth_choice(model_admin, db_field, request, selector, order: str, kwargs):
    """A choice narrowed by a growth selector. The generic choice scope of the related model
    (jakpreneur.scoping: registrations' entrepreneurs and accounts) is the wrong one here: a
    mentor sees no one through it, and centre staff see no mentor accounts. The growth
    selectors are deny-by-default too, and the services check the scope again."""
    kwargs["queryset"] = selector(request.user).order_by(order)
    return admin.ModelAdmin.formfield_for_foreignkey(model_admin, db_field, request, **kwargs)


class CaseloadEntrepreneurMixin:
    """The entrepreneur to pick: a mentor chooses from their caseload (a short list); centre
    staff and the Dinas search (autocomplete, scoped by the registrations selectors)."""

    def get_autocomplete_fields(self, request):
        return () if selectors.is_mentor(request.user) else ("entrepreneur",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "entrepreneur":
            # The growth scope (a mentor's caseload), not registrations': see growth_choice.
            return growth_choice(
                self, db_field, request, selectors.growth_entrepreneurs_visible_to, "full_name", kwargs
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ServiceSaveMixin:
    """The form validated; the service may still refuse (a concurrent change): then the page
    says why and goes back to the list instead of claiming success."""

    def refused(self, request, obj, error: ValidationError) -> None:
        obj._service_refused = " ".join(error.messages)

    @staticmethod
    def saved(obj, row) -> None:
        """The admin goes on with the object it built: make it the row the service wrote."""
        obj.__dict__.update(row.__dict__)

    def log_addition(self, request, obj, message):
        if not hasattr(obj, "_service_refused"):
            return super().log_addition(request, obj, message)
        return None

    def log_change(self, request, obj, message):
        if not hasattr(obj, "_service_refused"):
            return super().log_change(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        return self._refused_response(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._refused_response(request, obj) or super().response_change(request, obj)

    def _refused_response(self, request, obj):
        message = getattr(obj, "_service_refused", None)
        if message is None:
            return None
        self.message_user(request, message, messages.ERROR)
        return self.response_post_save_change(request, obj)


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


class NextStepFilter(admin.SimpleListFilter):
    """The admin index's "next steps overdue" (growth.work) as a filter of the sessions list."""

    title = _("next step")
    parameter_name = work.OVERDUE_PARAMETER

    def lookups(self, request, model_admin):
        return [(work.OVERDUE, _("Overdue"))]

    def queryset(self, request, queryset):
        return work.overdue_next_steps(queryset) if self.value() == work.OVERDUE else queryset


@admin.register(MentoringSession)
class MentoringSessionAdmin(ServiceSaveMixin, CaseloadEntrepreneurMixin, EntrepreneurSearchMixin, ScopedAdmin):
    scope = staticmethod(selectors.sessions_visible_to)
    form = SessionForm
    list_display = ["entrepreneur", "date", "mode", "topic_list", "next_step", "next_step_due", "mentor"]
    list_select_related = ["entrepreneur", "mentor"]
    list_filter = [NextStepFilter, "mode"]
    sortable_by = ["date"]
    ordering = ["-date", "-id"]
    list_per_page = 50

    @admin.display(description=_("topics"))
    def topic_list(self, obj):
        return ", ".join(obj.topic_labels())

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.mentor_id == request.user.pk)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            if change:
                services.session_update(session=obj, actor=request.user, data=form.session_data())
            else:
                row = services.session_log(
                    entrepreneur=form.cleaned_data["entrepreneur"], actor=request.user, data=form.session_data()
                )
                self.saved(obj, row)
        except ValidationError as error:
            self.refused(request, obj, error)

    def save_related(self, request, form, formsets, change):
        pass


def end_assignment(request, assignment, form):
    services.mentor_unassign(assignment=assignment, actor=request.user)


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(ServiceSaveMixin, EntrepreneurSearchMixin, ScopedAdmin):
    scope = staticmethod(selectors.assignments_visible_to)
    form = AssignmentForm
    list_display = ["entrepreneur", "mentor", "assigned_at", "ended_at", "assigned_by"]
    list_select_related = ["entrepreneur", "mentor", "assigned_by"]
    autocomplete_fields = ["entrepreneur"]
    sortable_by = ["assigned_at"]
    ordering = ["-assigned_at", "-id"]
    list_per_page = 50
    actions = ["end"]

    end = RowAction(
        description=_("End the selected assignments"),
        call=end_assignment,
        done_message=_("%(n)s assignments ended."),
        select_related=["entrepreneur"],
    )

    def get_readonly_fields(self, request, obj=None):
        if obj:
            return ("entrepreneur", "mentor", "assigned_by", "assigned_at", "ended_at", "ended_by")
        return ()

    # --- caseload pages -------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("caseload/", wrap(self.caseload_view), name="{}_{}_caseload".format(*info)),
            path("mentors/", wrap(self.mentors_view), name="{}_{}_mentors".format(*info)),
            *super().get_urls(),
        ]

    def has_caseload_permission(self, request) -> bool:
        return request.user.has_perm("growth.view_caseload")

    def caseload_view(self, request):
        """A mentor's own caseload; centre staff and the Dinas pass ?mentor=<id> (in scope)."""
        if not self.has_caseload_permission(request):
            raise PermissionDenied
        mentor_id = request.GET.get("mentor", "")
        if mentor_id:
            if not mentor_id.isdigit():
                raise Http404(gettext("Not found."))
            mentor = selectors.mentors_visible_to(request.user).filter(pk=int(mentor_id)).first()
        elif selectors.is_mentor(request.user):
            mentor = request.user
        else:
            return redirect("admin:growth_mentorassignment_mentors")
        if mentor is None:
            raise Http404(gettext("Not found."))
        caseload = selectors.caseload_of(mentor)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Caseload of %(mentor)s") % {"mentor": selectors.mentor_name(mentor)},
            "caseload": caseload,
            "is_own": mentor.pk == request.user.pk,
            "definitions": outcomes.DEFINITIONS,
        }
        return TemplateResponse(request, "admin/growth/caseload.html", context)

    def mentors_view(self, request):
        """The mentors in the user's scope: target, caseload and their caseload's outcomes."""
        if not self.has_caseload_permission(request):
            raise PermissionDenied
        if selectors.is_mentor(request.user):
            return redirect("admin:growth_mentorassignment_caseload")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Mentors and their caseloads"),
            "summaries": selectors.mentor_summaries(request.user),
            "definitions": outcomes.DEFINITIONS,
        }
        return TemplateResponse(request, "admin/growth/mentors.html", context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mentor":
            return growth_choice(self, db_field, request, selectors.mentors_visible_to, "email", kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            row = services.mentor_assign(
                entrepreneur=form.cleaned_data["entrepreneur"], mentor=form.cleaned_data["mentor"], actor=request.user
            )
            self.saved(obj, row)
        except ValidationError as error:
            self.refused(request, obj, error)

    def save_related(self, request, form, formsets, change):
        pass


@admin.register(MentorProfile)
class MentorProfileAdmin(ServiceSaveMixin, ScopedAdmin):
    scope = staticmethod(selectors.mentor_profiles_visible_to)
    form = MentorProfileForm
    list_display = ["user", "display_name", "phone", "recruitment_target"]
    list_select_related = ["user"]
    fields = ["user", "display_name", "phone", "recruitment_target"]
    ordering = ["user__email"]

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            return growth_choice(self, db_field, request, selectors.mentors_visible_to, "email", kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            services.mentor_profile_save(profile=obj, actor=request.user)
        except ValidationError as error:
            self.refused(request, obj, error)
