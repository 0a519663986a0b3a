import datetime as dt

import pytest
from django.test import Client

from reports import services
from reports.models import ProgressSnapshot, Target
from reports.snapshot import ALL
from reports.tests.conftest import at

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
    data["public"]["registered"] = 150_000  # what the snapshot publishes is what the page shows
    ProgressSnapshot.objects.create(registered_total=150_000, data=data)
    body = english.get("/").content.decode()
    assert "150,000" in body and "75.0%" in body and "200,000" in body


def test_a_total_below_five_is_not_published_on_the_landing_page(english, people):
    for _ in range(3):
        people.add("31.71.01")
    services.progress_snapshot_create()
    body = english.get("/").content.decode()
    assert "progress-headline" not in body and "% of the target" not in body
    assert "The total will appear here once there are enough registrations" in body
    assert "Jumlahnya akan tampil di sini setelah pendaftar cukup banyak" in Client().get("/").content.decode()


def test_the_share_of_a_later_target_is_not_shown_when_it_would_reveal_a_small_count(english, people):
    """40 registered, 37 of them since the target's start: the share would tell that 3
    registered before (and so in the one earlier month with registrations). The total stays."""
    Target.objects.create(
        name="RPD 2023–2026", value=100, period_start=dt.date(2023, 1, 1), period_end=dt.date(2026, 12, 31)
    )
    for registered_at, count in ((at(2019, 5), 3), (at(2024, 1), 20), (at(2024, 2), 17)):
        for _ in range(count):
            people.add("31.71.01", registered_at=registered_at)
    services.progress_snapshot_create()
    body = english.get("/").content.decode()
    assert '<p class="progress-headline mb-1">40</p>' in body
    assert "% of the target" not in body and 'role="progressbar"' not in body
    assert "registered entrepreneurs; the target is 100." in body


# --- the P6 outcomes beside the total ---------------------------------------------------------


def _snapshot_publishing(**public):
    """A stored snapshot whose published answer (SnapshotData.public) is `public`."""
    data = services.progress_compute()
    data["scopes"][ALL]["totals"]["registered"] = 150_000
    data["public"].update(public)
    return ProgressSnapshot.objects.create(registered_total=150_000, data=data)


def test_the_landing_page_shows_the_published_outcomes_with_their_definitions(english):
    _snapshot_publishing(registered=150_000, naik_kelas=1_234, wirausaha_baru=5_678, reported_last_month=60_000)
    body = english.get("/").content.decode()
    assert 'id="landing-outcomes"' in body
    assert '<p class="h3 mb-0" data-public="naik_kelas">1,234</p>' in body
    assert '<p class="h3 mb-0" data-public="wirausaha_baru">5,678</p>' in body
    assert "40.0%" in body and "(60,000 reported)" in body  # 60,000 of the 150,000 registered
    assert "than when they first reported." in body and "now report sales." in body
    assert "filed last month&#x27;s business report." in body
    indonesian = Client().get("/").content.decode()
    assert "Naik kelas" in indonesian and "Wirausaha baru" in indonesian and "Tingkat pelaporan" in indonesian
    assert "40,0%" in indonesian and "(60.000 melapor)" in indonesian
    assert "sekarang berada di kelas usaha yang lebih tinggi" in indonesian


@pytest.mark.parametrize("hidden", ["<5", "x"])
def test_a_suppressed_outcome_is_not_shown(english, hidden):
    _snapshot_publishing(registered=150_000, naik_kelas=hidden, wirausaha_baru=5_678, reported_last_month=hidden)
    body = english.get("/").content.decode()
    assert 'data-outcome="naik_kelas"' not in body and 'data-outcome="reporting_rate"' not in body
    assert '<p class="h3 mb-0" data-public="wirausaha_baru">5,678</p>' in body
    section = body.split('id="landing-outcomes"')[1].split("Figures computed")[0]
    assert "reported)" not in section and ">x<" not in section and "&lt;5" not in section


def test_no_outcomes_without_a_snapshot_or_when_nothing_is_published(english):
    assert 'id="landing-outcomes"' not in english.get("/").content.decode()
    _snapshot_publishing(registered=150_000, naik_kelas="<5", wirausaha_baru="x", reported_last_month="<5")
    body = english.get("/").content.decode()
    assert 'id="landing-outcomes"' not in body and "150,000" in body


