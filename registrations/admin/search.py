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
When fewer people have the text at the start of a word, bounded probes (at most PROBE_ROWS
rows each, so the same cost at 10k and 1M) either settle "more than 200" (a common piece
inside a word, "estari") or find every match (a text of several words, among the names with
its words after the first at a word start, and the names of four words or more: migration
0011). Only when they settle nothing does the trigram GIN index look for the text anywhere in
the name: then the answer is exact, and the cost is that index's, which grows with the table
(docs/PERFORMANCE.md, "Admin name search").

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
# A bounded probe (bounded_probe) reads at most this many rows of each of its sources.
PROBE_ROWS = 5000
# Names of four words or more (names are stored with single spaces): the predicate of the
# partial trigram index of migration 0011.
FOUR_WORDS_OR_MORE = r"^\S+ \S+ \S+ \S"


# On PostgreSQL each step of a search may read the table only one way. Asked for "any 201
# rows", the planner otherwise bets on a sequential scan, or a walk of the list's order index,
# that stops after 201 matches; when its estimate of a LIKE is wrong that bet reads a third of
# the table or all of it (0.4 s and 3.6 s at 1M rows for "Zainal Hakim"). A disabled scan
# costs the planner 10^10, past which it would compile the query (JIT: 150–400 ms for a probe
# that takes 5): no JIT for these short reads.
INDEX_SCANS_ONLY = "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL jit = off"
BITMAP_SCANS_ONLY = (
    "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = on; SET LOCAL enable_indexscan = off; "
    "SET LOCAL jit = off"
)


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


def tail_sources(base, tail: str, *, kecamatan: list[str]) -> list:
    """The rows of `base` (the list before its search) in the given kecamatan whose name has
    `tail` at the start of its 2nd or 3rd word: two range scans of the word-start indexes
    (migration 0009), for bounded_probe. A name of four words or more, whose 4th word on
    may hold the tail, is looked for by four_words_query."""
    base = base.filter(kecamatan_id__in=kecamatan).order_by()
    sources = []
    for word in (2, 3):
        tail_of = f"name_from_word{word}"
        sources.append(
            base.alias(**{tail_of: NameFromWord("full_name", word=word)}).filter(**{f"{tail_of}__istartswith": tail})
        )
    return sources


def four_words_query(queryset, limit: int):
    """The ids of at most `limit` rows of the searched `queryset` among the names of four
    words or more: a bitmap scan of the partial trigram index of migration 0011, whose
    predicate this regular expression repeats (the planner uses the index only then)."""
    return queryset.filter(full_name__regex=FOUR_WORDS_OR_MORE).order_by().values_list("pk", flat=True)[:limit]


def bounded_probe(cursor, sources: list, term: str, limit: int, rows: int | None = None) -> tuple[list[int], bool]:
    """Reads at most `rows` rows of each source queryset (index scans only: the caller's
    planner settings) and keeps those whose name contains `term`, stopping at `limit` of
    them. Returns (the ids of the matches found, whether no source had more than `rows`
    rows): when `limit` matches were found, the search is "more than the cap" (the second
    value then means nothing); when fewer, and the sources hold every match and were read
    whole, the ids are exact. Otherwise nothing is settled. One query, which whatever the
    table's size reads at most len(sources) × (rows + 1) rows."""
    rows = rows or PROBE_ROWS
    parts, params = [], []
    pattern = f"%{cursor.db.ops.prep_for_like_query(term)}%"
    for source in sources:
        sql, source_params = source.order_by().values_list("pk", "full_name")[: rows + 1].query.sql_with_params()
        parts.append(
            "(SELECT w.id, w.hit, w.n > %s FROM (SELECT c.id, UPPER(c.full_name::text) LIKE UPPER(%s) AS hit, "
            f"ROW_NUMBER() OVER () AS n FROM ({sql}) AS c (id, full_name)) AS w WHERE w.hit OR w.n > %s LIMIT %s)"
        )
        params += [rows, pattern, *source_params, rows, limit + 1]
    cursor.execute(" UNION ALL ".join(parts), params)
    ids, whole = {}, True
    for pk, hit, past_the_end in cursor.fetchall():
        if hit:
            ids[pk] = None
        whole = whole and not past_the_end
    return list(ids)[:limit], whole


def matching_ids(
    queryset, limit: int, *, name: str | None = None, kecamatan: list[str] | None = None, unsearched=None
) -> list[int]:
    """The ids of at most `limit` rows of the searched `queryset`, in no particular order.

    A NIK, phone or email search (`name` None) is one indexed equality: asked as it is. For a
    `name` on PostgreSQL, with `kecamatan` (those the user sees) and `unsearched` (the list's
    queryset before its search), each step below either settles the search or hands over:

    1. the rows with the name at the start of a word (word_start_query), by plain index scans
       only (a bitmap would AND the trigram index in: 52 ms at 1M instead of 1). When those
       reach `limit`, they are the answer: "more than the cap", every one of them a match.
    2. a name of several words ("Zainal Yanti Manurung"): every match has the text after the
       first space ("Yanti Manurung") at the start of a word after the first. A bounded probe
       of the names with it at the start of their 2nd or 3rd word (tail_sources), then, when
       those were read whole, the names of four words or more (four_words_query) give every
       match: exact.
       One word ("estari"): a bounded probe of any PROBE_ROWS rows of the list settles
       "more than the cap" when the piece is common, and is exact when the list is that small.
    3. Otherwise `queryset` itself through bitmaps only (the trigram GIN index: its cost is
       bounded by the index's posting lists, and the heap scan stops after `limit` rows),
       which finds every match, inside words too.
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
            if unsearched is not None:
                _first, space, tail = name.partition(" ")
                sources = tail_sources(unsearched, tail, kecamatan=kecamatan) if space else [unsearched]
                ids, whole = bounded_probe(cursor, sources, name, limit)
                if len(ids) >= limit or (whole and not space):
                    return ids
                if whole:
                    cursor.execute(BITMAP_SCANS_ONLY)
                    found = set(ids)
                    return (ids + [pk for pk in four_words_query(queryset, limit) if pk not in found])[:limit]
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

    unsearched_queryset = None  # the list's queryset (scope, filters) before its search

    def get_queryset(self, request, exclude_parameters=None):
        """Django's, searched by the model admin's get_search_results as there; keeps the
        queryset before the search too, which the bounded probes read (matching_ids)."""
        if exclude_parameters is not None or not self.query.strip():
            return super().get_queryset(request, exclude_parameters)
        query, self.query = self.query, ""
        try:
            unsearched = super().get_queryset(request)
        finally:
            self.query = query
        self.unsearched_queryset = unsearched
        queryset, may_have_duplicates = self.model_admin.get_search_results(request, unsearched, query)
        return queryset.distinct() if may_have_duplicates else queryset

    def get_results(self, request):
        if not self.query.strip():
            return super().get_results(request)
        self.search_too_short = self.model_admin.search_too_short(self.query)
        ids = self.model_admin.search_match_ids(
            request, self.queryset, self.query.strip(), SEARCH_CAP + 1, unsearched=self.unsearched_queryset
        )
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
