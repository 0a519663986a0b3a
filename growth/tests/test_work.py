"""The admin index shows each member of staff the next steps agreed with their people that are
overdue (growth.work), in their own scope, linked to the sessions list filtered to those."""

import datetime as dt

import pytest
from django.utils import timezone

from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN
from growth import work
from growth.models import MentoringSession
from growth.tests.factories import MentorAssignmentFactory, MentoringSessionFactory
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

OVERDUE_LIST = "/admin/growth/mentoringsession/?next_step=overdue"


@pytest.fixture
def english_client(client):
    client.cookies["django_language"] = "en"
    return client


def _person_of(mentor, kelurahan):
    person = EntrepreneurFactory(kelurahan_code=kelurahan)
    MentorAssignmentFactory(entrepreneur=person, mentor=mentor)
    return person


def _session(person, mentor, *, days_ago: int, due_in: int | None) -> MentoringSession:
    today = timezone.localdate()
    return MentoringSessionFactory(
        entrepreneur=person,
        mentor=mentor,
        date=today - dt.timedelta(days=days_ago),
        next_step="Urus PIRT" if due_in is not None else "",
        next_step_due=None if due_in is None else today + dt.timedelta(days=due_in),
    )


@pytest.fixture
def steps(maya, mark):
    """Gambir: one overdue step (maya's), one followed up by a later session, one not yet due.
    Menteng: one overdue step (mark's)."""
    siti, budi, ani = (_person_of(maya, GAMBIR_KELURAHAN) for _ in range(3))
    overdue = _session(siti, maya, days_ago=20, due_in=-5)
    _session(budi, maya, days_ago=30, due_in=-10)
    _session(budi, maya, days_ago=3, due_in=None)  # the follow-up: nothing is overdue for budi
    _session(ani, maya, days_ago=2, due_in=7)
    menteng = _session(_person_of(mark, MENTENG_KELURAHAN), mark, days_ago=15, due_in=-1)
    return overdue, menteng


def test_only_steps_past_their_date_and_not_followed_up_are_overdue(steps):
    assert set(work.overdue_next_steps(MentoringSession.objects.all())) == set(steps)


def test_each_member_of_staff_counts_their_own_scope(rf, steps, alice, maya, mark, dina):
    def count(user):
        request = rf.get("/admin/")
        request.user = user
        (only,) = work.next_step_items(request)
        assert only.url == OVERDUE_LIST
        return only.count

    assert (count(alice), count(maya), count(mark), count(dina)) == (1, 1, 1, 2)


def test_the_index_shows_the_count_and_links_to_the_filtered_list(english_client, steps, maya):
    english_client.force_login(maya)
    index = english_client.get("/admin/")
    assert index.status_code == 200
    assert "Next steps overdue" in index.content.decode()
    assert OVERDUE_LIST.replace("&", "&amp;") in index.content.decode()

    listed = english_client.get(OVERDUE_LIST)
    assert listed.status_code == 200
    assert list(listed.context["cl"].result_list) == [steps[0]]


def test_the_panel_is_not_shown_to_staff_who_may_not_see_sessions(english_client, steps, django_user_model):
    bare = django_user_model.objects.create_user(email="bare@jakpreneur.test", password="x-long-pass-42", is_staff=True)
    english_client.force_login(bare)
    page = english_client.get("/admin/")
    assert page.status_code == 200
    assert "Next steps overdue" not in page.content.decode()
