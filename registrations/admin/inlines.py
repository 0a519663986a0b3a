"""Inlines of the entrepreneur's and the activity's pages. Only the business is edited
here (through the service, in EntrepreneurAdmin.save_related); the others are read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jakpreneur.admin import ReadOnlyMixin, ScopedChoicesMixin
from registrations.admin.forms import BusinessInlineForm
from registrations.models import Attendance, Business, Enrollment, StatusChange


class ReadOnlyInline(ReadOnlyMixin, ScopedChoicesMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class EnrollmentInline(ReadOnlyInline):
    model = Enrollment
    fields = ["facility", "state", "center", "requested_at", "completed_at", "permit_number", "curation_grade"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("facility", "center", "entrepreneur")


class AttendanceInlineForEntrepreneur(ReadOnlyInline):
    model = Attendance
    fields = ["activity", "status", "signed_up_at", "marked_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("activity", "entrepreneur")


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["changed_at", "enrollment", "from_status", "to_status", "changed_by", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("status log")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by", "enrollment__entrepreneur")


class BusinessInline(ScopedChoicesMixin, admin.StackedInline):
    model = Business
    form = BusinessInlineForm
    extra = 0
    max_num = 1
    can_delete = False


class ParticipantInline(ReadOnlyInline):
    model = Attendance
    fields = ["entrepreneur", "status", "signed_up_at", "marked_by", "marked_at"]
    readonly_fields = fields
    verbose_name_plural = _("participants")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entrepreneur", "activity", "marked_by")
