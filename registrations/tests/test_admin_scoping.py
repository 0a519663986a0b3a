"""The scoping matrix: each role against each back-office page, action and export.

alice (Gambir) and bob (Menteng) are centre staff, carol is centre staff with no kecamatan,
olga is an official (no admin at all) and dina is a Dinas admin."""

import pytest

from facilities.tests.factories import ActivityFactory, center
from registrations.models import Attendance, Enrollment, Entrepreneur
from registrations.tests import admin_fixtures
from registrations.tests.admin_fixtures import admin_url, changelist_results
from registrations.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

# Shared fixtures (a module rather than a conftest, so that parallel branches do not collide).
gambir_person = admin_fixtures.gambir_person
menteng_person = admin_fixtures.menteng_person

GAMBIR, MENTENG = "31.71.01", "31.71.06"


def login(client, user):
    client.force_login(user)
    return client


def csv_body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.fixture
def people(gambir_person, menteng_person):
    return gambir_person.entrepreneur, menteng_person


# --- lists and counts ---


def test_alice_lists_only_gambir_entrepreneurs_and_counts_them(client, alice, people):
    gambir, _menteng = people
    response = login(client, alice).get(admin_url("registrations_entrepreneur_changelist"))
    assert response.status_code == 200
    assert changelist_results(response) == [gambir]
    assert response.context["cl"].result_count == 1
    assert "Budi Menteng" not in response.content.decode()


def test_carol_without_kecamatan_lists_nothing(client, carol, people):
    response = login(client, carol).get(admin_url("registrations_entrepreneur_changelist"))
    assert response.status_code == 200
    assert changelist_results(response) == []
    assert response.context["cl"].result_count == 0


def test_dina_lists_every_kecamatan(client, dina, people):
    response = login(client, dina).get(admin_url("registrations_entrepreneur_changelist"))
    assert set(changelist_results(response)) == set(people)


@pytest.mark.parametrize(
    "page",
    [
        "registrations_entrepreneur_changelist",
        "registrations_enrollment_changelist",
        "facilities_activity_changelist",
        "registrations_attendance_changelist",
        "index",
    ],
)
def test_olga_the_official_gets_no_admin(client, olga, page):
    response = login(client, olga).get(admin_url(page))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_enrolment_list_is_scoped(client, alice, people):
    gambir, menteng = people
    mine = EnrollmentFactory(entrepreneur=gambir)
    EnrollmentFactory(entrepreneur=menteng)
    response = login(client, alice).get(admin_url("registrations_enrollment_changelist"))
    assert changelist_results(response) == [mine]


def test_activity_and_attendance_lists_are_scoped(client, alice, people):
    _gambir, menteng = people
    mine = ActivityFactory(center=center(GAMBIR))
    theirs = ActivityFactory(center=center(MENTENG))
    Attendance.objects.create(activity=theirs, entrepreneur=menteng)
    login(client, alice)
    assert changelist_results(client.get(admin_url("facilities_activity_changelist"))) == [mine]
    assert changelist_results(client.get(admin_url("registrations_attendance_changelist"))) == []


# --- opening and changing by URL ---


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_alice_cannot_open_bobs_entrepreneur_by_url(client, alice, people, view):
    _gambir, menteng = people
    response = login(client, alice).get(admin_url(f"registrations_entrepreneur_{view}", menteng.pk))
    assert response.status_code in (403, 404)


def test_alice_cannot_change_bobs_entrepreneur_by_post(client, alice, people):
    _gambir, menteng = people
    response = login(client, alice).post(
        admin_url("registrations_entrepreneur_change", menteng.pk), {"full_name": "Hijacked"}
    )
    assert response.status_code == 404
    menteng.refresh_from_db()
    assert menteng.full_name == "Budi Menteng"


def test_alice_opens_her_own_entrepreneur(client, alice, people):
    gambir, _menteng = people
    assert login(client, alice).get(admin_url("registrations_entrepreneur_change", gambir.pk)).status_code == 200


def test_carol_cannot_open_anyone(client, carol, people):
    gambir, _menteng = people
    assert login(client, carol).get(admin_url("registrations_entrepreneur_change", gambir.pk)).status_code == 404


def test_dina_opens_any_entrepreneur(client, dina, people):
    _gambir, menteng = people
    assert login(client, dina).get(admin_url("registrations_entrepreneur_change", menteng.pk)).status_code == 200


