"""Background jobs in the back office: read-only, to see what waits for the broker (e.g.
confirmation emails during a Redis outage) and what failed, and why."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jakpreneur.admin import ScopedChoicesMixin
from outbox.models import Job

_STATES = {
    Job.State.PENDING: Q(done_at__isnull=True, failed_at__isnull=True, published_at__isnull=True),
    Job.State.QUEUED: Q(done_at__isnull=True, failed_at__isnull=True, published_at__isnull=False, started_at=None),
    Job.State.RUNNING: Q(done_at__isnull=True, failed_at__isnull=True, started_at__isnull=False),
    Job.State.DONE: Q(done_at__isnull=False),
    Job.State.FAILED: Q(failed_at__isnull=False),
}


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Job.State.choices

    def queryset(self, request, queryset):
        condition = _STATES.get(self.value())
        return queryset.filter(condition) if condition is not None else queryset


@admin.register(Job)
class JobAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    list_display = ["id", "task_name", "state_label", "created_at", "published_at", "done_at", "attempts"]
    list_filter = [StateFilter, "task_name"]
    fields = [
        "task_name",
        "args",
        "kwargs",
        "state_label",
        "created_at",
        "published_at",
        "started_at",
        "claimed_by",
        "attempts",
        "done_at",
        "failed_at",
        "last_error",
    ]
    readonly_fields = fields
    ordering = ["-id"]
    show_full_result_count = False

    @admin.display(description=_("state"))
    def state_label(self, job: Job) -> str:
        return Job.State(job.state).label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # done jobs are pruned by the relay; the rest are evidence
