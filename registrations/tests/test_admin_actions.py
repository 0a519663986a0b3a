"""The bulk-action helper (registrations/admin/actions.py: RowAction) as staff meet it: the row
cap, per-row refusals next to successes, the intermediate form page and its permissions."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import constants

from registrations.admin import actions
from registrations.models import Enrollment, Entrepreneur
from registrations.tests import admin_fixtures
from registrations.tests.admin_fixtures import admin_url
from registrations.tests.factories import EnrollmentFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db

menteng_person = admin_fixtures.menteng_person

ENTREPRENEURS = "registrations_entrepreneur_changelist"


def act(client, action, objs, **extra):
    return client.post(
        admin_url(ENTREPRENEURS), {"action": action, "_selected_action": [o.pk for o in objs], **extra}, follow=True
    )


def messages_of(response, level=None) -> list[str]:
    return [str(m) for m in response.context["messages"] if level is None or m.level == level]


def statuses(people) -> list[str]:
    return [Entrepreneur.objects.get(pk=p.pk).status for p in people]


@pytest.fixture
def gambir_people(db):
    """Three submitted registrations in Gambir (alice's kecamatan)."""
    return [EntrepreneurFactory(user=None, full_name=f"Warga Gambir {i}") for i in range(3)]


# --- the row cap ---


@pytest.mark.parametrize(
    ("action", "extra"),
    [("verify", {}), ("reject", {}), ("reject", {"apply": "1", "reason": "Not a DKI resident"})],
)
def test_more_rows_than_the_cap_are_refused_and_nothing_changes(
    english, alice, gambir_people, monkeypatch, action, extra
):
    monkeypatch.setattr(actions, "MAX_ACTION_ROWS", 2)
    english.force_login(alice)
    response = act(english, action, gambir_people, **extra)
    assert messages_of(response, constants.ERROR) == ["Select at most 2 rows for this action."]
    assert "admin/registrations/action_form.html" not in [t.name for t in response.templates]
    assert statuses(gambir_people) == ["submitted"] * 3


def test_as_many_rows_as_the_cap_are_done(english, alice, gambir_people, monkeypatch):
    monkeypatch.setattr(actions, "MAX_ACTION_ROWS", 2)
    english.force_login(alice)
    response = act(english, "verify", gambir_people[:2])
    assert messages_of(response) == ["2 registration(s) verified."]
    assert statuses(gambir_people) == ["verified", "verified", "submitted"]


# --- one row refused, the others done ---


def test_a_refused_row_is_reported_by_name_and_the_others_are_done(english, alice, gambir_people):
    done_before = gambir_people[1]
    Entrepreneur.objects.filter(pk=done_before.pk).update(status=Entrepreneur.Status.VERIFIED)
    english.force_login(alice)
    response = act(english, "verify", gambir_people)
    (error,) = messages_of(response, constants.ERROR)
    assert error.startswith("Warga Gambir 1: ") and "already" in error
    assert messages_of(response, constants.SUCCESS) == ["2 registration(s) verified."]
    assert statuses(gambir_people) == ["verified"] * 3


def test_when_every_row_is_refused_there_is_no_success_message(english, alice, gambir_people):
    Entrepreneur.objects.update(status=Entrepreneur.Status.VERIFIED)
    english.force_login(alice)
    response = act(english, "verify", gambir_people)
    assert len(messages_of(response, constants.ERROR)) == 3
    assert messages_of(response, constants.SUCCESS) == []


def test_a_form_action_completes_the_rows_it_can_and_names_the_one_it_cannot(english, alice, gambir_people):
    permit = EnrollmentFactory(entrepreneur=gambir_people[0], facility_id="P4")
    financing = EnrollmentFactory(entrepreneur=gambir_people[1], facility_id="P7")
    english.force_login(alice)
    response = english.post(
        admin_url("registrations_enrollment_changelist"),
        {
            "action": "complete",
            "_selected_action": [permit.pk, financing.pk],
            "apply": "1",
            "permit_type": "nib",
            "permit_number": "9120001234567",
        },
        follow=True,
    )
    assert messages_of(response, constants.ERROR) == [
        "Warga Gambir 1 – P7: P7 needs: Financing amount in Rp (P7), Financing provider (P7)."
    ]
    assert messages_of(response, constants.SUCCESS) == ["1 enrolment(s) completed."]
    assert Enrollment.objects.get(pk=permit.pk).state == "completed"
    assert Enrollment.objects.get(pk=financing.pk).state == "requested"


# --- the intermediate page ---


def test_an_invalid_form_shows_the_page_again_with_its_errors_and_the_selection(english, alice, gambir_people):
    english.force_login(alice)
    chosen = gambir_people[:2]
    response = act(english, "reject", chosen, apply="1", reason="")
    assert response.templates[0].name == "admin/registrations/action_form.html"
    assert response.context["form"].errors["reason"] == ["This field is required."]
    assert response.context["title"] == "Reject registrations"
    assert response.context["count"] == 2
    html = response.content.decode()
    assert '<input type="hidden" name="action" value="reject">' in html
    for person in chosen:
        assert f'<input type="hidden" name="_selected_action" value="{person.pk}">' in html
    assert statuses(gambir_people) == ["submitted"] * 3
    # Confirming the page again, now with a reason, rejects the same rows.
    response = act(english, "reject", chosen, apply="1", reason="Not a DKI resident")
    assert messages_of(response) == ["2 registration(s) rejected."]
    assert statuses(gambir_people) == ["rejected", "rejected", "submitted"]


def test_the_page_lists_the_first_fifty_rows_and_counts_them_all(english, dina):
    people = [EntrepreneurFactory(user=None) for _ in range(actions.ROWS_SHOWN + 1)]
    english.force_login(dina)
    response = act(english, "enrol", people)
    assert len(response.context["objects"]) == actions.ROWS_SHOWN
    html = response.content.decode()
    assert f"This applies to {actions.ROWS_SHOWN + 1} selected rows:" in html
    assert "<li>…</li>" in html
    assert not Enrollment.objects.filter(facility_id="P3").exists()


def test_select_across_is_carried_through_the_page_and_stays_in_scope(english, alice, gambir_people, menteng_person):
    english.force_login(alice)
    page = act(english, "reject", gambir_people[:1], select_across="1")
    assert page.context["select_across"] == "1"
    assert '<input type="hidden" name="select_across" value="1">' in page.content.decode()
    response = act(english, "reject", gambir_people[:1], select_across="1", apply="1", reason="Duplicate data")
    assert messages_of(response) == ["3 registration(s) rejected."]
    assert statuses(gambir_people) == ["rejected"] * 3
    assert statuses([menteng_person]) == ["submitted"]


@pytest.mark.parametrize(("language", "label"), [("en", "Reason"), ("id", "Alasan")])
def test_the_reason_label_is_in_the_users_language(client, alice, gambir_people, language, label):
    client.cookies["django_language"] = language
    client.force_login(alice)
    html = act(client, "reject", gambir_people[:1]).content.decode()
    assert f'<label for="id_reason">{label}:</label>' in html


# --- permissions ---


def test_staff_without_the_change_permission_are_not_offered_the_actions_and_cannot_post_them(
    english, alice, gambir_people
):
    group = Group.objects.get(name="center_staff")
    group.permissions.remove(Permission.objects.get(codename="change_entrepreneur"))
    english.force_login(alice)
    listing = english.get(admin_url(ENTREPRENEURS))
    offered = {name for name, _label in listing.context["action_form"].fields["action"].choices}
    assert offered.isdisjoint({"verify", "reject", "enrol"})
    for action, extra in [("verify", {}), ("reject", {"reason": "Not a DKI resident"}), ("enrol", {"facility": "P3"})]:
        act(english, action, gambir_people, apply="1", **extra)
    assert statuses(gambir_people) == ["submitted"] * 3
    assert not Enrollment.objects.filter(facility_id="P3").exists()
