"""The back office's verification and enrolment actions: verify, reject with a reason, enrol,
and the enrolment transitions (start, complete with the facility's outcome, cancel), each
through the services, with who and why logged."""

import pytest

from registrations.models import Enrollment, Entrepreneur, StatusChange
from registrations.tests import admin_fixtures
from registrations.tests.admin_fixtures import admin_url, messages_of, post_action
from registrations.tests.factories import (
    EnrollmentFactory,
)

pytestmark = pytest.mark.django_db

# Shared fixtures (a module rather than a conftest, so that parallel branches do not collide).
gambir_person = admin_fixtures.gambir_person


# --- verification ---


def test_verify_action_verifies_records_who_and_writes_history(english, alice, gambir_person):
    person = gambir_person.entrepreneur
    english.force_login(alice)
    response = post_action(english, "registrations_entrepreneur_changelist", "verify", [person])
    person.refresh_from_db()
    assert person.status == Entrepreneur.Status.VERIFIED
    assert person.status_changed_by == alice
    log = StatusChange.objects.get(entrepreneur=person, to_status="verified")
    assert log.changed_by == alice and log.from_status == "submitted"
    latest = person.history.latest()
    assert latest.status == "verified" and latest.history_user == alice
    assert any("1 registration(s) verified" in m for m in messages_of(response))


def test_verify_action_reports_rows_it_could_not_change(english, alice, gambir_person):
    person = gambir_person.entrepreneur
    Entrepreneur.objects.filter(pk=person.pk).update(status="verified")
    english.force_login(alice)
    response = post_action(english, "registrations_entrepreneur_changelist", "verify", [person])
    assert any("already" in m for m in messages_of(response))


def test_reject_action_asks_for_a_reason_first(english, alice, gambir_person):
    person = gambir_person.entrepreneur
    english.force_login(alice)
    response = post_action(english, "registrations_entrepreneur_changelist", "reject", [person])
    assert response.templates[0].name == "admin/registrations/action_form.html"
    person.refresh_from_db()
    assert person.status == "submitted"


def test_reject_action_without_a_reason_changes_nothing(english, alice, gambir_person):
    person = gambir_person.entrepreneur
    english.force_login(alice)
    response = post_action(english, "registrations_entrepreneur_changelist", "reject", [person], apply="1", reason="")
    assert response.context["form"].errors["reason"]
    person.refresh_from_db()
    assert person.status == "submitted"


def test_reject_action_with_a_reason_rejects_and_logs_it(english, alice, gambir_person):
    person = gambir_person.entrepreneur
    english.force_login(alice)
    post_action(
        english, "registrations_entrepreneur_changelist", "reject", [person], apply="1", reason="Not a DKI resident"
    )
    person.refresh_from_db()
    assert person.status == "rejected"
    assert person.status_reason == "Not a DKI resident"
    assert person.history.latest().history_change_reason == "Not a DKI resident"


def test_enrol_action_requests_the_facility_through_the_service(english, alice, gambir_person):
    person = gambir_person.entrepreneur
    english.force_login(alice)
    post_action(english, "registrations_entrepreneur_changelist", "enrol", [person], apply="1", facility="P3")
    enrolment = Enrollment.objects.get(entrepreneur=person, facility_id="P3")
    assert enrolment.state == "requested" and enrolment.handled_by == alice
    assert StatusChange.objects.filter(enrollment=enrolment, to_status="requested").exists()


def test_enrol_action_respects_sequential_mode(english, alice, gambir_person, settings):
    settings.JAKPRENEUR_SEQUENTIAL_FACILITIES = True
    person = gambir_person.entrepreneur
    english.force_login(alice)
    response = post_action(
        english, "registrations_entrepreneur_changelist", "enrol", [person], apply="1", facility="P4"
    )
    assert not Enrollment.objects.filter(entrepreneur=person, facility_id="P4").exists()
    assert any("in order" in m for m in messages_of(response))


# --- enrolment transitions ---


def test_start_then_complete_p4_with_permit_fields(english, alice, gambir_person):
    enrolment = EnrollmentFactory(entrepreneur=gambir_person.entrepreneur, facility_id="P4")
    english.force_login(alice)
    post_action(english, "registrations_enrollment_changelist", "start", [enrolment])
    enrolment.refresh_from_db()
    assert enrolment.state == "active"
    post_action(
        english,
        "registrations_enrollment_changelist",
        "complete",
        [enrolment],
        apply="1",
        permit_type="nib",
        permit_number="9120001234567",
    )
    enrolment.refresh_from_db()
    assert enrolment.state == "completed"
    assert (enrolment.permit_type, enrolment.permit_number) == ("nib", "9120001234567")
    assert [h.state for h in enrolment.history.order_by("history_date")][-2:] == ["active", "completed"]
    assert StatusChange.objects.filter(enrollment=enrolment, from_status="active", to_status="completed").exists()


def test_completing_p7_without_amount_is_refused_for_that_row(english, alice, gambir_person):
    enrolment = EnrollmentFactory(entrepreneur=gambir_person.entrepreneur, facility_id="P7")
    english.force_login(alice)
    response = post_action(english, "registrations_enrollment_changelist", "complete", [enrolment], apply="1")
    enrolment.refresh_from_db()
    assert enrolment.state == "requested"
    assert any("P7 needs" in m for m in messages_of(response))


def test_completing_p7_records_the_financing(english, dina, gambir_person):
    enrolment = EnrollmentFactory(entrepreneur=gambir_person.entrepreneur, facility_id="P7")
    english.force_login(dina)
    post_action(
        english,
        "registrations_enrollment_changelist",
        "complete",
        [enrolment],
        apply="1",
        financing_amount="25000000",
        financing_provider="Bank DKI",
    )
    enrolment.refresh_from_db()
    assert enrolment.state == "completed" and enrolment.financing_amount == 25_000_000


def test_cancel_needs_a_reason_and_logs_it(english, alice, gambir_person):
    enrolment = EnrollmentFactory(entrepreneur=gambir_person.entrepreneur)
    english.force_login(alice)
    post_action(english, "registrations_enrollment_changelist", "cancel", [enrolment], apply="1", reason="Moved away")
    enrolment.refresh_from_db()
    assert enrolment.state == "cancelled"
    assert StatusChange.objects.get(enrollment=enrolment, to_status="cancelled").reason == "Moved away"


def test_an_invalid_transition_shows_an_error(english, alice, gambir_person):
    enrolment = EnrollmentFactory(entrepreneur=gambir_person.entrepreneur, state="completed")
    english.force_login(alice)
    response = post_action(english, "registrations_enrollment_changelist", "start", [enrolment])
    assert any("cannot become" in m for m in messages_of(response))


def test_enrolments_cannot_be_added_or_deleted_directly(client, dina):
    client.force_login(dina)
    assert client.get(admin_url("registrations_enrollment_add")).status_code == 403
