"""The name search's steps (registrations/admin/search.py: word starts, bounded probes, the
names of four words or more, the trigram index) find exactly the names that contain the text,
`full_name ILIKE '%text%'`, whichever step answers; and each path costs a fixed number of
queries per page. The steps exist on PostgreSQL; SQLite asks the LIKE itself."""

import random

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN
from registrations.admin import search
from registrations.models import Entrepreneur
from registrations.tests.admin_fixtures import admin_url, changelist_results
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the word-start indexes and bounded probes exist on PostgreSQL only"
)

GAMBIR, MENTENG = "31.71.01", "31.71.06"
# Words as names carry them: apostrophes, hyphens, mixed case, one word inside another.
WORDS = ["Siti", "nur", "LESTARI", "Ayu", "O'Neil", "Nur-Aini", "Hutapea", "Sari", "Purnamasari", "Ni", "Made"]
WORDS += ["Ketut", "D'Costa", "Al-Hakim", "ani", "Ani", "Yanti", "Manurung", "Zainal", "Dewi"]


def names(seed: int = 7, count: int = 90) -> list[str]:
    """Names of 1 to 6 words (each length about as often), single spaces as stored."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(1 + i % 6)) for i in range(count)]


@pytest.fixture
def everyone(db):
    made = []
    for i, name in enumerate(names()):
        kelurahan = GAMBIR_KELURAHAN if i % 3 else MENTENG_KELURAHAN
        made.append(EntrepreneurFactory(user=None, full_name=name, kelurahan_code=kelurahan))
    return made


def ilike(queryset, term: str) -> set[int]:
    """The reference: every row of `queryset` whose name is ILIKE '%term%'."""
    pattern = f"%{connection.ops.prep_for_like_query(term)}%"
    return set(queryset.extra(where=["full_name ILIKE %s"], params=[pattern]).values_list("pk", flat=True))


def check(term: str, limit: int, *, staff: bool) -> None:
    unsearched = Entrepreneur.objects.filter(kecamatan_id=GAMBIR) if staff else Entrepreneur.objects.all()
    kecamatan = [GAMBIR] if staff else [GAMBIR, MENTENG]
    searched = unsearched.filter(full_name__icontains=term)
    ids = search.matching_ids(searched, limit, name=term, kecamatan=kecamatan, unsearched=unsearched)
    expected = ilike(unsearched, term)
    assert len(ids) == len(set(ids)) <= limit
    if len(ids) < limit:
        assert set(ids) == expected, term
    else:
        assert set(ids) <= expected and len(expected) >= limit, term


@st.composite
def pieces(draw):
    """A piece of one of the names (any start, 3 letters or more), its case changed, or text
    of the names' letters that may match nothing."""
    if draw(st.booleans()):
        return draw(st.text(alphabet="aeinrstuy '-%_", min_size=3, max_size=12)).strip() or "xyz"
    name = draw(st.sampled_from(names()))
    start = draw(st.integers(0, max(0, len(name) - 3)))
    end = draw(st.integers(min(len(name), start + 3), len(name)))
    flips = draw(st.lists(st.booleans(), min_size=end - start, max_size=end - start))
    piece = "".join(c.swapcase() if flip else c for c, flip in zip(name[start:end], flips, strict=True))
    return piece.strip() if len(piece.strip()) >= 3 else piece


@postgresql_only
@pytest.mark.parametrize("probe_rows", [1, 5000], ids=["probes-cut-short", "probes-read-whole"])
@pytest.mark.parametrize("limit", [3, 1000])
@pytest.mark.parametrize("staff", [False, True], ids=["dinas", "centre-staff"])
def test_every_step_finds_exactly_the_names_that_contain_the_text(everyone, monkeypatch, probe_rows, limit, staff):
    monkeypatch.setattr(search, "PROBE_ROWS", probe_rows)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(pieces())
    def each(term):
        check(term, limit, staff=staff)

    each()


@postgresql_only
@pytest.mark.parametrize("probe_rows", [1, 5000])
def test_every_position_of_every_name(everyone, monkeypatch, probe_rows):
    """A table: each name's text from the start of each of its words, and across the word
    boundaries, in upper case (the 4th, 5th and 6th words included)."""
    monkeypatch.setattr(search, "PROBE_ROWS", probe_rows)
    for name in sorted(set(names()))[:40]:
        words = name.split(" ")
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                term = " ".join(words[i:j])
                if len(term) >= 3:
                    check(term.upper(), 1000, staff=False)
                    check(term[1:] if len(term) > 3 else term, 1000, staff=False)  # from inside a word


@postgresql_only
def test_the_four_words_query_uses_the_partial_trigram_index(everyone):
    searched = Entrepreneur.objects.filter(full_name__icontains="yanti manurung")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = search.four_words_query(searched, 10).query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "entr_name_4words_trgm_idx" in plan


@postgresql_only
def test_a_probe_reads_no_more_than_its_rows(everyone):
    base = Entrepreneur.objects.all()
    with connection.cursor() as cursor:
        ids, whole = search.bounded_probe(cursor, [base], "ani", 1000, rows=5)
        assert not whole and len(ids) <= 5
        ids, whole = search.bounded_probe(cursor, [base], "ani", 1000, rows=len(everyone))
        assert whole and set(ids) == ilike(base, "ani")
        ids, whole = search.bounded_probe(cursor, [base], "ani", 2, rows=len(everyone))
        assert len(ids) == 2  # stops at the limit


# Queries of a searched page (the Dinas, PostgreSQL): the page itself (session, user, count
# label, rows, …) and, per path, the search's: SAVEPOINT, SET, word starts, [probe],
# [SET, four words or trigram], ROLLBACK TO SAVEPOINT, RELEASE. Each path costs the same with
# more data (the cap lowered to 3, so that both sides of it are covered).
PAGE = 9


def page_queries(client, term: str) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(admin_url("registrations_entrepreneur_changelist"), {"q": term})
    assert response.status_code == 200
    return len(captured), changelist_results(response)


def people(n: int, name: str) -> None:
    for _ in range(n):
        EntrepreneurFactory(user=None, full_name=name, kelurahan_code=GAMBIR_KELURAHAN)


@pytest.mark.parametrize(
    ("term", "postgresql", "path"),
    [
        ("Lestari", PAGE + 5, "word starts settle it"),
        ("estari", PAGE + 6, "the probe of the list settles it"),
        ("ade Ayu Lestari", PAGE + 8, "the tail probe read whole, then the names of four words or more"),
        ("xyz Lestari", PAGE + 8, "the tail probe (cut short) hands over to the trigram index"),
        ("xyzq", PAGE + 8, "the probe (cut short) hands over to the trigram index"),
    ],
)
def test_each_path_costs_a_fixed_number_of_queries(client, dina, monkeypatch, term, postgresql, path):
    monkeypatch.setattr(search, "SEARCH_CAP", 3)
    monkeypatch.setattr(search, "PROBE_ROWS", 8)
    client.force_login(dina)
    people(10, "Siti Lestari")
    people(2, "Ni Made Ayu Lestari")
    people(10, "Budi Santoso")
    people(1, "Axyz Lestari Xyzq")  # found by the trigram index only
    expected = postgresql if connection.vendor == "postgresql" else PAGE + 1  # SQLite: one LIKE
    page_queries(client, "Budi")  # the reference data's cache, filled once per process
    first, _rows = page_queries(client, term)
    assert first == expected, path
    people(20, "Siti Lestari")
    people(20, "Budi Santoso")
    again, rows = page_queries(client, term)
    assert again == expected, path
    assert rows, path
