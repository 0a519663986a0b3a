import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from openpyxl import load_workbook

from registrations import exports
from registrations.models import Entrepreneur
from registrations.tests import admin_fixtures
from registrations.tests.admin_fixtures import admin_url
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

# Shared fixtures (a module rather than a conftest, so that parallel branches do not collide).
gambir_person = admin_fixtures.gambir_person
menteng_person = admin_fixtures.menteng_person


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def without_personal_data(db):
    Group.objects.get(name="center_staff").permissions.remove(Permission.objects.get(codename="view_personal_data"))


def test_csv_export_streams_the_filtered_list(client, dina, gambir_person, menteng_person):
    client.force_login(dina)
    response = client.get(admin_url("registrations_entrepreneur_export", "csv"), {"kecamatan": "31.71.06"})
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert [r["full_name"] for r in rows] == ["Budi Menteng"]
    # Masked: a full export asks for a reason and is logged (test_reveal.py).
    assert rows[0]["nik"] == menteng_person.masked_nik
    assert rows[0]["kecamatan"] == "Menteng"


def test_csv_export_follows_the_search(client, dina, gambir_person, menteng_person):
    client.force_login(dina)
    rows = read_csv(client.get(admin_url("registrations_entrepreneur_export", "csv"), {"q": "ani"}))
    assert [r["full_name"] for r in rows] == ["Ani Gambir"]


def test_export_masks_personal_data_without_the_permission(client, alice, gambir_person, without_personal_data):
    person = gambir_person.entrepreneur
    client.force_login(alice)
    rows = read_csv(client.get(admin_url("registrations_entrepreneur_export", "csv")))
    assert rows[0]["nik"] == person.masked_nik
    assert rows[0]["phone"] == person.masked_phone
    assert rows[0]["birth_date"] == str(person.birth_date.year)
    assert person.nik not in str(rows)


def test_xlsx_export_has_the_rows(client, alice, gambir_person):
    client.force_login(alice)
    response = client.get(admin_url("registrations_entrepreneur_export", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:4] == ("id", "legacy_id", "nik", "full_name")
    assert [v[3] for v in values[1:]] == ["Ani Gambir"]


def test_xlsx_export_above_the_cap_explains_instead(english, dina, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_ROW_CAP", 2)
    for _ in range(3):
        EntrepreneurFactory(user=None)
    english.force_login(dina)
    response = english.get(admin_url("registrations_entrepreneur_export", "xlsx"), follow=True)
    assert response.redirect_chain
    assert any("limited to 2 rows" in str(m) for m in response.context["messages"])


def test_export_actions_export_the_selection(client, dina, gambir_person, menteng_person):
    client.force_login(dina)
    response = client.post(
        admin_url("registrations_entrepreneur_changelist"),
        {"action": "export_csv", "_selected_action": [menteng_person.pk]},
    )
    assert [r["full_name"] for r in read_csv(response)] == ["Budi Menteng"]
    response = client.post(
        admin_url("registrations_entrepreneur_changelist"),
        {"action": "export_xlsx", "_selected_action": [menteng_person.pk]},
    )
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 2


def test_users_without_the_export_permission_cannot_export(client, alice, gambir_person):
    Group.objects.get(name="center_staff").permissions.remove(Permission.objects.get(codename="export_entrepreneur"))
    client.force_login(alice)
    assert client.get(admin_url("registrations_entrepreneur_export", "csv")).status_code == 403
    page = client.get(admin_url("registrations_entrepreneur_changelist"))
    assert "export_csv" not in page.content.decode()


def test_bad_filters_in_the_export_url_do_not_crash(client, dina):
    client.force_login(dina)
    response = client.get(admin_url("registrations_entrepreneur_export", "csv"), {"nosuchfield__gt": "x"})
    assert response.status_code == 302


def test_an_unknown_format_is_refused(client, dina):
    client.force_login(dina)
    assert client.get(admin_url("registrations_entrepreneur_export", "pdf")).status_code == 403


def test_csv_rows_are_produced_lazily(gambir_person, menteng_person):
    rows = exports.export_rows(Entrepreneur.objects.order_by("id"), personal=True, reveal=True)
    assert next(rows)[3] == "Ani Gambir"
