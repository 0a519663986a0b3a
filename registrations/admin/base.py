"""Building blocks of the back office: the scoped admin base classes and the estimated-count
paginator for million-row tables. Bulk actions are in registrations/admin/actions.py."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import Http404
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from jakpreneur.admin import ScopedChoicesMixin
from registrations.selectors import sees_everything

# Lists count at most this many rows; past it a filtered list says "10,000+" and the
# unfiltered list shows the table statistics' estimate.
COUNT_CAP = 10_000


class EstimatedCountPaginator(Paginator):
    """A count whose cost does not grow with the table.

    An exact COUNT(*) costs time in proportion to the rows it counts (about a second over a
    million rows on PostgreSQL) and the admin asks for it on every list page. This paginator
    counts at most COUNT_CAP + 1 rows, always in ONE query:

    - fewer matches than the cap (a search, a small kecamatan): the exact count;
    - an unfiltered list past the cap: the table statistics (pg_class.reltuples, kept fresh by
      autovacuum), shown as "about N";
    - a filtered, searched or scoped list past the cap: "10,000+" (the planner's estimate of
      a filtered query can be off by orders of magnitude, so it is not shown). Pages past the
      cap are not offered: narrow the filter instead.

    The unfiltered list of a table past the cap on a database without statistics (SQLite in
    development) also says "10,000+".
    """

    count_kind = "exact"  # "exact", "estimate" or "capped" once count is read
    # A list whose filters go through a join (growth's reports by the entrepreneur's
    # kecamatan) lowers it: finding the cap's matches then costs in proportion to the cap.
    count_cap = COUNT_CAP

    @cached_property
    def count(self):
        qs = self.object_list
        if not isinstance(qs, QuerySet):
            return super().count
        try:
            sql, params = qs.order_by().values("pk")[: self.count_cap + 1].query.sql_with_params()
        except EmptyResultSet:  # e.g. .none() for a user who sees nothing
            return 0
        capped_count = f"SELECT COUNT(*) FROM ({sql}) capped"
        connection = connections[qs.db]
        estimate = None
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not qs.query.where:
                cursor.execute(
                    f"SELECT ({capped_count}), (SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass)",
                    [*params, qs.model._meta.db_table],
                )
                counted, estimate = cursor.fetchone()
            else:
                cursor.execute(capped_count, params)
                (counted,) = cursor.fetchone()
        if counted <= self.count_cap:
            return counted
        if estimate is not None and estimate > self.count_cap:
            self.count_kind = "estimate"
            return int(estimate)
        self.count_kind = "capped"
        return self.count_cap

    @property
    def count_label(self) -> str:
        """The count as the list shows it: "1,234", "about 1,000,000" or "10,000+"."""
        number = number_format(self.count, force_grouping=True)
        if self.count_kind == "estimate":
            return _("about %(count)s") % {"count": number}
        if self.count_kind == "capped":
            return _("%(count)s+") % {"count": number}
        return number


class ScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """Every queryset the admin uses (list, change, delete, history, actions, autocomplete)
    goes through `scope(user, queryset)`; an object outside the scope is a 404. Every
    foreign-key and many-to-many choice of its forms is the user's scope of the related model
    (jakpreneur.scoping, through ScopedChoicesMixin)."""

    scope = None  # a selector: (user, queryset) -> queryset
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        return type(self).scope(request.user, super().get_queryset(request))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index with "does not exist"; out-of-scope objects must look
        # exactly like missing ones, and a 404 says so plainly.
        raise Http404(_("Not found."))


class ScopedHistoryAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """Scoped admin with django-simple-history's history pages. Reverting is disabled: it
    would write around the services."""

    def revert_disabled(self, request, obj=None):
        return True

    def _check_in_scope(self, request, object_id):
        exists = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        # Deleted objects keep their history; only users who see everything may read it.
        if not exists and not (sees_everything(request.user) and self.has_view_permission(request)):
            raise Http404(_("Not found."))

    def history_view(self, request, object_id, extra_context=None):
        self._check_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
