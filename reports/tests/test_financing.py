"""The P7 outcome section of the snapshot (reports/financing.py): applications, the banks'
outcomes, the money and the median wait, per kecamatan, kota, Jakarta and product; shown on
the dashboard and published in open data with small counts suppressed."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from financing import services as financing_services
from financing.models import FinancingApplication
from financing.tests.conftest import apply, eligible_person, through
from reports import services
from reports.financing import median_days
from reports.snapshot import data_is_usable

pytestmark = pytest.mark.django_db

GAMBIR, MENTENG = "31.71.01", "31.71.06"


@pytest.fixture
def pipeline(db, dina):
    """Gambir: two disbursed (waits 0 and 10 days), one rejected, one just submitted; Menteng:
    one approved, not disbursed yet."""
    from financing.models import FinancingProduct

    monas = FinancingProduct.objects.get(name="Kredit Monas Pemula")
    today = timezone.localdate()
    first = apply(eligible_person(), monas, amount="5000000")
    FinancingApplication.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - dt.timedelta(days=10))
    first.refresh_from_db()
    through(first, to="disbursed", dina=dina, on=today)
    through(apply(eligible_person(), monas, amount="3000000"), to="disbursed", dina=dina, on=today)
    rejected = through(apply(eligible_person(), monas), to="referred", dina=dina)
    financing_services.application_decide(application=rejected, actor=dina, approved=False, reason="x")
    apply(eligible_person(), monas)
    from facilities.tests.factories import MENTENG_KELURAHAN

    through(apply(eligible_person(kelurahan_code=MENTENG_KELURAHAN), monas), to="approved", dina=dina)
    return monas


def test_the_financing_figures_per_scope_kecamatan_and_product(pipeline):
    data = services.progress_compute()
    assert data_is_usable(data)
    jakarta = data["scopes"]["all"]["financing"]
    assert {key: jakarta[key] for key in ("applications", "approved", "rejected", "disbursed")} == {
        "applications": 5,
        "approved": 3,
        "rejected": 1,
        "disbursed": 2,
    }
    assert jakarta["amount_disbursed"] == 8_000_000
    assert jakarta["approval_rate"] == 75.0
    assert jakarta["median_days_to_disbursement"] == 5.0  # waits of 0 and 10 days
    monas_row = next(row for row in jakarta["products"] if row["id"] == pipeline.pk)
    assert (monas_row["applications"], monas_row["disbursed"]) == (5, 2)
    kur_row = next(row for row in jakarta["products"] if row["name"] == "KUR Mikro")
    assert (kur_row["applications"], kur_row["approval_rate"], kur_row["median_days_to_disbursement"]) == (
        0,
        None,
        None,
    )
    pusat = data["scopes"]["31.71"]["financing"]
    assert pusat["applications"] == 5
    kecamatan = {row["code"]: row["financing"] for row in data["kecamatan"]}
    assert (kecamatan[GAMBIR]["applications"], kecamatan[GAMBIR]["disbursed"]) == (4, 2)
    assert (kecamatan[MENTENG]["applications"], kecamatan[MENTENG]["approved"]) == (1, 1)
    assert data["scopes"]["31.72"]["financing"]["applications"] == 0


def test_the_median_of_a_histogram():
    counts = Counter({("all", "days:3"): 1, ("all", "days:7"): 2, ("all", "days:30"): 1, ("1", "days:9"): 1})
    assert median_days(counts, "all") == 7.0
    assert median_days(counts, 1) == 9.0
    assert median_days(Counter(), "all") is None
    assert median_days(Counter({("all", "days:2"): 1, ("all", "days:4"): 1}), "all") == 3.0


def test_the_step_costs_the_same_with_more_applications(pipeline, dina, django_assert_num_queries):
    services.progress_compute()  # warm the content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        services.progress_compute()
    for _ in range(5):
        through(apply(eligible_person(), pipeline), to="disbursed", dina=dina)
    with CaptureQueriesContext(connection) as more:
        services.progress_compute()
    assert len(more) == len(few)


def test_the_dashboard_shows_the_financing_tables(pipeline, client, olga):
    services.progress_snapshot_create()
    client.force_login(olga)
    client.cookies["django_language"] = "en"
    html = client.get("/dashboard/").content.decode()
    assert 'id="financing-heading"' in html
    assert "Kredit Monas Pemula" in html
    csv = client.get("/dashboard/financing.csv").content.decode()
    assert "Kredit Monas Pemula" in csv and "All products" in csv


def test_open_data_publishes_financing_with_small_counts_suppressed(pipeline, client):
    services.progress_snapshot_create()
    payload = client.get("/open-data/all.json").json()["tables"]
    gambir = next(record for record in payload["financing"] if record["code"] == GAMBIR)
    # Four applications and two loans in Gambir: each under 5, so neither is shown.
    assert gambir["applications"] in ("<5", "x") and gambir["disbursed"] in ("<5", "x")
    for record in payload["financing"] + payload["financing-products"]:
        for key in ("applications", "disbursed"):
            if key in record:
                assert record[key] in ("<5", "x") or record[key] >= 5, record
    # Loans disbursed are published by kecamatan only (reports.public.financing_outcomes).
    assert all("disbursed" not in record for record in payload["financing-products"])
    assert client.get("/open-data/financing.csv").status_code == 200
    assert client.get("/open-data/financing-products.json").status_code == 200


def test_an_amount_is_never_published(pipeline, client):
    services.progress_snapshot_create()
    body = client.get("/open-data/all.json").content.decode()
    assert "8000000" not in body and str(Decimal(5_000_000)) not in body
