"""NIK and mobile numbers are masked by default on every admin page and export; a staff member
allowed to see personal data reveals one person's (or exports them in full) with a reason,
and every reveal is logged (who, whose, what, when, why, from where). The Dinas reads the
log; nobody changes or deletes it."""

import csv
import io
import time

import pytest
from django.contrib.auth.models import Group, Permission

from registrations.admin import reveal
from registrations.models import RevealLog
from registrations.tests import admin_fixtures
from registrations.tests.admin_fixtures import admin_url

pytestmark = pytest.mark.django_db

gambir_person = admin_fixtures.gambir_person
menteng_person = admin_fixtures.menteng_person


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def full_values(person) -> list[str]:
    return [person.nik, person.phone, "0" + person.phone[3:]]


def change_page(client, person) -> str:
    return client.get(admin_url("registrations_entrepreneur_change", person.pk)).content.decode()


def test_nik_and_phone_are_masked_by_default_on_lists_pages_and_exports(client, dina, gambir_person):
    person = gambir_person.entrepreneur
    client.force_login(dina)
    pages = {
        "list": client.get(admin_url("registrations_entrepreneur_changelist")).content.decode(),
        "change": change_page(client, person),
        "history": client.get(admin_url("registrations_entrepreneur_history", person.pk)).content.decode(),
        "duplicates": client.get(admin_url("registrations_entrepreneur_duplicates")).content.decode(),
        "csv": str(read_csv(client.get(admin_url("registrations_entrepreneur_export", "csv")))),
    }
    for name, page in pages.items():
        for value in full_values(person):
            assert value not in page, (name, value)
    assert person.masked_nik in pages["list"] and person.masked_nik in pages["change"]
    assert person.masked_phone in pages["change"]  # e.g. 0812****7890
    assert "/reveal/" in pages["change"]
    assert not RevealLog.objects.exists()


def test_a_reveal_needs_a_reason(client, dina, gambir_person):
    person = gambir_person.entrepreneur
    client.force_login(dina)
    url = admin_url("registrations_entrepreneur_reveal", person.pk)

    assert client.get(url).status_code == 200
    for reason in ("", "   ", "ok", "KTP\u202echeck"):
        response = client.post(url, {"fields": ["nik", "phone"], "reason": reason})
        assert response.status_code == 200 and response.context["form"].errors
    assert client.post(url, {"fields": [], "reason": "KTP check at the desk"}).status_code == 200

    assert not RevealLog.objects.exists()
    assert person.nik not in change_page(client, person)


