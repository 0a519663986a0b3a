import pytest

pytestmark = pytest.mark.django_db


def test_centres_page_lists_44_centres_grouped_by_kota(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/centers/")
    assert response.status_code == 200
    assert len(response.context["groups"]) == 6
    assert sum(len(centers) for _, centers in response.context["groups"]) == 44
    assert "JakPreneur Kecamatan Gambir" in response.content.decode()


def test_centres_page_speaks_english_on_request(english):
    response = english.get("/centers/")
    assert response.status_code == 200
    assert "JakPreneur centres" in response.content.decode()
    assert '<html lang="en">' in response.content.decode()


def test_kecamatan_options_of_a_kota(client):
    response = client.get("/api/regions/kecamatan/", {"kota": "31.71"})
    assert response.status_code == 200
    names = [row["name"] for row in response.json()["results"]]
    assert len(names) == 8 and "Gambir" in names and "Menteng" in names


def test_kelurahan_options_of_a_kecamatan(client):
    response = client.get("/api/regions/kelurahan/", {"kecamatan": "31.71.01"})
    assert response.status_code == 200
    codes = [row["code"] for row in response.json()["results"]]
    assert len(codes) == 6 and all(code.startswith("31.71.01.") for code in codes)


@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        ("/api/regions/kecamatan/", {}, 400),
        ("/api/regions/kecamatan/", {"kota": "'; DROP TABLE"}, 400),
        ("/api/regions/kecamatan/", {"kota": "31.99"}, 404),
        ("/api/regions/kelurahan/", {"kecamatan": "31.71"}, 400),
        ("/api/regions/kelurahan/", {"kecamatan": "31.71.99"}, 404),
    ],
)
def test_region_endpoints_answer_bad_input_with_a_clear_error(client, url, params, status):
    response = client.get(url, params)
    assert response.status_code == status
    assert response.json()["error"]
