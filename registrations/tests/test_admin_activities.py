"""Activities and attendance in the back office: centre staff create their centre's
activities, mark attendance and complete the facility for those who came."""

import pytest

from facilities.tests.factories import ActivityFactory, center
from registrations.models import Attendance, Enrollment
from registrations.tests.admin_fixtures import admin_url, messages_of, post_action
from registrations.tests.factories import (
    EnrollmentFactory,
    EntrepreneurFactory,
)

pytestmark = pytest.mark.django_db


# --- activities and attendance ---


def test_centre_staff_create_activities_for_their_centre_only(client, alice):
    client.force_login(alice)
    form = client.get(admin_url("facilities_activity_add")).context["adminform"].form
    assert list(form.fields["center"].queryset) == [center("31.71.01")]
    assert form.fields["center"].required


def test_marking_attendance_and_completing_p2_for_attendees(client, alice):
    activity = ActivityFactory(center=center("31.71.01"))
    came = EntrepreneurFactory(user=None)
    open_p2 = EnrollmentFactory(entrepreneur=came, facility_id="P2")
    walked_in = EntrepreneurFactory(user=None)
    absent = EntrepreneurFactory(user=None)
    rows = [Attendance.objects.create(activity=activity, entrepreneur=p) for p in (came, walked_in, absent)]
    client.force_login(alice)
    post_action(client, "registrations_attendance_changelist", "mark_attended", rows[:2])
    post_action(client, "registrations_attendance_changelist", "mark_absent", rows[2:])
    assert [Attendance.objects.get(pk=r.pk).status for r in rows] == ["attended", "attended", "absent"]
    assert Attendance.objects.get(pk=rows[0].pk).marked_by == alice

    post_action(client, "facilities_activity_changelist", "complete_facility_for_attendees", [activity])
    open_p2.refresh_from_db()
    assert open_p2.state == "completed"
    assert Enrollment.objects.get(entrepreneur=walked_in, facility_id="P2").state == "completed"
    assert not Enrollment.objects.filter(entrepreneur=absent, facility_id="P2").exists()
    # Running it again changes nothing.
    post_action(client, "facilities_activity_changelist", "complete_facility_for_attendees", [activity])
    assert Enrollment.objects.filter(facility_id="P2").count() == 2


def test_adding_a_participant_uses_the_signup_rules(english, alice):
    activity = ActivityFactory(center=center("31.71.01"), capacity=1)
    first, second = EntrepreneurFactory(user=None), EntrepreneurFactory(user=None)
    english.force_login(alice)
    url = admin_url("registrations_attendance_add")
    assert english.post(url, {"activity": activity.pk, "entrepreneur": first.pk}).status_code == 302
    response = english.post(url, {"activity": activity.pk, "entrepreneur": second.pk}, follow=True)
    assert any("full" in m for m in messages_of(response))
    assert Attendance.objects.filter(activity=activity).count() == 1
