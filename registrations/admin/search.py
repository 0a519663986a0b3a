"""The capped search of the entrepreneur list: a search visits at most SEARCH_CAP + 1 matches,
so that it costs about the same at 10k and at 1M people.

A substring search over names cannot be counted in bounded time: every index that answers
`LIKE '%…%'` (trigram or word GIN) hands back all the people who carry the words, and there are
a hundred times more of them at 1M than at 10k. So a searched list does not count its matches.
It fetches the ids of at most SEARCH_CAP + 1 of them (the admin's `search_match_ids`, with
`matching_ids` below), lists at most SEARCH_CAP, and when there are more says "more than 200
people match: add a word of the name, or filter by kecamatan". The page then reads its own
rows by primary key (one query, at most list_per_page rows among those ids).

For a name, the ids come first from B-tree ranges of names from the start of a word, per
kecamatan (migration 0009): they stop after SEARCH_CAP + 1 rows whatever the table's size,
and when they reach it the search is settled ("more than 200", every listed row a match).
Only when fewer people have the text at the start of a word does the trigram GIN index look
for it anywhere in the name ("estari" finds "Lestari"): then the answer is exact, and the
cost is that index's, which grows with the table (docs/PERFORMANCE.md, "Admin name search").

The ids come from the list's queryset (scope, filters, search) and the page's rows are read
through the scope again: a search never counts or shows a row outside the user's scope.
The export and "select all" of a searched list are not capped (they act on every match, as
before); only the list page is.
"""

from contextlib import contextmanager

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import InvalidPage, Paginator
from django.db import connections, transaction
from django.db.models import CharField, Func
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

# A searched list shows at most this many matches; past it the user adds a word.
SEARCH_CAP = 200
# A name search needs a trigram: with fewer letters the trigram index would read every entry
# (3.7 s at 1M rows for "xq").
NAME_SEARCH_MIN_LENGTH = 3


# On PostgreSQL each step of a search may read the table only one way. Asked for "any 201
# rows", the planner otherwise bets on a sequential scan, or a walk of the list's order index,
# that stops after 201 matches; when its estimate of a LIKE is wrong that bet reads a third of
# the table or all of it (0.4 s and 3.6 s at 1M rows for "Zainal Hakim").
INDEX_SCANS_ONLY = "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off"
BITMAP_SCANS_ONLY = "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = on; SET LOCAL enable_indexscan = off"


class _Undo(Exception):
    """Rolls back the SET LOCALs of a search (a read: there is nothing else to undo)."""


@contextmanager
def _planner_settings(using: str):
    """A transaction (or savepoint) whose planner settings end with it; yields a cursor on
    PostgreSQL, None elsewhere."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield None
        return
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            yield cursor
            raise _Undo
    except _Undo:
        pass


class NameFromWord(Func):
    """A name from its n-th word on: "Siti Lestari Hutapea" from word 2 is "Lestari Hutapea".
    Names are stored with single spaces (registrations.rules.clean_name_text). The SQL is
    the expression of the indexes entr_name_from_word2_idx / word3 (migration 0009)."""

    output_field = CharField()
    SKIP = {2: r"^\S+ ", 3: r"^\S+ \S+ "}

    def __init__(self, expression, *, word: int):
        super().__init__(expression)
        self.template = f"REGEXP_REPLACE(%(expressions)s, '{self.SKIP[word]}', '')"


def word_start_query(queryset, term: str, limit: int, *, kecamatan: list[str]):
    """The ids of at most `limit` rows (per word) of the given kecamatan whose name has `term`
    at the start of its first, second or third word: three B-tree range scans (PostgreSQL
    only: the (kecamatan, name from word n) indexes of migration 0009), one kecamatan after
    the other, each stopping after `limit` rows. Every row found also contains `term`."""
    queryset = queryset.filter(kecamatan_id__in=kecamatan)
    parts = [queryset.filter(full_name__istartswith=term)]
    for word in (2, 3):
        tail = f"name_from_word{word}"
        parts.append(
            queryset.alias(**{tail: NameFromWord("full_name", word=word)}).filter(**{f"{tail}__istartswith": term})
        )
    parts = [part.order_by().values_list("pk", flat=True)[:limit] for part in parts]
    return parts[0].union(*parts[1:])


def matching_ids(queryset, limit: int, *, name: str | None = None, kecamatan: list[str] | None = None) -> list[int]:
    """The ids of at most `limit` rows of the searched `queryset`, in no particular order.

    A NIK, phone or email search (`name` None) is one indexed equality: asked as it is. For a
    `name` on PostgreSQL, with `kecamatan` (those the user sees), first the rows with the
    name at the start of a word, by plain index scans only (`queryset` carries the search's
    LIKE too, and a bitmap would AND the trigram index in: 52 ms at 1M instead of 1). When
    those reach `limit`, they are the answer: "more than the cap", and every one of them
    matches. Otherwise `queryset` itself through bitmaps only (the trigram GIN index: its
    cost is bounded by the index's posting lists, and the heap scan stops after `limit`
    rows), which finds every match, inside words too.
    """
    capped = queryset.order_by().values_list("pk", flat=True)[:limit]
    if name is None:
        return list(capped)
    with _planner_settings(queryset.db) as cursor:
        if cursor is None:
            return list(capped)
        if kecamatan:
            cursor.execute(INDEX_SCANS_ONLY)
            ids = list(word_start_query(queryset, name, limit, kecamatan=kecamatan))[:limit]
            if len(ids) >= limit:
                return ids
        cursor.execute(BITMAP_SCANS_ONLY)
        return list(capped)


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
    search_too_short = False  # a name search of fewer than NAME_SEARCH_MIN_LENGTH letters

    @property
    def search_cap(self) -> int:
        return SEARCH_CAP

    @property
    def name_search_min_length(self) -> int:
        return NAME_SEARCH_MIN_LENGTH

    def get_results(self, request):
        if not self.query.strip():
            return super().get_results(request)
        self.search_too_short = self.model_admin.search_too_short(self.query)
        ids = self.model_admin.search_match_ids(request, self.queryset, self.query.strip(), SEARCH_CAP + 1)
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
