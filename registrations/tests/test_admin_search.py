"""The entrepreneur list's search: substring of names, NIK and phone as before, and at most
SEARCH_CAP matches visited (registrations/admin/search.py). The cap is lowered to 3 here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN
from registrations.admin import search
from registrations.models import Entrepreneur
from registrations.tests.admin_fixtures import admin_url, changelist_results
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

CAP = 3
CAPPED_EN = "More than 3 people match this search and only 3 of them are listed."
CAPPED_ID = "Lebih dari 3 orang cocok dengan pencarian ini dan hanya 3 di antaranya yang ditampilkan."


@pytest.fixture(autouse=True)
def small_cap(monkeypatch):
    monkeypatch.setattr(search, "SEARCH_CAP", CAP)


def people(n: int, name: str, kelurahan: str = GAMBIR_KELURAHAN) -> list[Entrepreneur]:
    return [EntrepreneurFactory(user=None, full_name=name, kelurahan_code=kelurahan) for _ in range(n)]


def search_page(client, term: str, **params):
    response = client.get(admin_url("registrations_entrepreneur_changelist"), {"q": term, **params})
    assert response.status_code == 200
    return response


def queries_for(client, term: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        search_page(client, term)
    return len(captured)


@pytest.mark.parametrize("term", ["estari", "ESTARI", "lestari hut", "Siti Lestari Hutapea", "tapea"])
def test_a_part_of_the_name_finds_the_person(client, dina, term):
    (siti,) = people(1, "Siti Lestari Hutapea")
    people(1, "Budi Santoso")
    client.force_login(dina)
    assert changelist_results(search_page(client, term)) == [siti]


def test_nik_and_phone_find_one_person_as_before(client, dina):
    (siti,) = people(1, "Siti Lestari Hutapea")
    client.force_login(dina)
    assert changelist_results(search_page(client, siti.nik)) == [siti]
    assert changelist_results(search_page(client, "0" + siti.phone[3:])) == [siti]


def test_up_to_the_cap_every_match_is_listed_and_counted_exactly(english, dina):
    found = people(CAP, "Siti Lestari")
    english.force_login(dina)
    response = search_page(english, "lestari")
    assert set(changelist_results(response)) == set(found)
    page = response.content.decode()
    assert "3 results" in page
    assert "More than" not in page


def test_past_the_cap_the_list_says_so_in_english(english, dina):
    found = people(CAP + 2, "Siti Lestari")
    english.force_login(dina)
    response = search_page(english, "lestari")
    listed = changelist_results(response)
    assert len(listed) == CAP
    assert set(listed) <= set(found)
    page = response.content.decode()
    assert CAPPED_EN in page
    assert "Add a word of the name, or filter by kecamatan." in page
    assert "more than 3 results" in page


def test_past_the_cap_the_list_says_so_in_indonesian(client, dina):
    people(CAP + 1, "Siti Lestari")
    client.force_login(dina)  # no language cookie: Indonesian, the site's default
    page = search_page(client, "lestari").content.decode()
    assert CAPPED_ID in page
    assert "Tambahkan satu kata dari nama, atau saring menurut kecamatan." in page
    assert "lebih dari 3" in page


def test_the_listed_matches_are_in_the_lists_order(english, dina):
    people(CAP + 3, "Siti Lestari")
    english.force_login(dina)
    listed = changelist_results(search_page(english, "lestari"))
    order = sorted(listed, key=lambda e: (e.registered_at, e.pk), reverse=True)
    assert listed == order


def test_show_all_lists_no_more_than_the_cap(english, dina, monkeypatch):
    from registrations.admin.entrepreneurs import EntrepreneurAdmin

    monkeypatch.setattr(EntrepreneurAdmin, "list_per_page", 2)
    people(CAP + 4, "Siti Lestari")
    english.force_login(dina)
    assert len(changelist_results(search_page(english, "lestari", p=2))) == 1
    assert len(changelist_results(search_page(english, "lestari", all=""))) == CAP


def test_a_page_past_the_capped_matches_is_refused_cleanly(english, dina, monkeypatch):
    from registrations.admin.entrepreneurs import EntrepreneurAdmin

    monkeypatch.setattr(EntrepreneurAdmin, "list_per_page", 2)
    people(CAP + 1, "Siti Lestari")
    english.force_login(dina)
    response = english.get(admin_url("registrations_entrepreneur_changelist"), {"q": "lestari", "p": "9"})
    assert response.status_code == 302  # Django's "invalid page" redirect to ?e=1, not a 500
    assert "e=1" in response["Location"]


def test_centre_staff_search_counts_and_lists_only_their_kecamatan(english, alice):
    gambir = people(2, "Siti Lestari", GAMBIR_KELURAHAN)
    people(CAP + 5, "Siti Lestari", MENTENG_KELURAHAN)
    english.force_login(alice)
    response = search_page(english, "lestari")
    assert set(changelist_results(response)) == set(gambir)
    page = response.content.decode()
    assert "2 results" in page
    assert "More than" not in page  # the people of Menteng do not make the search "capped"


def test_centre_staff_past_the_cap_see_only_their_own(english, alice):
    gambir = people(CAP + 1, "Siti Lestari", GAMBIR_KELURAHAN)
    people(CAP + 1, "Siti Lestari", MENTENG_KELURAHAN)
    english.force_login(alice)
    response = search_page(english, "lestari", all="")
    assert set(changelist_results(response)) <= set(gambir)
    assert CAPPED_EN in response.content.decode()


def test_staff_who_see_no_one_find_no_one(english, carol):
    people(CAP + 1, "Siti Lestari")
    english.force_login(carol)
    response = search_page(english, "lestari")
    assert changelist_results(response) == []
    assert "More than" not in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["dina", "alice"])
@pytest.mark.parametrize("term", ["lestari", "estari", "siti lestari"])
def test_a_search_costs_no_more_queries_past_the_cap_and_with_more_data(
    client, request, user_fixture, term, django_assert_max_num_queries
):
    # Under the cap the Dinas's search asks the word-start ranges, then the trigram index;
    # past it (on PostgreSQL) the word-start ranges alone may settle it: never more queries.
    client.force_login(request.getfixturevalue(user_fixture))
    people(2, "Siti Lestari")
    under = queries_for(client, term)
    people(CAP + 10, "Siti Lestari")
    people(20, "Budi Santoso")
    with django_assert_max_num_queries(under):
        search_page(client, term)
    with django_assert_max_num_queries(under):
        search_page(client, term, p=2)
    with django_assert_max_num_queries(under):
        search_page(client, "nobody at all")


def test_a_match_inside_a_word_is_found_beside_matches_at_word_starts(english, dina):
    starts = people(1, "Sari Dewi") + people(1, "Dewi Sari")
    inside = people(1, "Purnamasari Hutapea")
    people(1, "Budi Santoso")
    english.force_login(dina)
    assert set(changelist_results(search_page(english, "sari"))) == set(starts + inside)


def test_past_the_cap_at_word_starts_every_listed_row_matches(english, dina):
    people(CAP + 2, "Siti Lestari Hutapea")
    people(CAP + 2, "Lestari Wati")
    people(CAP + 2, "Budi Santoso")
    english.force_login(dina)
    response = search_page(english, "lestari hu")
    listed = changelist_results(response)
    assert len(listed) == CAP
    assert all(person.full_name == "Siti Lestari Hutapea" for person in listed)
    assert CAPPED_EN in response.content.decode()


def test_a_fourth_word_is_found(english, dina):
    (person,) = people(1, "Ni Made Ayu Lestari")
    english.force_login(dina)
    assert changelist_results(search_page(english, "lestari")) == [person]
    assert changelist_results(search_page(english, "ayu les")) == [person]


def test_word_start_ranges_find_only_word_starts_and_stop_at_the_limit(dina):
    first = people(2, "Lestari Wati")
    second = people(2, "Siti Lestari")
    third = people(2, "Siti Ayu Lestari")
    people(2, "Siti Ayulestari")  # inside a word: not a word start
    searched = Entrepreneur.objects.filter(full_name__icontains="lestari")
    kecamatan = ["31.71.01"]
    every = search.matching_ids(searched, 100, name="lestari", kecamatan=kecamatan)
    assert len(every) == 8  # the word-start ranges found fewer than 100: all substring matches
    if connection.vendor != "postgresql":
        return  # no REGEXP_REPLACE in SQLite: the word-start ranges exist on PostgreSQL only
    word_starts = {p.pk for p in first + second + third}
    assert set(search.word_start_query(searched, "lestari", 100, kecamatan=kecamatan)) == word_starts
    # One per word at most; a name of fewer than three words is its own "name from word 3".
    one_each = set(search.word_start_query(searched, "lestari", 1, kecamatan=kecamatan))
    assert one_each <= word_starts
    assert 1 <= len(one_each) <= 3
    assert set(search.matching_ids(searched, 5, name="lestari", kecamatan=kecamatan)) <= word_starts
    assert list(search.word_start_query(searched, "lestari", 100, kecamatan=["31.71.06"])) == []


def test_the_export_of_a_search_is_not_capped(english, dina):
    people(CAP + 2, "Siti Lestari")
    english.force_login(dina)
    response = english.get(admin_url("registrations_entrepreneur_export", "csv"), {"q": "lestari"})
    rows = b"".join(response.streaming_content).decode().strip().splitlines()
    assert len(rows) == 1 + CAP + 2  # header and every match


@pytest.mark.parametrize("term", ["a", "Si", " e "])
def test_a_name_search_needs_three_letters(english, dina, term):
    people(2, "Siti Lestari")
    english.force_login(dina)
    response = search_page(english, term)
    assert changelist_results(response) == []
    assert "Type at least 3 letters of the name (or a NIK or mobile number)." in response.content.decode()


def test_three_letters_are_enough(english, dina):
    (siti,) = people(1, "Siti Lestari")
    english.force_login(dina)
    response = search_page(english, "tar")
    assert changelist_results(response) == [siti]
    assert "Type at least" not in response.content.decode()


def test_the_planner_settings_of_a_search_end_with_it(client, dina):
    people(CAP + 2, "Siti Lestari")
    client.force_login(dina)
    jit = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            jit = cursor.fetchone()
    search_page(client, "lestari")
    search_page(client, "estari")
    search_page(client, "ti lestari")
    if connection.vendor != "postgresql":
        return  # SQLite has no planner settings: nothing is set
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_bitmapscan"):
            cursor.execute(f"SHOW {setting}")
            assert cursor.fetchone() == ("on",), setting
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == jit