def test_a_reveal_is_logged_and_shows_the_full_values_for_a_while(client, dina, gambir_person, monkeypatch):
    person = gambir_person.entrepreneur
    client.force_login(dina)

    response = client.post(
        admin_url("registrations_entrepreneur_reveal", person.pk),
        {"fields": ["nik", "phone"], "reason": "KTP check at the desk"},
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 302
    assert response["Location"] == admin_url("registrations_entrepreneur_change", person.pk)
    logged = list(
        RevealLog.objects.order_by("field").values_list("user", "entrepreneur", "field", "reason", "ip_address")
    )
    assert logged == [
        (dina.pk, person.pk, "nik", "KTP check at the desk", "203.0.113.7"),
        (dina.pk, person.pk, "phone", "KTP check at the desk", "203.0.113.7"),
    ]
    page = change_page(client, person)
    assert person.nik in page and person.phone[3:] in page  # the phone is an editable field now
    # Another person stays masked; the reveal expires.
    later = time.time() + reveal.REVEAL_SECONDS + 1
    monkeypatch.setattr(reveal.time, "time", lambda: later)
    assert person.nik not in change_page(client, person)


def test_centre_staff_cannot_reveal_people_out_of_their_kecamatan(client, alice, gambir_person, menteng_person):
    client.force_login(alice)
    url = admin_url("registrations_entrepreneur_reveal", menteng_person.pk)

    assert client.get(url).status_code == 404
    assert client.post(url, {"fields": ["nik"], "reason": "just curious"}).status_code == 404
    assert not RevealLog.objects.exists()
    # Their own kecamatan: allowed and logged.
    own = admin_url("registrations_entrepreneur_reveal", gambir_person.entrepreneur.pk)
    assert client.post(own, {"fields": ["nik"], "reason": "KTP check at the desk"}).status_code == 302
    assert list(RevealLog.objects.values_list("user", "field")) == [(alice.pk, "nik")]


def test_staff_without_the_personal_data_permission_cannot_reveal(client, alice, gambir_person):
    Group.objects.get(name="center_staff").permissions.remove(Permission.objects.get(codename="view_personal_data"))
    client.force_login(alice)
    url = admin_url("registrations_entrepreneur_reveal", gambir_person.entrepreneur.pk)

    assert client.post(url, {"fields": ["nik"], "reason": "KTP check at the desk"}).status_code == 403
    assert client.get(admin_url("registrations_entrepreneur_export_full", "csv")).status_code == 403
    assert not RevealLog.objects.exists()


def test_the_service_checks_scope_itself(alice, menteng_person):
    from django.core.exceptions import PermissionDenied

    from registrations import services

    with pytest.raises(PermissionDenied):
        services.personal_data_reveal(
            actor=alice, entrepreneur=menteng_person, fields=["nik"], reason="KTP check", ip_address=None
        )
    assert not RevealLog.objects.exists()


def test_a_full_export_asks_a_reason_and_is_logged_with_its_filters(client, dina, gambir_person, menteng_person):
    client.force_login(dina)
    url = admin_url("registrations_entrepreneur_export_full", "csv") + "?kecamatan=31.71.06"

    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200
    assert not RevealLog.objects.exists()

    response = client.post(url, {"reason": "Bank DKI referral batch May"}, REMOTE_ADDR="203.0.113.8")

    rows = read_csv(response)
    assert [(r["nik"], r["phone"]) for r in rows] == [(menteng_person.nik, "'" + menteng_person.phone)]
    log = RevealLog.objects.get()
    assert (log.user, log.entrepreneur, log.field, log.rows, log.filters, log.ip_address) == (
        dina,
        None,
        "export",
        1,
        "kecamatan=31.71.06",
        "203.0.113.8",
    )


def test_centre_staff_export_in_full_only_their_kecamatan(client, alice, gambir_person, menteng_person):
    client.force_login(alice)
    response = client.post(admin_url("registrations_entrepreneur_export_full", "xlsx"), {"reason": "Class list P2"})
    assert response.status_code == 200
    assert RevealLog.objects.get().rows == 1  # Gambir only


def test_the_dinas_reads_the_log_and_filters_it(client, dina, gambir_person, django_assert_max_num_queries):
    person = gambir_person.entrepreneur
    for field in ("nik", "phone", "nik"):
        RevealLog.objects.create(user=dina, entrepreneur=person, field=field, reason="KTP check")
    RevealLog.objects.create(user=dina, field="export", reason="Bank batch", rows=10)
    client.force_login(dina)
    url = admin_url("registrations_reveallog_changelist")

    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 4
    assert len(client.get(url, {"field": "nik"}).context["cl"].result_list) == 2
    assert len(client.get(url, {"q": str(person.pk)}).context["cl"].result_list) == 3
    assert len(client.get(url, {"q": "dina@jakpreneur.test"}).context["cl"].result_list) == 4


def test_nobody_changes_or_deletes_the_log(client, dina, alice, admin_user, gambir_person):
    log = RevealLog.objects.create(user=alice, entrepreneur=gambir_person.entrepreneur, field="nik", reason="KTP")
    change = admin_url("registrations_reveallog_change", log.pk)
    delete = admin_url("registrations_reveallog_delete", log.pk)
    for user in (dina, admin_user):  # a superuser neither
        client.force_login(user)
        assert client.get(change).status_code == 200  # read only
        client.post(change, {"reason": "nothing happened"})
        assert client.get(delete).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert client.get(admin_url("registrations_reveallog_add")).status_code == 403
        client.post(
            admin_url("registrations_reveallog_changelist"),
            {"action": "delete_selected", "_selected_action": [log.pk], "post": "yes"},
        )
    log.refresh_from_db()
    assert log.reason == "KTP"
    client.force_login(alice)  # centre staff do not read it, their own reveals included
    assert client.get(admin_url("registrations_reveallog_changelist")).status_code == 403
    assert client.get(change).status_code == 403
    # No role holds a permission to add, change or delete a row: none exists.
    assert set(Permission.objects.filter(codename__endswith="_reveallog").values_list("codename", flat=True)) == {
        "view_reveallog"
    }
