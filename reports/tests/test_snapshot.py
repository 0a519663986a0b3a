"""The snapshot's declared structure: what is stored matches it, what does not is "not usable"
(the pages say figures are coming and offer a recompute, never a 500), and the dashboard's
JavaScript reads only the declared chart keys."""

import copy
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from reports import rollups, selectors, services
from reports.models import ProgressSnapshot, Target
from reports.queries import reference_load
from reports.snapshot import (
    ALL,
    SNAPSHOT_VERSION,
    BreakdownSeries,
    ChartData,
    ChartLabels,
    CumulativeSeries,
    FunnelSeries,
    GaugeSeries,
    KotaSeries,
    SnapshotData,
    conforms,
    data_is_usable,
    snapshot_read,
)
from reports.tables import dashboard_tables
from reports.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(seed):
    seed(40)
    return services.progress_compute()


def test_a_computed_snapshot_has_the_declared_shape_and_reads_back(computed):
    assert computed["version"] == SNAPSHOT_VERSION
    assert conforms(computed, SnapshotData) and data_is_usable(computed)
    row = services.progress_snapshot_create()
    snapshot = snapshot_read(ProgressSnapshot.objects.get(pk=row.pk))
    assert snapshot.id == row.pk and snapshot.registered == row.registered_total > 0
    assert list(snapshot.data["scopes"]) == [ALL, "31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]


def _broken(data: dict, change) -> dict:
    data = copy.deepcopy(data)
    change(data)
    return data


MALFORMED = {
    "an older version": lambda d: d.update(version=SNAPSHOT_VERSION - 1),
    "a newer version": lambda d: d.update(version=SNAPSHOT_VERSION + 1),
    "no version": lambda d: d.pop("version"),
    "a missing section": lambda d: d.pop("centres"),
    "an undeclared key": lambda d: d.update(outcomes={}),
    "no province-wide scope": lambda d: d["scopes"].pop(ALL),
    "a kota without its scope": lambda d: d["scopes"].pop("31.71"),
    "a series shorter than the months": lambda d: d["scopes"][ALL]["new"].pop(),
    "a count as text": lambda d: d["kecamatan"][3].update(registered="12"),
    "a boolean for a count": lambda d: d["scopes"]["31.72"]["totals"].update(verified=True),
    "a missing funnel figure": lambda d: d["scopes"][ALL]["funnel"][2].pop("reached"),
    "a null in a series": lambda d: d["scopes"]["31.74"]["cumulative"].__setitem__(0, None),
    "targets as a dict": lambda d: d.update(targets={}),
}


@pytest.mark.parametrize("change", MALFORMED.values(), ids=MALFORMED.keys())
def test_an_old_or_malformed_snapshot_is_not_usable(computed, change):
    broken = _broken(computed, change)
    assert not data_is_usable(broken)
    assert snapshot_read(ProgressSnapshot.objects.create(data=broken)) is None


@pytest.mark.parametrize("data", [{}, [], "figures", 1], ids=["empty", "list", "text", "number"])
def test_a_snapshot_that_is_not_even_an_object_is_not_usable(data):
    assert snapshot_read(ProgressSnapshot.objects.create(data=data)) is None


def test_json_numbers_and_nulls_are_read_as_declared():
    assert conforms(2, float) and conforms(2.5, float) and not conforms(True, float)
    assert conforms(None, float | None) and not conforms(None, int)
    assert not conforms(1, bool) and conforms(False, bool)
    assert conforms({"labels": [], "values": [1], "style": "hbar"}, BreakdownSeries)
    assert not conforms({"labels": [], "values": [1], "style": "pie"}, BreakdownSeries)


def test_storing_a_computation_that_breaks_the_declaration_fails_and_keeps_the_previous(computed, monkeypatch):
    previous = services.progress_snapshot_create()
    monkeypatch.setattr(services, "progress_compute", lambda **kwargs: _broken(computed, MALFORMED["no version"]))
    with pytest.raises(ValueError, match="SnapshotData"):
        services.progress_snapshot_create()
    assert list(ProgressSnapshot.objects.all()) == [previous]


@pytest.fixture
def malformed(computed):
    return ProgressSnapshot.objects.create(data=_broken(computed, MALFORMED["an older version"]))


def test_the_dashboard_offers_a_recompute_that_replaces_an_unusable_snapshot(
    english, olga, dina, malformed, django_capture_on_commit_callbacks
):
    english.force_login(olga)
    response = english.get("/dashboard/", {"kota": "31.71"})
    assert response.status_code == 200
    assert "No figures have been computed yet" in response.content.decode()
    assert english.get("/dashboard/kota.csv").status_code == 404
    english.force_login(dina)
    assert "Compute the figures now" in english.get("/dashboard/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert english.post("/dashboard/recompute/").status_code == 302
    body = english.get("/dashboard/").content.decode()
    assert "No figures have been computed yet" not in body and 'id="dashboard-data"' in body
    assert english.get("/dashboard/kota.csv").status_code == 200


def test_public_pages_and_the_admin_index_treat_an_unusable_snapshot_as_none_yet(english, admin_client, malformed):
    assert "Figures will appear here" in english.get("/").content.decode()
    assert "No figures have been published yet" in english.get("/open-data/").content.decode()
    assert english.get("/open-data/all.json").status_code == 404
    assert english.get("/open-data/kota.csv").status_code == 404
    admin_client.cookies["django_language"] = "en"
    assert "No figures have been computed yet" in admin_client.get("/admin/").content.decode()


@pytest.mark.parametrize("kota", [None, "31.71", "31.01"])
def test_the_chart_series_have_the_declared_shape(computed, kota):
    series = selectors.chart_data(computed, kota, dashboard_tables(computed, kota))
    assert conforms(series, ChartData)
    assert set(series["breakdowns"]) == {"track", "gender", "age", "sector"}


def test_the_projection_continues_month_by_month_after_the_last_month(computed):
    series = selectors.chart_data(computed, None, dashboard_tables(computed, None))["cumulative"]
    last = computed["months"][-1]
    projected = series["months"][len(computed["months"]) :]
    year, month = map(int, last.split("-"))
    expected = []
    for _ in range(selectors.PROJECTION_MONTHS):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        expected.append(f"{year:04d}-{month:02d}")
    assert projected == expected
    assert series["actual"][len(computed["months"]) :] == [None] * selectors.PROJECTION_MONTHS


# Each name dashboard.js reads chart data through, and the declaration of what it holds.
JS_NAMES = {
    "data": ChartData,
    "labels": ChartLabels,
    "gauge": GaugeSeries,
    "series": CumulativeSeries,
    "kota": KotaSeries,
    "funnel": FunnelSeries,
    "breakdown": BreakdownSeries,
}


def test_dashboard_js_reads_exactly_the_declared_chart_keys():
    script = (Path(settings.BASE_DIR) / "static" / "js" / "dashboard.js").read_text()
    read = {name: set() for name in JS_NAMES}
    for name, key in re.findall(r"\b(" + "|".join(JS_NAMES) + r")\.([A-Za-z_]+)", script):
        read[name].add(key)
    for name, declared in JS_NAMES.items():
        assert read[name] == set(declared.__annotations__), name


def test_the_headline_target_is_the_latest_province_target_everywhere_and_counts_from_its_start(
    english, people, olga, admin_client
):
    """The landing page chose the target with the latest period end and divided everybody
    registered by it; the dashboard and admin index took the earliest target and its
    `achieved` (from the period start, as documented). Now all use the latest target and
    its achieved value."""
    current = Target.objects.create(
        name="RPD 2023–2026", value=52, period_start=dt.date(2023, 1, 1), period_end=dt.date(2026, 12, 31)
    )
    assert selectors.rpjmd_target() == current
    assert "Target: 52 registered entrepreneurs" in english.get("/").content.decode()
    for _ in range(6):
        people.add(registered_at=at(2019, 5))  # before the current period: registered, not achieved
    for month, count in ((2, 7), (3, 6)):
        for _ in range(count):
            people.add(registered_at=at(2024, month))
    services.progress_snapshot_create()

    landing = english.get("/").content.decode()
    assert "registered entrepreneurs — 25.0% of the target of 52" in landing
    assert '<p class="progress-headline mb-1">19</p>' in landing
    english.force_login(olga)
    dashboard = english.get("/dashboard/").content.decode()
    assert "25.0 % · 13 of 52" in dashboard and "RPD 2023–2026" in dashboard
    admin_client.cookies["django_language"] = "en"
    assert "25.0% of the target of 52" in admin_client.get("/admin/").content.decode()


def test_roll_ups_sum_kecamatan_into_kota_and_kota_into_jakarta():
    ref = reference_load(now=timezone.now())
    per_kecamatan = {
        "31.71.01": Counter(registered=2, P2=1),
        "31.71.06": Counter(registered=3),
        "31.74.01": Counter(registered=5, P2=4),
        "31.99.99": Counter(registered=7),  # not in the reference data: Jakarta only
    }
    per_kota = rollups.roll_up_to_kota(per_kecamatan, ref.kota_of)
    assert per_kota["31.71"] == Counter(registered=5, P2=1) and per_kota["31.74"] == Counter(registered=5, P2=4)
    assert rollups.roll_up_to_all(per_kota) == Counter(registered=17, P2=5)
    scopes = rollups.roll_up(per_kecamatan, ref)
    assert list(scopes) == [ALL, "31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]
    assert scopes["31.72"] == Counter() and scopes[ALL]["registered"] == 17
