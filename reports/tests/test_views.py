import csv
import datetime as dt
import io

import pytest
from django.test import override_settings
from django.utils import timezone

from registrations.models import Entrepreneur
from registrations.tests.factories import EntrepreneurFactory
from reports import services
from reports.models import ProgressSnapshot, Target

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"
TABLES = ["kota", "kecamatan", "months", "funnel", "track", "gender", "age", "sector", "status", "centres", "targets"]


@pytest.fixture
def snapshot(seed):
    seed(30)
    return services.progress_snapshot_create()


@pytest.fixture
def as_olga(english, olga):
    english.force_login(olga)
    return english


@override_settings(LOGIN_URL="/accounts/login/")
def test_anonymous_visitors_are_sent_to_the_login_page(client, snapshot):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/") and "next=/dashboard/" in response.url
    assert client.get("/dashboard/kota.csv").status_code == 302


def test_an_entrepreneur_is_refused(client, snapshot):
    entrepreneur = EntrepreneurFactory()
    client.force_login(entrepreneur.user)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get("/dashboard/kota.csv").status_code == 403


def test_centre_staff_without_the_permission_are_refused(client, alice, snapshot):
    client.force_login(alice)
    assert client.get(DASHBOARD).status_code == 403


@pytest.mark.parametrize("who", ["olga", "dina"])
def test_officials_and_dinas_admins_see_the_dashboard(english, who, request, snapshot):
    english.force_login(request.getfixturevalue(who))
    response = english.get(DASHBOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Progress dashboard" in body
    assert f"{snapshot.registered_total:,}" in body
    assert 'id="dashboard-data"' in body and 'data-chart="cumulative"' in body
    assert "chart.umd.min.js" in body and "js/dashboard.js" in body
    assert "<script>" not in body.replace('<script id="dashboard-data" type="application/json">', "")


def test_only_the_dinas_admin_gets_the_recompute_button(
    client, olga, dina, snapshot, django_capture_on_commit_callbacks
):
    client.force_login(olga)
    assert "/dashboard/recompute/" not in client.get(DASHBOARD).content.decode()
    assert client.post("/dashboard/recompute/").status_code == 403
    client.force_login(dina)
    assert "/dashboard/recompute/" in client.get(DASHBOARD).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dashboard/recompute/")
    assert response.status_code == 302 and response.url == DASHBOARD
    assert ProgressSnapshot.objects.count() == 2


def test_without_a_snapshot_the_dashboard_says_so(english, olga, dina, django_capture_on_commit_callbacks):
    english.force_login(olga)
    body = english.get(DASHBOARD).content.decode()
    assert "No figures have been computed yet" in body and "Compute the figures now" not in body
    english.force_login(dina)
    assert "Compute the figures now" in english.get(DASHBOARD).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        english.post("/dashboard/recompute/")
    assert "No figures have been computed yet" not in english.get(DASHBOARD).content.decode()


def test_the_kota_filter_shows_only_that_kota(as_olga, snapshot):
    body = as_olga.get(DASHBOARD, {"kota": "31.71"}).content.decode()
    assert "Kota Administrasi Jakarta Pusat" in body
    assert "Menteng" in body and "Cakung" not in body  # Cakung is in Jakarta Timur
    everything = as_olga.get(DASHBOARD).content.decode()
    assert "Menteng" in everything and "Cakung" in everything


@pytest.mark.parametrize("value", ["31.99", "<script>alert(1)</script>", "x" * 500, "31.71.01"])
def test_a_bad_kota_gets_a_clear_message_not_an_error(as_olga, snapshot, value):
    response = as_olga.get(DASHBOARD, {"kota": value})
    assert response.status_code == 400
    body = response.content.decode()
    assert "is not a kota of DKI Jakarta" in body
    assert "<script>alert" not in body
    assert as_olga.get("/dashboard/kota.csv", {"kota": value}).status_code == 400


def test_a_stale_snapshot_is_flagged(as_olga, settings):
    settings.PROGRESS_STALE_AFTER_SECONDS = 1800
    snapshot = services.progress_snapshot_create()
    assert "out of date" not in as_olga.get(DASHBOARD).content.decode()
    ProgressSnapshot.objects.filter(pk=snapshot.pk).update(computed_at=timezone.now() - dt.timedelta(hours=2))
    body = as_olga.get(DASHBOARD).content.decode()
    assert "out of date" in body and "120 minutes ago" in body


def _months_since_launch() -> int:
    today = timezone.localdate()
    return (today.year - 2017) * 12 + today.month - 12 + 1  # December 2017 to this month


# Data rows of each table for Jakarta Selatan (31.74): every kota beside it, its 10 kecamatan
# and centres, P1–P7, each track, gender, age band, sector (and none) and status, every month
# since the launch, and its own target.
ROWS_FOR_JAKARTA_SELATAN = {
    "kota": lambda: 6,
    "kecamatan": lambda: 10,
    "months": _months_since_launch,
    "funnel": lambda: 7,
    "track": lambda: 2,
    "gender": lambda: 2,
    "age": lambda: 5,
    "sector": lambda: 10,
    "status": lambda: 3,
    "centres": lambda: 10,
    "targets": lambda: 1,
}


@pytest.fixture
def snapshot_with_a_kota_target(seed):
    seed(30)
    Target.objects.create(
        name="Jakarta Selatan 2026",
        value=50,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        kota_id="31.74",
    )
    return services.progress_snapshot_create()


@pytest.mark.parametrize("table", TABLES)
def test_every_table_downloads_as_csv(as_olga, snapshot_with_a_kota_target, table):
    response = as_olga.get(f"/dashboard/{table}.csv", {"kota": "31.74"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"jakpreneur-{table}-31.74-" in response["Content-Disposition"]
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(header) >= 2
    assert len(rows) == ROWS_FOR_JAKARTA_SELATAN[table]()
    assert all(len(row) == len(header) for row in rows)
    if table == "targets":
        assert rows[0][0] == "Jakarta Selatan 2026" and rows[0][2] == "50"


def test_an_unknown_table_is_not_found(as_olga, snapshot):
    assert as_olga.get("/dashboard/people.csv").status_code == 404


def test_the_dashboard_shows_no_personal_data(as_olga, snapshot):
    body = as_olga.get(DASHBOARD).content.decode()
    for entrepreneur in Entrepreneur.objects.all()[:30]:
        assert entrepreneur.nik not in body
        assert entrepreneur.phone not in body
        assert entrepreneur.full_name not in body
        assert entrepreneur.address not in body


def test_the_dashboard_query_count_does_not_grow_with_the_data(as_olga, seed, django_assert_num_queries):
    seed(10)
    services.progress_snapshot_create()
    as_olga.get(DASHBOARD)  # the first page of a session remembers the menu's links in it
    with django_assert_num_queries(5) as small:
        assert as_olga.get(DASHBOARD, {"kota": "31.72"}).status_code == 200
    seed(990, seed=8)
    services.progress_snapshot_create()
    with django_assert_num_queries(len(small)):
        assert as_olga.get(DASHBOARD, {"kota": "31.72"}).status_code == 200


def test_the_navbar_links_the_dashboard_for_those_allowed_and_open_data_for_all(client, olga, alice):
    body = client.get("/").content.decode()
    assert 'href="/open-data/"' in body and 'href="/dashboard/"' not in body
    client.force_login(alice)
    assert 'href="/dashboard/"' not in client.get("/").content.decode()
    client.force_login(olga)
    assert 'href="/dashboard/"' in client.get("/").content.decode()


def test_the_admin_index_shows_the_headline_and_links_the_dashboard(admin_client, snapshot):
    admin_client.cookies["django_language"] = "en"
    body = admin_client.get("/admin/").content.decode()
    assert "Progress against the target" in body
    assert f"{snapshot.registered_total:,}" in body
    assert 'href="/dashboard/"' in body


def test_the_admin_index_without_a_snapshot_says_so(admin_client):
    admin_client.cookies["django_language"] = "en"
    assert "No figures have been computed yet" in admin_client.get("/admin/").content.decode()


def test_the_admin_recompute_button_creates_a_snapshot(admin_client, django_capture_on_commit_callbacks):
    admin_client.cookies["django_language"] = "en"
    assert "Recompute now" in admin_client.get("/admin/reports/progresssnapshot/").content.decode()
    assert admin_client.get("/admin/reports/progresssnapshot/recompute/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/reports/progresssnapshot/recompute/")
    assert response.status_code == 302
    assert ProgressSnapshot.objects.count() == 1


def test_staff_without_the_recompute_permission_cannot_recompute_from_the_admin(client, alice):
    client.force_login(alice)
    assert client.post("/admin/reports/progresssnapshot/recompute/").status_code in (302, 403)
    assert not ProgressSnapshot.objects.exists()


def test_the_target_admin_lists_the_rpjmd_target(admin_client):
    body = admin_client.get("/admin/reports/target/").content.decode()
    assert "200000" in body.replace(",", "").replace(".", "")


def test_the_dinas_admin_role_manages_targets_and_unlocks_accounts(dina, alice, olga):
    for codename in (
        "reports.add_target",
        "reports.change_target",
        "reports.view_progresssnapshot",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ):
        assert dina.has_perm(codename), codename
        assert not alice.has_perm(codename) and not olga.has_perm(codename), codename


def test_the_dinas_admin_can_open_the_target_admin(client, dina):
    client.force_login(dina)
    assert client.get("/admin/reports/target/").status_code == 200
    assert client.get("/admin/axes/accessattempt/").status_code == 200
