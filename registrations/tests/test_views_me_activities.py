"""Activity sign-ups (on /me/activities/): taking and giving back a place, capacity and deadlines,
activities the entrepreneur may not see, and two people racing for the last place."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from facilities.tests.factories import MENTENG, ActivityFactory, center
from registrations.models import Attendance
from registrations.tests import me_fixtures
from registrations.tests.factories import EntrepreneurFactory
from registrations.tests.me_fixtures import messages_of

pytestmark = pytest.mark.django_db

# Shared fixtures (a module rather than a conftest, so that parallel branches do not collide).
siti = me_fixtures.siti
budi = me_fixtures.budi


def test_signing_up_for_an_activity_takes_a_place(client, siti):
    activity = ActivityFactory()
    response = client.post(f"/me/activities/{activity.pk}/signup/", follow=True)
    assert Attendance.objects.get(activity=activity).entrepreneur == siti
    assert f"You are signed up for “{activity.title}”." in messages_of(response)
    assert response.redirect_chain == [(f"/me/activities/#activity-{activity.pk}", 302)]
    assert b"Give my place back" in response.content


def test_a_full_activity_refuses_the_sign_up(client, siti, budi):
    activity = ActivityFactory(capacity=1)
    Attendance.objects.create(activity=activity, entrepreneur=budi)
    response = client.post(f"/me/activities/{activity.pk}/signup/", follow=True)
    assert not Attendance.objects.filter(entrepreneur=siti).exists()
    assert "This activity is full." in messages_of(response)


def test_sign_up_closes_at_the_deadline(client, siti):
    starts = timezone.now() + dt.timedelta(hours=5)
    activity = ActivityFactory(starts_at=starts, registration_deadline=timezone.now() - dt.timedelta(minutes=1))
    response = client.post(f"/me/activities/{activity.pk}/signup/", follow=True)
    assert not Attendance.objects.exists()
    assert "Sign-up for this activity has closed." in messages_of(response)


@pytest.mark.parametrize("where", ["other_centre", "unpublished"])
def test_activities_the_entrepreneur_cannot_see_are_a_404(client, siti, where):
    kwargs = {"center": center(MENTENG)} if where == "other_centre" else {"published": False}
    activity = ActivityFactory(**kwargs)
    assert client.post(f"/me/activities/{activity.pk}/signup/").status_code == 404
    assert not Attendance.objects.exists()


def test_giving_a_place_back(client, siti, budi):
    activity = ActivityFactory()
    mine = Attendance.objects.create(activity=activity, entrepreneur=siti)
    response = client.post(f"/me/activities/{activity.pk}/cancel/", follow=True)
    mine.refresh_from_db()
    assert mine.status == Attendance.Status.CANCELLED
    assert f"Your place in “{activity.title}” was given back." in messages_of(response)
    assert response.redirect_chain == [(f"/me/activities/#activity-{activity.pk}", 302)]


def test_someone_elses_sign_up_cannot_be_cancelled(client, siti, budi):
    activity = ActivityFactory(center=None)
    theirs = Attendance.objects.create(activity=activity, entrepreneur=budi)
    assert client.post(f"/me/activities/{activity.pk}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Attendance.Status.REGISTERED


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads racing on a row lock need PostgreSQL's row locking"
)
@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_the_last_place_get_one_place():
    activity = ActivityFactory(capacity=1)
    people = [EntrepreneurFactory(), EntrepreneurFactory()]
    barrier = threading.Barrier(2)
    statuses: list = []

    def sign_up(entrepreneur) -> None:
        try:
            client = Client()
            client.force_login(entrepreneur.user)
            barrier.wait(timeout=10)
            statuses.append(client.post(f"/me/activities/{activity.pk}/signup/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302, 302]
    assert Attendance.objects.filter(activity=activity).count() == 1
