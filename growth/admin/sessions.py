"""Mentoring sessions in the back office, with the "next step overdue" filter of the admin
index (growth.work)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from growth import selectors, services, work
from growth.admin.base import (
    CaseloadEntrepreneurMixin,
    EntrepreneurSearchMixin,
    ServiceSaveMixin,
)
from growth.forms import SessionForm
from growth.models import MentoringSession
from registrations.admin.base import ScopedAdmin


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
