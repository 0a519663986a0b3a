"""Issue 13, item 7: an absurdly long URL gets a friendly 414 page in the visitor's language,
never a 500 and never a search run on it. (tests/fault/test_long_urls.py does it through a
real gunicorn, whose own limit used to answer first with a bare page.)"""

import pytest

from jakpreneur.tests.html_checks import assert_strict_csp
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

LONG = "x" * 5000


def test_a_5000_character_query_string_gets_the_414_page_in_indonesian(client):
    response = client.get(f"/?q={LONG}")
    assert response.status_code == 414
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Alamat terlalu panjang" in html
    assert LONG not in html  # not echoed back
    assert_strict_csp(response)


def test_the_414_page_speaks_english_too(english):
    response = english.get(f"/open-data/?kota={LONG}")
    assert response.status_code == 414
    assert b"Address too long" in response.content
    assert b"Go to the home page" in response.content


def test_long_urls_stop_before_any_search_in_the_back_office(client, dina, django_assert_max_num_queries):
    EntrepreneurFactory()
    client.force_login(dina)
    with django_assert_max_num_queries(0):
        response = client.get("/admin/registrations/entrepreneur/", {"q": LONG})
    assert response.status_code == 414


def test_an_ordinary_long_url_still_works(client, settings):
    query = "q=" + "x" * (settings.MAX_URL_LENGTH - len("/?q="))
    assert client.get(f"/?{query}").status_code == 200
    assert client.get(f"/?{query}x").status_code == 414
