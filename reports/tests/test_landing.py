import pytest

from reports import services
from reports.models import ProgressSnapshot
from reports.snapshot import ALL

pytestmark = pytest.mark.django_db


def test_landing_explains_the_programme_in_indonesian_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="id">' in body
    assert "Mulai dan kembangkan usaha Anda bersama JakPreneur" in body  # compiled translation in use
    for name in [
        "Pendaftaran",
        "Pelatihan",
        "Pendampingan",
        "Perizinan",
        "Pemasaran",
        "Pelaporan keuangan",
        "Permodalan",
    ]:
        assert name in body


def test_landing_switches_to_english(english):
    body = english.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Financial reporting" in body and "Capital" in body


def test_language_switcher_sets_the_language(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/centers/"})
    assert response.status_code == 302
    assert response["Location"] == "/centers/"
    assert '<html lang="en">' in client.get("/centers/").content.decode()


def test_landing_shows_the_headline_figure_once_a_snapshot_exists(english):
    assert "Figures will appear here" in english.get("/").content.decode()
    data = services.progress_compute()  # the figures below, as a computation would store them
    data["scopes"][ALL]["totals"]["registered"] = 150_000
    (rpjmd,) = data["targets"]
    rpjmd.update(achieved=150_000, percent=75.0)
    ProgressSnapshot.objects.create(registered_total=150_000, data=data)
    body = english.get("/").content.decode()
    assert "150,000" in body and "75.0%" in body and "200,000" in body
