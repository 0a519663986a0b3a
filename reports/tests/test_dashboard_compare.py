"""Issue 15: the dashboard as officials use it. The gauge past the target, what is behind (areas
below their part of the target, centres without activity), the kecamatan compared (filters,
order, drill-down kota → kecamatan → centre) and the PDF/XLSX of what is on screen."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from facilities.models import Activity, Center, Kecamatan
from facilities.tests.factories import ActivityFactory
from registrations.tests.factories import EntrepreneurFactory
from reports import selectors, services
from reports.models import Target
from reports.snapshot import SnapshotData, conforms

pytestmark = pytest.mark.django_db

GAMBIR, MENTENG, TEBET = "31.71.01", "31.71.06", "31.74.01"


@pytest.fixture
def as_olga(english, olga):
    english.force_login(olga)
    return english


@pytest.fixture
def small_target():
    """A province target of 44 (one per kecamatan) with a later end than the RPJMD one: the headline."""
    return Target.objects.create(
        name="Uji 2026", value=44, period_start=dt.date(2017, 1, 1), period_end=dt.date(2030, 12, 31)
    )


@pytest.fixture
def figures(people, small_target):
    """Gambir 3 (its part: 1, on track), Menteng 1 (on track), Tebet 0 (behind); P2 in Gambir."""
    for _ in range(3):
        people.add(GAMBIR, facilities={"P2": "active"})
    people.add(MENTENG)
    return services.progress_snapshot_create()


def _row(data, code):
    return next(row for row in data["kecamatan"] if row["code"] == code)


# --- the snapshot: each area's part of the target --------------------------------------------


def test_each_kecamatan_gets_an_even_part_of_the_province_target_and_is_behind_below_it(figures):
    data = figures.data
    assert conforms(data, SnapshotData)
    gambir, menteng, tebet = (_row(data, code)["share"] for code in (GAMBIR, MENTENG, TEBET))
    assert gambir == {"target": 1, "achieved": 3, "percent": 300.0, "behind": False, "basis": "province"}
    assert menteng["behind"] is False and tebet == {
        "target": 1,
        "achieved": 0,
        "percent": 0.0,
        "behind": True,
        "basis": "province",
    }
    pusat = next(row for row in data["kota"] if row["code"] == "31.71")["share"]
    assert pusat["target"] == 8 and pusat["achieved"] == 4 and pusat["behind"]  # 8 kecamatan × 1
    assert _row(data, GAMBIR)["funnel"][1] == {"code": "P2", "reached": 3, "completed": 0}


def test_a_kota_or_kecamatan_target_of_its_own_replaces_the_even_part(people, small_target):
    Target.objects.create(
        name="Pusat", value=80, period_start=dt.date(2017, 1, 1), period_end=dt.date(2030, 1, 1), kota_id="31.71"
    )
    Target.objects.create(
        name="Tebet", value=2, period_start=dt.date(2017, 1, 1), period_end=dt.date(2030, 1, 1), kecamatan_id=TEBET
    )
    people.add(TEBET)
    people.add(TEBET)
    data = services.progress_compute()
    assert _row(data, GAMBIR)["share"]["target"] == 10 and _row(data, GAMBIR)["share"]["basis"] == "kota"
    assert _row(data, TEBET)["share"] == {"target": 2, "achieved": 2, "percent": 100.0, "behind": False, "basis": "own"}
    assert next(row for row in data["kota"] if row["code"] == "31.71")["share"]["target"] == 80


def test_without_any_registration_target_nothing_is_behind(people):
    Target.objects.all().delete()
    people.add(GAMBIR)
    data = services.progress_compute()
    assert all(row["share"] is None for row in data["kecamatan"] + data["kota"])
    behind = selectors.behind_in(data, None)
    assert behind.kota == [] and behind.kecamatan == [] and behind.kecamatan_with_part == 0


# --- the gauge past the target and what is behind --------------------------------------------


def test_past_the_target_the_gauge_shows_achieved_against_target_and_the_next_milestone(as_olga, figures):
    body = as_olga.get("/dashboard/").content.decode()
    assert "9.1 % · 4 of 44" in body and "Next milestone:" not in body  # not reached yet
    Target.objects.filter(name="Uji 2026").update(value=2)
    services.progress_snapshot_create()
    response = as_olga.get("/dashboard/")
    body = response.content.decode()
    assert "200.0 % · 4 of 2" in body
    assert "Next milestone: 5" in body  # quarters of 2 are 1: the next after 4
    gauge = response.context["chart_data"]["gauge"]
    assert gauge["passed"] is True and gauge["scale"] == 5 and gauge["target"] == 2 and gauge["value"] == 4


def test_what_is_behind_lists_kecamatan_below_their_part_and_counts_centres_with_activities(as_olga, figures):
    ActivityFactory(center=Center.objects.get(kecamatan_id=GAMBIR))
    services.progress_snapshot_create()
    response = as_olga.get("/dashboard/")
    body = response.content.decode()
    behind = response.context["behind"]
    assert len(behind.kecamatan) == 42 and behind.kecamatan_with_part == 44
    assert {row["code"] for row in behind.kecamatan}.isdisjoint({GAMBIR, MENTENG})
    assert f"{behind.centres_active} / 44 centres with activities" in body
    assert behind.centres_active == Activity.objects.values("center").distinct().count() >= 1
    assert "Kota below their part of the target" in body and "Kota Administrasi Jakarta Pusat" in body


def test_with_no_activity_anywhere_it_says_0_of_44(as_olga, figures):
    Activity.objects.all().delete()
    services.progress_snapshot_create()
    assert "0 / 44 centres with activities" in as_olga.get("/dashboard/").content.decode()


# --- the kecamatan compared --------------------------------------------------------------------


def _names(response) -> list[str]:
    return [line.name for line in response.context["comparison"][1]]


def test_the_kecamatan_table_has_the_figures_side_by_side(as_olga, figures):
    response = as_olga.get("/dashboard/")
    headers = [key for key, _title, _numeric, _short in response.context["comparison"][0]]
    assert headers[:8] == [
        "kecamatan",
        "kota",
        "registered",
        "verified",
        "last_90_days",
        "target_part",
        "target_part_percent",
        "against_part",
    ]
    assert headers[8:] == [f"reached_P{n}_percent" for n in range(2, 8)]
    gambir = next(line for line in response.context["comparison"][1] if line.code == GAMBIR)
    assert dict(gambir.cells)["reached_P2_percent"] == 100.0 and gambir.behind is False
    body = response.content.decode()
    assert 'href="/dashboard/?kecamatan=31.71.01"' in body and 'class="row-behind"' in body


def test_the_table_filters_by_text_kota_and_behind_and_sorts_server_side(as_olga, figures):
    assert _names(as_olga.get("/dashboard/", {"q": "gam"})) == ["Gambir"]
    assert _names(as_olga.get("/dashboard/", {"q": "31.71.06"})) == ["Menteng"]
    assert len(_names(as_olga.get("/dashboard/", {"area": "31.74"}))) == 10
    behind = _names(as_olga.get("/dashboard/", {"area": "31.71", "behind": "1"}))
    assert len(behind) == 6 and "Gambir" not in behind
    ordered = as_olga.get("/dashboard/", {"sort": "-registered"}).context["comparison"][1]
    assert [line.name for line in ordered[:2]] == ["Gambir", "Menteng"]
    body = as_olga.get("/dashboard/", {"sort": "-registered"}).content.decode()
    assert 'data-key="registered" class="text-end" aria-sort="descending"' in body
    assert _names(as_olga.get("/dashboard/", {"sort": "kecamatan", "area": "31.01"})) == [
        "Kepulauan Seribu Selatan",
        "Kepulauan Seribu Utara",
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "nik"},
        {"sort": "-"},
        {"area": "31.99"},
        {"behind": "maybe"},
        {"q": "x" * 500},
        {"q": "\x00=1+1"},
        {"q": "<script>"},
        {"kota": "31.71", "area": "31.74"},
    ],
)
def test_odd_filters_are_ignored_or_match_nothing_never_an_error(as_olga, figures, params):
    response = as_olga.get("/dashboard/", params)
    assert response.status_code in (200, 400)  # a NUL byte is refused by the middleware
    if response.status_code == 200:
        assert "<script>" not in response.content.decode().split("</header>")[1].split("dashboard-data")[0]


def test_a_kota_scope_shows_only_its_kecamatan_and_its_behind(as_olga, figures):
    response = as_olga.get("/dashboard/", {"kota": "31.71"})
    assert len(_names(response)) == 8
    assert response.context["behind"].kota == [] and len(response.context["behind"].kecamatan) == 6


def test_drilling_down_to_a_kecamatan_shows_its_figures_funnel_and_centre(
    as_olga, figures, django_assert_max_num_queries
):
    centre = Center.objects.get(kecamatan_id=GAMBIR)
    as_olga.get("/dashboard/")  # the first page of a session remembers the menu's links in it
    with django_assert_max_num_queries(6):
        response = as_olga.get("/dashboard/", {"kecamatan": GAMBIR})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kecamatan Gambir" in body and 'href="/dashboard/?kota=31.71"' in body
    assert f'id="centre-{centre.pk}"' in body and centre.name in body
    assert "300.0 % · 3 of its part of 1" in body
    assert response.context["tables"]["funnel"].rows[1][:2] == ["P2 Training", 3]


def test_an_unknown_kecamatan_gets_a_message_and_all_of_jakarta(as_olga, figures):
    response = as_olga.get("/dashboard/", {"kecamatan": "31.99.99"})
    assert response.status_code == 400
    assert "is not a kecamatan of DKI Jakarta" in response.content.decode()


def test_the_centres_table_links_each_centre_to_its_kecamatan(as_olga, figures):
    centre = Center.objects.get(kecamatan_id=MENTENG)
    body = as_olga.get("/dashboard/").content.decode()
    assert f'href="/dashboard/?kecamatan={MENTENG}#centre-{centre.pk}"' in body


def test_the_dashboard_query_count_is_bounded_with_filters(as_olga, figures, django_assert_max_num_queries):
    as_olga.get("/dashboard/")  # the first page of a session remembers the menu's links in it
    with django_assert_max_num_queries(6):
        assert as_olga.get("/dashboard/", {"q": "a", "sort": "-verified", "behind": "1"}).status_code == 200


# --- PDF and XLSX of what is on screen ----------------------------------------------------------


def test_the_xlsx_holds_what_is_on_screen_with_the_snapshot_time_and_definitions(as_olga, figures):
    response = as_olga.get("/dashboard/export.xlsx", {"area": "31.71", "behind": "1", "sort": "kecamatan"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="jakpreneur-dashboard-' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    about = list(workbook["About"].iter_rows(values_only=True))
    text = " ".join(str(cell) for row in about for cell in row if cell)
    assert "Figures computed at" in text and "Part of the target" in text and "only those behind" in text
    sheet = workbook["Kecamatan compared"]
    rows = list(sheet.iter_rows(values_only=True))
    names = [row[1] for row in rows[2:]]
    assert names == sorted(names) and len(names) == 6 and "Gambir" not in names
    assert all(isinstance(row[3], int) for row in rows[2:])  # counts stay numbers


def test_the_pdf_is_a_pdf_of_the_scope(as_olga, figures):
    response = as_olga.get("/dashboard/export.pdf", {"kota": "31.71", "q": "men"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and b"%%EOF" in response.content[-1024:]
    assert "jakpreneur-dashboard-31.71-" in response["Content-Disposition"]
    kecamatan = as_olga.get("/dashboard/export.pdf", {"kecamatan": GAMBIR})
    assert kecamatan.status_code == 200 and f"dashboard-{GAMBIR}-" in kecamatan["Content-Disposition"]


def test_the_export_links_carry_the_filters(as_olga, figures):
    body = as_olga.get("/dashboard/", {"kota": "31.71", "q": "gam", "sort": "-registered"}).content.decode()
    assert 'href="/dashboard/export.pdf?kota=31.71&amp;q=gam&amp;sort=-registered"' in body
    assert 'href="/dashboard/export.xlsx?kota=31.71&amp;q=gam&amp;sort=-registered"' in body


def test_exports_write_names_as_inert_text(as_olga, figures):
    Kecamatan.objects.filter(code=MENTENG).update(name='=HYPERLINK("http://evil.example","x")')
    services.progress_snapshot_create()
    workbook = load_workbook(io.BytesIO(as_olga.get("/dashboard/export.xlsx").content))
    cells = [cell for row in workbook["Kecamatan compared"].iter_rows() for cell in row]
    hostile = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert hostile.data_type == "s" and hostile.quotePrefix
    assert as_olga.get("/dashboard/export.pdf").status_code == 200


def test_the_pdf_survives_control_characters_and_markup_in_names(as_olga, figures):
    Target.objects.filter(name="Uji 2026").update(name="Uji\x01 <b>2026</b>\x0b & co")
    Kecamatan.objects.filter(code=MENTENG).update(name="Menteng\x07 <para>")
    services.progress_snapshot_create()
    for params in ({}, {"kecamatan": MENTENG}):
        response = as_olga.get("/dashboard/export.pdf", params)
        assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert as_olga.get("/dashboard/export.xlsx").status_code == 200


def test_exports_refuse_bad_areas_and_those_without_the_permission(client, english, alice, olga, figures):
    assert client.get("/dashboard/export.pdf").status_code == 302  # to the login page
    client.force_login(alice)
    assert client.get("/dashboard/export.xlsx").status_code == 403
    client.force_login(EntrepreneurFactory().user)
    assert client.get("/dashboard/export.pdf").status_code == 403
    english.force_login(olga)
    assert english.get("/dashboard/export.pdf", {"kota": "31.99"}).status_code == 400
    assert english.get("/dashboard/export.xlsx", {"kecamatan": "x"}).status_code == 400


def test_exports_without_a_snapshot_are_not_found(as_olga):
    assert as_olga.get("/dashboard/export.pdf").status_code == 404


def test_export_query_counts_are_bounded(as_olga, figures, django_assert_max_num_queries):
    as_olga.get("/dashboard/")  # the first page of a session remembers the menu's links in it
    for path in ("/dashboard/export.pdf", "/dashboard/export.xlsx"):
        with django_assert_max_num_queries(6):
            assert as_olga.get(path, {"kota": "31.74"}).status_code == 200