def test_the_reporting_rate_needs_the_total_published_too(english):
    """The rate is reported last month ÷ registered: with the total withheld it is not shown."""
    _snapshot_publishing(registered="x", naik_kelas=20, wirausaha_baru=30, reported_last_month=60_000)
    body = english.get("/").content.decode()
    assert 'data-outcome="reporting_rate"' not in body and "60,000" not in body


def test_a_computed_snapshot_does_not_show_small_outcome_totals(english, people):
    """Through the real computation: 12 people of Gambir, nobody reporting: Jakarta's outcome
    totals are 0, published as "<5", and the landing page leaves the outcomes out."""
    from reports.landing import landing_figures

    for _ in range(12):
        people.add("31.71.01")
    services.progress_snapshot_create()
    data = ProgressSnapshot.objects.latest_first().first().data
    assert data["public"]["naik_kelas"] == "<5" and data["public"]["reported_last_month"] == "<5"
    figures = landing_figures(data)
    assert (figures.naik_kelas, figures.reported_last_month, figures.reporting_rate) == (None, None, None)
    assert 'id="landing-outcomes"' not in english.get("/").content.decode()


def _outcomes_published(naik_kelas: dict[str, int], *, reported_last_month: int = 12):
    """protect's answer for the naik-kelas table of three kecamatan of 20 registered each,
    10 reporting in each, wirausaha baru 6 in each; `naik_kelas` per kecamatan."""
    from reports.disclosure import HEADLINE, Publication, audit, protect
    from reports.public import REGISTERED, naik_kelas_by_kecamatan

    codes = sorted(naik_kelas)
    outcomes = {code: {"reporting": 10, "wirausaha_baru": 6, "naik_kelas": naik_kelas[code]} for code in codes}
    totals = {key: sum(row[key] for row in outcomes.values()) for key in ("reporting", "wirausaha_baru", "naik_kelas")}
    data = {
        "kecamatan": [{"code": code, "name": code, "outcomes": outcomes[code]} for code in codes],
        "scopes": {ALL: {"outcomes": {**totals, "reported_last_month": reported_last_month}}},
    }
    publication = Publication()
    registered = publication.count(REGISTERED, 20 * len(codes), weight=HEADLINE)
    publication.sum(registered, [publication.count(f"registered@{code}", 20) for code in codes])
    naik_kelas_by_kecamatan(data, publication)
    published = protect(publication)
    withheld = {key for key, value in published.items() if value == "x"}
    bounds = audit(publication.cells, publication.relations, withheld, publication.inequalities)
    return published, bounds


def test_the_outcome_totals_are_their_columns_sums_published_with_the_column_protected():
    """Naik kelas and wirausaha baru of Jakarta are declared as the sums of their columns, at
    headline weight: published even when a kecamatan's cell is small, with one more cell of
    the column withheld so that the total minus the others does not give the small one away."""
    published, _bounds = _outcomes_published({"a": 5, "b": 7, "c": 9})
    assert (published["naik_kelas"], published["wirausaha_baru"], published["reported_last_month"]) == (21, 18, 12)
    assert [published[f"naik_kelas@{code}"] for code in "abc"] == [5, 7, 9]

    published, bounds = _outcomes_published({"a": 3, "b": 7, "c": 9})
    assert published["naik_kelas"] == 19  # the headline stays
    assert published["naik_kelas@a"] == "<5"
    assert "x" in (published["naik_kelas@b"], published["naik_kelas@c"])  # company for a
    assert bounds["naik_kelas@a"][0] != bounds["naik_kelas@a"][1]  # a keeps a range


def test_reported_last_month_is_at_most_the_reporting_column_and_small_is_not_shown():
    published, _bounds = _outcomes_published({"a": 5, "b": 7, "c": 9}, reported_last_month=4)
    assert published["reported_last_month"] == "<5"
    # Every kecamatan reports 10: a total of 30 who reported last month would pin nothing small.
    published, bounds = _outcomes_published({"a": 5, "b": 7, "c": 9}, reported_last_month=30)
    assert published["reported_last_month"] == 30
    assert bounds["reporting"] == (30, 30)  # the hidden column sum, pinned: it was no secret
