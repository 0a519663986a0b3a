"""The capped search of the entrepreneur list: a search visits at most SEARCH_CAP + 1 matches,
whatever the size of the table.

A substring search over names cannot be counted in bounded time: every index that answers
`LIKE '%…%'` (trigram or word GIN) hands back all the people who carry the words, and there are
a hundred times more of them at 1M than at 10k. So a searched list does not count its matches.
It fetches the ids of at most SEARCH_CAP + 1 of them in ONE query (the admin's
`search_match_ids`), shows the first SEARCH_CAP, and when there are more says "more than 200
match: add a word of the name or filter by kecamatan". The page then reads its own rows by
primary key (one query, at most list_per_page rows of at most SEARCH_CAP ids), so a search
costs two queries, as the count and the page did before.

The ids come from the list's queryset (scope, filters, search) and the page's rows are read
through the scope again: a search never counts or shows a row outside the user's scope.
The export and "select all" of a searched list are not capped (they act on every match, as
before); only the list page is.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import InvalidPage, Paginator
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

# A searched list shows at most this many matches; past it the user adds a word.
SEARCH_CAP = 200


class CappedSearchPaginator(Paginator):
    """The pages of a capped search: the matching ids are already known, so counting costs
    no query. Same interface as EstimatedCountPaginator (count_kind, count_label)."""

    def __init__(self, object_list, per_page, *, count: int, capped: bool):
        super().__init__(object_list, per_page)
        self._count = count
        self.count_kind = "capped" if capped else "exact"

    @cached_property
    def count(self):
        return self._count

    @property
    def count_label(self) -> str:
        number = number_format(self.count, force_grouping=True)
        if self.count_kind == "capped":
            return _("more than %(count)s") % {"count": number}
        return number


class CappedSearchChangeList(ChangeList):
    """Django's ChangeList; a searched list fetches at most SEARCH_CAP + 1 matching ids."""

    search_capped = False  # True when more than SEARCH_CAP match (the template says so)

    @property
    def search_cap(self) -> int:
        return SEARCH_CAP

    def get_results(self, request):
        if not self.query.strip():
            return super().get_results(request)
        ids = self.model_admin.search_match_ids(self.queryset, SEARCH_CAP + 1)
        self.search_capped = len(ids) > SEARCH_CAP
        ids = ids[:SEARCH_CAP]
        # The page reads its rows by primary key, through the scope (root_queryset) again,
        # without repeating the search's condition (the planner would scan for it again).
        rows = self.apply_select_related(self.root_queryset.filter(pk__in=ids))
        rows = rows.order_by(*self.get_ordering(request, rows))
        paginator = CappedSearchPaginator(rows, self.list_per_page, count=len(ids), capped=self.search_capped)
        result_count = paginator.count
        self.multi_page = result_count > self.list_per_page
        self.can_show_all = result_count <= self.list_max_show_all
        if (self.show_all and self.can_show_all) or not self.multi_page:
            self.result_list = rows._clone()
        else:
            try:
                self.result_list = paginator.page(self.page_num).object_list
            except InvalidPage:
                raise IncorrectLookupParameters from None
        self.result_count = result_count
        self.show_full_result_count = False
        self.show_admin_actions = True
        self.full_result_count = None
        self.paginator = paginator