def test_alice_cannot_open_bobs_enrolment_activity_or_attendance(client, alice, people):
    _gambir, menteng = people
    enrolment = EnrollmentFactory(entrepreneur=menteng)
    activity = ActivityFactory(center=center(MENTENG))
    attendance = Attendance.objects.create(activity=activity, entrepreneur=menteng)
    login(client, alice)
    assert client.get(admin_url("registrations_enrollment_change", enrolment.pk)).status_code == 404
    assert client.get(admin_url("registrations_enrollment_history", enrolment.pk)).status_code == 404
    assert client.get(admin_url("facilities_activity_change", activity.pk)).status_code == 404
    assert client.get(admin_url("registrations_attendance_change", attendance.pk)).status_code == 404


def test_centre_staff_cannot_delete_entrepreneurs(client, alice, people):
    gambir, _menteng = people
    response = login(client, alice).post(admin_url("registrations_entrepreneur_delete", gambir.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Entrepreneur.objects.filter(pk=gambir.pk).exists()


# --- actions ---


def test_alice_cannot_act_on_bobs_entrepreneur(client, alice, people):
    _gambir, menteng = people
    login(client, alice).post(
        admin_url("registrations_entrepreneur_changelist"), {"action": "verify", "_selected_action": [menteng.pk]}
    )
    menteng.refresh_from_db()
    assert menteng.status == Entrepreneur.Status.SUBMITTED


def test_select_across_acts_only_on_the_scoped_list(client, alice, people):
    gambir, menteng = people
    login(client, alice).post(
        admin_url("registrations_entrepreneur_changelist"),
        {"action": "verify", "_selected_action": [gambir.pk], "select_across": "1"},
    )
    gambir.refresh_from_db()
    menteng.refresh_from_db()
    assert gambir.status == Entrepreneur.Status.VERIFIED
    assert menteng.status == Entrepreneur.Status.SUBMITTED


def test_alice_cannot_transition_bobs_enrolment(client, alice, people):
    _gambir, menteng = people
    enrolment = EnrollmentFactory(entrepreneur=menteng)
    login(client, alice).post(
        admin_url("registrations_enrollment_changelist"), {"action": "start", "_selected_action": [enrolment.pk]}
    )
    enrolment.refresh_from_db()
    assert enrolment.state == Enrollment.State.REQUESTED


def test_carol_has_no_rows_to_act_on(client, carol, people):
    gambir, _menteng = people
    login(client, carol).post(
        admin_url("registrations_entrepreneur_changelist"), {"action": "verify", "_selected_action": [gambir.pk]}
    )
    gambir.refresh_from_db()
    assert gambir.status == Entrepreneur.Status.SUBMITTED


# --- exports ---


def test_alice_exports_only_gambir(client, alice, people):
    response = login(client, alice).get(admin_url("registrations_entrepreneur_export", "csv"))
    body = csv_body(response)
    assert "Ani Gambir" in body
    assert "Budi Menteng" not in body


def test_alice_cannot_export_bobs_rows_with_the_action(client, alice, people):
    _gambir, menteng = people
    response = login(client, alice).post(
        admin_url("registrations_entrepreneur_changelist"), {"action": "export_csv", "_selected_action": [menteng.pk]}
    )
    assert "Budi Menteng" not in csv_body(response)


def test_carol_exports_an_empty_file(client, carol, people):
    body = csv_body(login(client, carol).get(admin_url("registrations_entrepreneur_export", "csv")))
    assert body.count("\n") == 1  # the header only


def test_olga_cannot_export(client, olga, people):
    response = login(client, olga).get(admin_url("registrations_entrepreneur_export", "csv"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_dina_exports_everyone(client, dina, people):
    body = csv_body(login(client, dina).get(admin_url("registrations_entrepreneur_export", "csv")))
    assert "Ani Gambir" in body and "Budi Menteng" in body


# --- autocomplete, import, duplicates ---


def test_autocomplete_is_scoped(client, alice, people):
    response = login(client, alice).get(
        "/admin/autocomplete/",
        {"app_label": "registrations", "model_name": "attendance", "field_name": "entrepreneur", "term": "a"},
    )
    names = [row["text"] for row in response.json()["results"]]
    assert names == ["Ani Gambir"]


def test_only_dinas_admin_may_import(client, alice, dina):
    assert login(client, alice).get(admin_url("registrations_entrepreneur_import")).status_code == 403
    assert login(client, dina).get(admin_url("registrations_entrepreneur_import")).status_code == 200


def test_duplicate_candidates_are_scoped(client, alice, bob, people):
    gambir, menteng = people
    Entrepreneur.objects.filter(pk=menteng.pk).update(phone=gambir.phone)
    response = login(client, alice).get(admin_url("registrations_entrepreneur_duplicates"))
    assert response.status_code == 200
    assert response.context["groups"] == []
