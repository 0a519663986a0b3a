"""Activities (classes, mentoring sessions, bazaars) and their attendance.

The Activity admin lives here rather than in facilities/admin.py because its participant
list and actions need registrations (facilities must not import registrations)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from facilities.models import Activity
from registrations import selectors, services
from registrations.admin.actions import RowAction
from registrations.admin.base import ScopedAdmin
from registrations.admin.filters import ActivityFilter, CenterFilter, WhenFilter
from registrations.admin.inlines import ParticipantInline
from registrations.models import Attendance


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    scope = staticmethod(selectors.activities_visible_to)
    list_display = ["title", "facility", "center", "kind", "starts_at", "capacity", "taken", "published"]
    list_select_related = ["facility", "center"]
    list_filter = [WhenFilter, "facility", "kind", "published", CenterFilter]
    search_fields = ["title"]
    ordering = ["-starts_at", "-id"]
    inlines = [ParticipantInline]
    actions = ["complete_facility_for_attendees"]
    fields = [
        "facility",
        "center",
        "kind",
        "title",
        "description",
        "location",
        "starts_at",
        "ends_at",
        "registration_deadline",
        "capacity",
        "published",
        "participants_link",
    ]
    readonly_fields = ["participants_link"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(taken_places=Count("attendances", filter=~Q(attendances__status=Attendance.Status.CANCELLED)))
        )

    @admin.display(description=_("taken"))
    def taken(self, obj):
        return obj.taken_places

    @admin.display(description=_("attendance"))
    def participants_link(self, obj):
        if not obj or not obj.pk:
            return "–"
        url = reverse("admin:registrations_attendance_changelist") + f"?activity={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Mark attendance and add participants"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The centre's choices are scoped by ScopedAdmin; province-wide activities (no centre)
        # are the Dinas's.
        if db_field.name == "center":
            kwargs["required"] = not selectors.sees_everything(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("Complete the facility for participants who attended"), permissions=["change"])
    def complete_facility_for_attendees(self, request, queryset):
        for activity in queryset.select_related("facility", "center"):
            done, errors = services.activity_complete_facility_for_attendees(activity=activity, actor=request.user)
            for error in errors:
                self.message_user(request, error, messages.ERROR)
            self.message_user(
                request,
                gettext("%(activity)s: %(code)s completed for %(n)s participant(s).")
                % {"activity": activity, "code": activity.facility_id, "n": done},
                messages.SUCCESS,
            )


def marking(status: str):
    """The per-row call of an action that marks attendance with `status`."""
    return lambda request, attendance, form: services.attendance_mark(
        attendance=attendance, status=status, actor=request.user
    )


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdmin):
    scope = staticmethod(selectors.attendance_visible_to)
    list_display = ["entrepreneur", "activity", "status", "signed_up_at", "marked_by"]
    list_select_related = ["entrepreneur", "activity", "marked_by"]
    list_filter = [ActivityFilter, "status"]
    search_fields = ["entrepreneur__full_name"]
    ordering = ["-signed_up_at", "-id"]
    autocomplete_fields = ["entrepreneur"]
    actions = ["mark_attended", "mark_absent"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["activity", "entrepreneur"]
        return ["activity", "entrepreneur", "status", "signed_up_at", "marked_by", "marked_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "activity":
            kwargs["queryset"] = Activity.objects.select_related("center")  # scoped by ScopedAdmin
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return
        attendance = services.attendance_signup(
            activity=obj.activity, entrepreneur=obj.entrepreneur, actor=request.user
        )
        obj.pk = attendance.pk
        obj._state.adding = False

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def has_delete_permission(self, request, obj=None):
        return False

    mark_attended = RowAction(
        description=_("Mark selected as attended"),
        call=marking(Attendance.Status.ATTENDED),
        done_message=_("%(n)s participant(s) marked attended."),
    )
    mark_absent = RowAction(
        description=_("Mark selected as absent"),
        call=marking(Attendance.Status.ABSENT),
        done_message=_("%(n)s participant(s) marked absent."),
    )
