"""The P5 curation section of the progress snapshot: submissions, grades A/B/C and the
e-katalog by kecamatan and category, rolled up to kota and Jakarta, shown on the dashboard."""

import pytest
from django.utils import timezone

from facilities.tests.factories import MENTENG_KELURAHAN
from marketing.tests.factories import ProductFactory, SubmissionFactory
from registrations.tests.factories import EntrepreneurFactory
from reports import services
from reports.snapshot import ALL, data_is_usable
from reports.tables import dashboard_tables

pytestmark = pytest.mark.django_db


def graded(entrepreneur, grade, category="kuliner"):
    product = ProductFactory(
        entrepreneur=entrepreneur,
        category=category,
        catalogue_grade=grade,
        catalogue_since=timezone.now(),
    )
    return SubmissionFactory(product=product, status="graded", grade=grade, graded_at=timezone.now())


@pytest.fixture
def curation_data():
    gambir, menteng = EntrepreneurFactory(), EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN)
    graded(gambir, "A")
    graded(gambir, "B", category="kriya")
    graded(menteng, "C")
    SubmissionFactory(product=ProductFactory(entrepreneur=menteng), status="returned")
    SubmissionFactory(product=ProductFactory(entrepreneur=menteng))
    ProductFactory(entrepreneur=gambir, catalogue_grade="A", withdrawn_at=timezone.now())  # not in the catalogue


def test_the_snapshot_counts_curation_by_kecamatan_category_and_scope(curation_data):
    data = services.progress_compute()
    assert data_is_usable(data)
    everything = data["scopes"][ALL]["curation"]
    assert {k: v for k, v in everything.items() if k != "by_category"} == {
        "submissions": 5,
        "returned": 1,
        "graded": 3,
        "grade_a": 1,
        "grade_b": 1,
        "grade_c": 1,
        "in_catalogue": 2,
    }
    assert data["scopes"]["31.71"]["curation"]["submissions"] == 5
    assert data["scopes"]["31.74"]["curation"]["submissions"] == 0
    by_category = {row["key"]: row for row in everything["by_category"]}
    assert (by_category["kriya"]["grade_b"], by_category["kriya"]["in_catalogue"]) == (1, 1)
    assert by_category["kuliner"]["submissions"] == 4
    kecamatan = {row["code"]: row["curation"] for row in data["kecamatan"]}
    assert (kecamatan["31.71.01"]["grade_a"], kecamatan["31.71.01"]["in_catalogue"]) == (1, 2)
    assert (kecamatan["31.71.06"]["grade_c"], kecamatan["31.71.06"]["returned"]) == (1, 1)


def test_the_dashboard_tables_show_curation(curation_data):
    data = services.progress_compute()
    tables = dashboard_tables(data, None)
    category = {row[0]: row for row in tables["curation_category"].rows}
    assert len(category) == 9
    kecamatan = {row[0]: row for row in tables["curation_kecamatan"].rows}
    assert kecamatan["31.71.01"][3:] == [2, 0, 2, 1, 1, 0, 2]
    assert "31.71.01" not in {row[0] for row in dashboard_tables(data, "31.74")["curation_kecamatan"].rows}


def test_the_curation_step_costs_two_queries_whatever_the_data(django_assert_num_queries):
    from reports.curation import curation_by_kecamatan
    from reports.queries import reference_load

    ref = reference_load(now=timezone.now())
    with django_assert_num_queries(2):
        curation_by_kecamatan(ref)
    for _ in range(3):
        graded(EntrepreneurFactory(), "A")
    with django_assert_num_queries(2):
        curation_by_kecamatan(ref)


def test_the_dashboard_page_shows_the_section(client, dina, curation_data):
    services.progress_snapshot_create()
    client.force_login(dina)
    client.cookies["django_language"] = "en"
    response = client.get("/dashboard/")
    assert b"P5 curation: grades and the e-katalog" in response.content
    csv = client.get("/dashboard/curation_category.csv")
    assert csv.status_code == 200
    assert "Grade A" in csv.content.decode("utf-8-sig").splitlines()[0]
