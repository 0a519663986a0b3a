"""The entrepreneur list's "assign to a mentor" action (growth's, offered on registrations'
admin through its extension point) and the service under it, all or nothing."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from conftest import _staff
from facilities.tests.factories import GAMBIR, MENTENG_KELURAHAN
from growth import services
from growth.models import MentorAssignment
from growth.tests.factories import MentorAssignmentFactory
from jakpreneur.access import CENTER_STAFF, PENDAMPING
from registrations.tests.factories import EntrepreneurFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST = "/admin/registrations/entrepreneur/"


@pytest.fixture
def gambir_people():
    return [EntrepreneurFactory(full_name=f"Gambir {i}") for i in range(3)]


@pytest.fixture
def menteng_person():
    return EntrepreneurFactory(full_name="Budi Menteng", kelurahan_code=MENTENG_KELURAHAN)


def choose(client, people):
    """The first click: the intermediate page choosing the mentor."""
    return client.post(LIST, {"action": "assign_mentor", "_selected_action": [p.pk for p in people]})


def confirm(client, people, mentor_id):
    return client.post(
        LIST,
        {"action": "assign_mentor", "_selected_action": [p.pk for p in people], "apply": "1", "mentor": mentor_id},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def active(person):
    return MentorAssignment.objects.active().filter(entrepreneur=person).first()


def test_centre_staff_assign_their_people_to_a_mentor_of_the_kecamatan(client, alice, maya, mark, gambir_people):
    client.force_login(alice)
    page = choose(client, gambir_people)
    assert page.status_code == 200
    body = page.content.decode()
    # Maya works for Gambir and is offered with her caseload; Mark (Menteng) is not.
    assert "maya@jakpreneur.test" in body and "caseload 0, target 60" in body
    assert "mark@jakpreneur.test" not in body
    response = confirm(client, gambir_people, maya.pk)
    assert response.status_code == 200
    assert all(active(p).mentor == maya and active(p).assigned_by == alice for p in gambir_people)
    assert "3 entrepreneurs put in the caseload of maya@jakpreneur.test; 0 were already in it." in messages_of(response)


def test_the_dinas_assigns_too(client, dina, mark, menteng_person):
    client.force_login(dina)
    response = confirm(client, [menteng_person], mark.pk)
    assert active(menteng_person).mentor == mark
    assert "1 entrepreneurs put in the caseload of mark@jakpreneur.test; 0 were already in it." in messages_of(response)


def test_reassigning_ends_the_previous_assignment_and_keeps_it(client, alice, maya, gambir_people):
    other = _staff("rina@jakpreneur.test", PENDAMPING, kecamatan=(GAMBIR,))
    first, second, third = gambir_people
    earlier = MentorAssignmentFactory(entrepreneur=first, mentor=other)
    already = MentorAssignmentFactory(entrepreneur=second, mentor=maya)
    client.force_login(alice)
    response = confirm(client, gambir_people, maya.pk)
    earlier.refresh_from_db()
    assert earlier.ended_at is not None and earlier.ended_by == alice
    assert active(first).mentor == maya and active(first).pk != earlier.pk
    assert active(second).pk == already.pk  # already Maya's: unchanged
    assert active(third).mentor == maya
    assert MentorAssignment.objects.filter(entrepreneur=first).count() == 2
    assert "2 entrepreneurs put in the caseload of maya@jakpreneur.test; 1 were already in it." in messages_of(response)


def test_people_outside_the_scope_are_not_reached(client, alice, maya, menteng_person):
    client.force_login(alice)
    # Menteng's person is not in Alice's list: the admin's scoped queryset drops the id.
    response = confirm(client, [menteng_person], maya.pk)
    assert response.status_code == 200
    assert not MentorAssignment.objects.exists()


def test_the_service_refuses_the_whole_selection_when_one_is_out_of_scope(alice, maya, gambir_people, menteng_person):
    with pytest.raises(ValidationError) as refused:
        services.mentor_assign_many(entrepreneurs=[*gambir_people, menteng_person], mentor=maya, actor=alice)
    assert refused.value.code == "out_of_scope"
    assert not MentorAssignment.objects.exists()


def test_a_mentor_of_another_kecamatan_is_refused_and_nothing_changes(client, alice, dina, maya, mark, gambir_people):
    client.force_login(alice)
    response = confirm(client, gambir_people, mark.pk)
    assert response.status_code == 200  # the page again, with the form's error
    assert "mentor" in response.context["form"].errors
    assert not MentorAssignment.objects.exists()
    # The Dinas sees every mentor, but the service still wants one of their kecamatan.
    with pytest.raises(ValidationError) as refused:
        services.mentor_assign_many(entrepreneurs=gambir_people, mentor=mark, actor=dina)
    assert refused.value.error_dict["mentor"][0].code == "mentor_elsewhere"
    assert not MentorAssignment.objects.exists()


def test_people_of_two_kecamatan_at_once_are_refused(client, dina, maya, gambir_people, menteng_person):
    client.force_login(dina)
    response = client.post(
        LIST,
        {"action": "assign_mentor", "_selected_action": [gambir_people[0].pk, menteng_person.pk]},
        follow=True,
    )
    assert "Select entrepreneurs of one kecamatan: a mentor works for one kecamatan." in messages_of(response)
    response = confirm(client, [gambir_people[0], menteng_person], maya.pk)
    assert not MentorAssignment.objects.exists()


def test_a_kecamatan_without_a_mentor_says_so(client, bob, menteng_person):
    client.force_login(bob)
    response = choose(client, [menteng_person])
    assert "No mentor works for this kecamatan yet: nothing was changed." in messages_of(response)


def test_a_mentor_does_not_get_the_action(client, maya, gambir_people):
    client.force_login(maya)
    assert client.get(LIST).status_code == 403  # no entrepreneur list at all
    assert confirm(client, gambir_people, maya.pk).status_code == 403
    assert not MentorAssignment.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.mentor_assign_many(entrepreneurs=gambir_people, mentor=maya, actor=maya)
    assert refused.value.code == "not_allowed"


def test_a_mentor_who_is_also_centre_staff_is_not_offered_it(client, maya, gambir_people):
    from django.contrib.auth.models import Group

    maya.groups.add(Group.objects.get(name=CENTER_STAFF))
    client.force_login(maya)
    page = client.get(LIST)
    assert page.status_code == 200
    assert "assign_mentor" not in page.content.decode()
    response = confirm(client, gambir_people, maya.pk)
    assert "No action selected." in messages_of(response)
    assert not MentorAssignment.objects.exists()


def test_the_action_is_offered_to_centre_staff(client, alice, gambir_people):
    client.force_login(alice)
    assert 'value="assign_mentor"' in client.get(LIST).content.decode()


def test_a_forged_mentor_id_is_a_form_error(client, alice, maya, gambir_people):
    client.force_login(alice)
    for forged in ("999999", "=cmd|' /C calc'!A0", "1\x00", ""):
        response = confirm(client, gambir_people, forged)
        assert response.status_code == 200
        assert "mentor" in response.context["form"].errors
    assert not MentorAssignment.objects.exists()
