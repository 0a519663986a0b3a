"""The back office of mentoring and monthly reports. Every queryset goes through the growth
scoping selectors (a mentor sees their caseload only); every write calls a service."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from growth import selectors, services
from growth.forms import AdminReportForm, AssignmentForm, MentorProfileForm, SessionForm
from growth.models import MentorAssignment, MentoringSession, MentorProfile, MonthlyReport
from registrations.admin.actions import RowAction
from registrations.admin.base import ScopedAdmin, ScopedHistoryAdmin
from registrations.admin.filters import NIK_SEARCH_RE


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


class CaseloadEntrepreneurMixin:
    """The entrepreneur to pick: a mentor chooses from their caseload (a short list); centre
    staff and the Dinas search (autocomplete, scoped by the registrations selectors)."""

    def get_autocomplete_fields(self, request):
        return () if selectors.is_mentor(request.user) else ("entrepreneur",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "entrepreneur":
            kwargs["queryset"] = selectors.growth_entrepreneurs_visible_to(request.user).order_by("full_name")
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


@admin.register(MentoringSession)
class MentoringSessionAdmin(ServiceSaveMixin, CaseloadEntrepreneurMixin, EntrepreneurSearchMixin, ScopedAdmin):
    scope = staticmethod(selectors.sessions_visible_to)
    form = SessionForm
    list_display = ["entrepreneur", "date", "mode", "topic_list", "next_step", "next_step_due", "mentor"]
    list_select_related = ["entrepreneur", "mentor"]
    list_filter = ["mode"]
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mentor":
            kwargs["queryset"] = selectors.mentors_visible_to(request.user).order_by("email")
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
            kwargs["queryset"] = selectors.mentors_visible_to(request.user).order_by("email")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            services.mentor_profile_save(profile=obj, actor=request.user)
        except ValidationError as error:
            self.refused(request, obj, error)
