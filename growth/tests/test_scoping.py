"""Who sees which growth rows: the Dinas all, centre staff their kecamatan, a mentor their
own caseload, anyone else nothing."""

import pytest
from django.utils import timezone

from facilities.tests.factories import MENTENG_KELURAHAN
from growth import selectors
from growth.models import MentorAssignment, MentoringSession, MonthlyReport
from growth.tests.factories import MentorAssignmentFactory, MentoringSessionFactory, MonthlyReportFactory
from registrations.tests.factories import EntrepreneurFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(maya, mark):
    """Two Gambir people (one in maya's caseload, one not) and one Menteng person (mark's)."""
    mine = EntrepreneurFactory()
    unassigned = EntrepreneurFactory()
    menteng = EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN)
    MentorAssignmentFactory(entrepreneur=mine, mentor=maya)
    MentorAssignmentFactory(entrepreneur=menteng, mentor=mark)
    for person in (mine, unassigned, menteng):
        MonthlyReportFactory(entrepreneur=person)
    MentoringSessionFactory(entrepreneur=mine, mentor=maya)
    MentoringSessionFactory(entrepreneur=menteng, mentor=mark)
    return {"mine": mine, "unassigned": unassigned, "menteng": menteng}


def names(queryset, attr="entrepreneur"):
    return sorted(getattr(row, attr).full_name if attr else row.full_name for row in queryset)


def test_the_dinas_sees_everything(world, dina):
    assert selectors.reports_visible_to(dina).count() == 3
    assert selectors.sessions_visible_to(dina).count() == 2
    assert selectors.assignments_visible_to(dina).count() == 2
    assert selectors.growth_entrepreneurs_visible_to(dina).count() == 3
    assert set(selectors.mentors_visible_to(dina).values_list("email", flat=True)) == {
        "maya@jakpreneur.test",
        "mark@jakpreneur.test",
    }


def test_centre_staff_see_their_kecamatan(world, alice):
    gambir = sorted([world["mine"].full_name, world["unassigned"].full_name])
    assert names(selectors.reports_visible_to(alice)) == gambir
    assert names(selectors.sessions_visible_to(alice)) == [world["mine"].full_name]
    assert names(selectors.assignments_visible_to(alice)) == [world["mine"].full_name]
    assert list(selectors.mentors_visible_to(alice).values_list("email", flat=True)) == ["maya@jakpreneur.test"]


def test_a_mentor_sees_only_her_caseload(world, maya):
    assert names(selectors.reports_visible_to(maya)) == [world["mine"].full_name]
    assert names(selectors.sessions_visible_to(maya)) == [world["mine"].full_name]
    assert names(selectors.growth_entrepreneurs_visible_to(maya), attr=None) == [world["mine"].full_name]
    assert list(selectors.mentors_visible_to(maya)) == [maya]


def test_an_ended_assignment_takes_the_person_out_of_the_caseload(world, maya):
    MentorAssignment.objects.filter(mentor=maya).update(ended_at=timezone.now())
    assert not selectors.reports_visible_to(maya).exists()
    assert not selectors.sessions_visible_to(maya).exists()
    assert selectors.assignments_visible_to(maya).count() == 1  # her own history stays


@pytest.mark.parametrize("who", ["carol", "olga", "entrepreneur", "anonymous", "inactive_mentor"])
def test_everyone_else_sees_nothing(world, who, request, maya):
    from django.contrib.auth.models import AnonymousUser

    if who == "entrepreneur":
        user = world["mine"].user
    elif who == "anonymous":
        user = AnonymousUser()
    elif who == "inactive_mentor":
        maya.is_active = False
        maya.save(update_fields=["is_active"])
        user = maya
    else:
        user = request.getfixturevalue(who)
    for selector in (
        selectors.reports_visible_to,
        selectors.sessions_visible_to,
        selectors.assignments_visible_to,
        selectors.growth_entrepreneurs_visible_to,
        selectors.mentors_visible_to,
        selectors.mentor_profiles_visible_to,
    ):
        assert not selector(user).exists(), selector.__name__
    assert MonthlyReport.objects.count() == 3 and MentoringSession.objects.count() == 2


def test_a_non_staff_account_in_the_mentor_group_sees_nothing(world):
    from django.contrib.auth.models import Group

    user = UserFactory(email="not-staff@example.id")
    user.groups.add(Group.objects.get(name="pendamping"))
    assert not selectors.reports_visible_to(user).exists()
