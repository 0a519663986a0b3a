"""Enrolments: requested with the entrepreneurs' "Enrol" action, then moved through their
states (start, complete with the facility's outcome, cancel) by the actions here."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registrations import selectors, services
from registrations.admin.actions import ReasonForm, RowAction
from registrations.admin.base import ScopedHistoryAdmin
from registrations.admin.filters import NIK_SEARCH_RE, CenterFilter
from registrations.admin.forms import CompleteEnrollmentForm
from registrations.models import Enrollment


def complete_one(request, enrollment, form):
    outcome = form.outcome_for(enrollment.facility_id)
    services.enrollment_complete(
        enrollment=enrollment, actor=request.user, reason=form.cleaned_data["reason"], **outcome
    )


@admin.register(Enrollment)
class EnrollmentAdmin(ScopedHistoryAdmin):
    scope = staticmethod(selectors.enrollments_visible_to)
    list_display = ["entrepreneur", "facility", "center", "state", "requested_at", "completed_at"]
    list_select_related = ["entrepreneur", "facility", "center"]
    list_filter = ["state", "facility", CenterFilter]
    search_fields = ["entrepreneur__full_name"]
    search_help_text = _("NIK of the entrepreneur (exact) or part of their name.")
    sortable_by = ["requested_at"]
    raw_id_fields = ["entrepreneur"]
    list_per_page = 50
    actions = ["start", "complete", "cancel"]
    readonly_fields = [
        "entrepreneur",
        "facility",
        "center",
        "state",
        "requested_at",
        "started_at",
        "completed_at",
        "cancelled_at",
        "handled_by",
        "note",
        "permit_type",
        "permit_number",
        "curation_grade",
        "financing_amount",
        "financing_provider",
    ]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if NIK_SEARCH_RE.match(term):
            return queryset.filter(entrepreneur__nik=term), False
        return queryset.filter(entrepreneur__full_name__icontains=term), False

    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related("entrepreneur", "facility", "center", "handled_by")
        try:
            return queryset.get(pk=object_id)
        except (Enrollment.DoesNotExist, ValidationError, ValueError):
            return None

    def has_add_permission(self, request):
        # Enrolments are requested through the service (the entrepreneurs' "Enrol" action).
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    start = RowAction(
        description=_("Start selected enrolments"),
        call=lambda request, enrollment, form: services.enrollment_start(enrollment=enrollment, actor=request.user),
        done_message=_("%(n)s enrolment(s) started."),
        select_related=["entrepreneur"],
    )
    complete = RowAction(
        description=_("Complete selected enrolments (with outcome)…"),
        form_class=CompleteEnrollmentForm,
        call=complete_one,
        done_message=_("%(n)s enrolment(s) completed."),
        title=_("Complete enrolments"),
        intro=_("P4 needs the permit type and number, P5 the curation grade, P7 the amount and provider."),
        select_related=["entrepreneur"],
    )
    cancel = RowAction(
        description=_("Cancel selected enrolments (with a reason)…"),
        form_class=ReasonForm,
        call=lambda request, enrollment, form: services.enrollment_cancel(
            enrollment=enrollment, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        done_message=_("%(n)s enrolment(s) cancelled."),
        title=_("Cancel enrolments"),
        select_related=["entrepreneur"],
    )
