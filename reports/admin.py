from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from jakpreneur.admin import ScopedChoicesMixin
from jakpreneur.celery import enqueue_on_commit
from reports.models import ProgressSnapshot, Target
from reports.tasks import compute_progress


@admin.register(Target)
class TargetAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    list_display = ["name", "metric", "facility", "kota", "kecamatan", "value", "period_start", "period_end", "active"]
    list_filter = ["active", "metric", "kota"]
    search_fields = ["name", "source"]
    list_select_related = ["facility", "kota", "kecamatan"]
    fieldsets = [
        (None, {"fields": ["name", "metric", "facility", "value", "active"]}),
        (_("Period"), {"fields": ["period_start", "period_end", "source"]}),
        (_("Area (leave both empty for all of Jakarta)"), {"fields": ["kota", "kecamatan"]}),
    ]


@admin.register(ProgressSnapshot)
class ProgressSnapshotAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """Snapshots are computed, never typed in: read-only, plus a "recompute now" button."""

    list_display = ["computed_at", "registered_total", "duration_ms"]
    ordering = ["-computed_at", "-id"]
    fields = ["computed_at", "registered_total", "duration_ms"]
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "recompute/",
                self.admin_site.admin_view(require_POST(self.recompute_view)),
                name="reports_progresssnapshot_recompute",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_recompute": request.user.has_perm("reports.recompute_progress")}
        return super().changelist_view(request, extra_context=extra_context)

    def recompute_view(self, request):
        if not request.user.has_perm("reports.recompute_progress"):
            raise PermissionDenied
        enqueue_on_commit(compute_progress)
        self.message_user(request, _("The figures are being recomputed."), messages.SUCCESS)
        return redirect("admin:reports_progresssnapshot_changelist")
