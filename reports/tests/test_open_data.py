import csv
import io

import pytest
from django.test import Client

from reports import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_counts(people):
    """Gambir: 3 entrepreneurs (suppressed); Menteng: 6 (published)."""
    for _ in range(3):
        people.add("31.71.01", sector="kuliner", facilities={"P2": "completed"})
    for _ in range(6):
        people.add("31.71.06", sector="fesyen")
    return services.progress_snapshot_create()


def test_open_data_needs_no_login_and_states_its_licence(english, small_counts):
    response = english.get("/open-data/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "CC BY 4.0" in body and "creativecommons.org/licenses/by/4.0" in body
    for slug in ("kota", "kecamatan", "month", "facility", "sector"):
        assert f"/open-data/{slug}.csv" in body and f"/open-data/{slug}.json" in body


def test_small_counts_are_suppressed_in_html(client, small_counts):
    body = client.get("/open-data/").content.decode()
    gambir = body.split('<th scope="row" class="fw-normal">31.71.01</th>')[1].split("</tr>")[0]
    menteng = body.split('<th scope="row" class="fw-normal">31.71.06</th>')[1].split("</tr>")[0]
    assert "&lt;5" in gambir and ">3<" not in gambir
    assert ">6<" in menteng


def test_small_counts_are_suppressed_in_csv(client, small_counts):
    response = client.get("/open-data/kecamatan.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = {row[0]: row for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert rows["31.71.01"][3] == "<5"
    assert rows["31.71.06"][3] == "6"
    assert rows["31.75.01"][3] == "<5"  # zero is below five too
    kota = {
        row[0]: row for row in csv.reader(io.StringIO(client.get("/open-data/kota.csv").content.decode("utf-8-sig")))
    }
    # Jakarta Pusat's 9 is all of Jakarta's 9 (on the landing page): published, it would show
    # that every other kota has 0. It is withheld, so each other kota may hold up to 4.
    assert kota["31.71"][2] == "x"
    assert kota["31.72"][2] == "<5"


def test_small_counts_are_suppressed_in_json(client, small_counts):
    response = client.get("/open-data/all.json")
    assert response.status_code == 200
    payload = response.json()
    assert payload["licence"] == "CC BY 4.0"
    kecamatan = {row["code"]: row["registered"] for row in payload["tables"]["kecamatan"]}
    assert kecamatan["31.71.01"] == "<5" and kecamatan["31.71.06"] == 6
    facility = {row["code"]: row for row in payload["tables"]["facility"]}
    assert facility["P1"]["reached"] == 9 and facility["P2"]["completed"] == "<5"
    sector = {row["code"]: row["entrepreneurs"] for row in payload["tables"]["sector"]}
    assert sector["fesyen"] == 6 and sector["kuliner"] == "<5"
    months = client.get("/open-data/month.json").json()["tables"]["month"]
    # All nine registered in one month: its 9 would show every other month to be 0, so it is
    # withheld too. Every other month (zero) is below five.
    published = [row["new_registrations"] for row in months if row["new_registrations"] != "<5"]
    assert published == ["x"] and len(months) > 1
    assert "cumulative" not in months[0]


def test_open_data_does_not_publish_personal_data(client, small_counts, people):
    entrepreneur = people.add("31.71.01")
    services.progress_snapshot_create()
    for url in ("/open-data/", "/open-data/all.json", "/open-data/kecamatan.csv"):
        body = client.get(url).content.decode()
        assert entrepreneur.nik not in body and entrepreneur.full_name not in body


def test_unknown_tables_are_not_found(client, small_counts):
    assert client.get("/open-data/people.json").status_code == 404
    assert client.get("/open-data/people.csv").status_code == 404
    assert client.get("/open-data/all.csv").status_code == 404


def test_before_any_snapshot_open_data_says_so(english):
    assert "No figures have been published yet" in english.get("/open-data/").content.decode()
    assert english.get("/open-data/kota.csv").status_code == 404


def test_the_page_explains_the_protection_in_both_languages(english, small_counts):
    english_body = english.get("/open-data/").content.decode()
    assert "How small counts are protected" in english_body
    assert "at least two hidden counts" in english_body and "“x”" in english_body
    # Jakarta Pusat's 9 is withheld, marked and explained where it stands.
    pusat = english_body.split('<th scope="row" class="fw-normal">31.71</th>')[1].split("</tr>")[0]
    assert '<abbr title="Withheld so that a small count cannot be worked out by subtraction">x</abbr>' in pusat
    indonesian = Client().get("/open-data/").content.decode()  # Indonesian, the default
    assert "Cara angka kecil dilindungi" in indonesian and "sedikitnya dua angka tersembunyi" in indonesian
    assert "adalah jumlah dari 0 sampai 4" in indonesian
    assert "Disembunyikan agar angka kecil tidak dapat dihitung lewat pengurangan" in indonesian


def test_the_json_says_what_each_marker_means(client, small_counts):
    note = client.get("/open-data/all.json").json()["note"]
    assert '"<5" (0 to 4)' in note and '"x" is a count of 5 or more' in note


def test_no_share_percentage_or_running_total_is_published(client, small_counts):
    """A share or a cumulative count of a suppressed cell gives it away."""
    payload = client.get("/open-data/all.json").json()
    for slug, records in payload["tables"].items():
        for key in records[0]:
            assert not any(word in key for word in ("percent", "share", "cumulative", "rate")), (slug, key)
        header = client.get(f"/open-data/{slug}.csv").content.decode("utf-8-sig").splitlines()[0]
        assert "%" not in header and "umulative" not in header
    assert "%" not in "".join(
        line for line in client.get("/open-data/").content.decode().splitlines() if "<td" in line or "<th" in line
    )
