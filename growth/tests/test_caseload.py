"""The caseload page (a mentor's own; per mentor for centre staff and the Dinas) and the
mentors' overview: flags, target and progress, fixed query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from growth import selectors
from growth.models import MentorProfile
from growth.selectors import add_months, current_period
from growth.tests.factories import MentorAssignmentFactory, MentoringSessionFactory, MonthlyReportFactory
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

CASELOAD = "/admin/growth/mentorassignment/caseload/"
MENTORS = "/admin/growth/mentorassignment/mentors/"


def assign(mentor, name):
    person = EntrepreneurFactory(full_name=name)
    MentorAssignmentFactory(entrepreneur=person, mentor=mentor)
    return person


def test_flags_no_report_for_two_months_and_overdue_next_steps(maya):
    today = timezone.localdate()
    this_month = current_period(today)
    fine = assign(maya, "A Fine")
    MonthlyReportFactory(entrepreneur=fine, period=add_months(this_month, -1))
    MentoringSessionFactory(entrepreneur=fine, mentor=maya, date=today, next_step="x", next_step_due=today)
    silent = assign(maya, "B Silent")
    MonthlyReportFactory(entrepreneur=silent, period=add_months(this_month, -3))
    late = assign(maya, "C Late")
    MonthlyReportFactory(entrepreneur=late, period=add_months(this_month, -2))
    old_day = today - dt.timedelta(days=20)
    MentoringSessionFactory(
        entrepreneur=late,
        mentor=maya,
        date=old_day,
        next_step="Urus PIRT",
        next_step_due=old_day + dt.timedelta(days=5),
    )
    assign(maya, "D Never")
    MentorProfile.objects.create(user=maya, recruitment_target=8)

    caseload = selectors.caseload_of(maya, today=today)

    flags = {r.entrepreneur.full_name: (r.no_recent_report, r.next_step_overdue) for r in caseload.rows}
    assert flags == {
        "A Fine": (False, False),
        "B Silent": (True, False),
        "C Late": (False, True),
        "D Never": (True, False),
    }
    assert (caseload.active, caseload.target, caseload.progress_percent, caseload.flagged) == (4, 8, 50, 3)
    late_row = next(r for r in caseload.rows if r.entrepreneur == late)
    assert late_row.next_step == "Urus PIRT" and late_row.last_report == add_months(this_month, -2)


def test_a_mentor_opens_her_own_caseload_with_a_fixed_number_of_queries(client, maya, django_assert_num_queries):
    client.force_login(maya)
    assign(maya, "Siti")
    client.get(CASELOAD)
    with CaptureQueriesContext(connection) as one:
        response = client.get(CASELOAD)
    assert response.status_code == 200 and "Siti" in response.content.decode()
    for n in range(15):
        person = assign(maya, f"Person {n}")
        MonthlyReportFactory(entrepreneur=person)
        MentoringSessionFactory(entrepreneur=person, mentor=maya)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(CASELOAD)
    assert len(response.context["caseload"].rows) == 16


def test_centre_staff_open_a_mentors_caseload_with_a_fixed_number_of_queries(
    client, alice, maya, django_assert_num_queries
):
    client.force_login(alice)
    assign(maya, "Siti")
    url = f"{CASELOAD}?mentor={maya.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(15):
        person = assign(maya, f"Person {n}")
        MonthlyReportFactory(entrepreneur=person)
        MentoringSessionFactory(entrepreneur=person, mentor=maya)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["caseload"].rows) == 16


def test_each_person_in_her_caseload_opens_the_session_form_with_them_chosen(client, maya, alice):
    person = assign(maya, "Siti")
    client.force_login(maya)
    body = client.get(CASELOAD).content.decode()
    link = f"/admin/growth/mentoringsession/add/?entrepreneur={person.pk}"
    assert f'href="{link}"' in body
    form = client.get(link).context["adminform"].form
    assert form["entrepreneur"].value() == str(person.pk)
    # Centre staff do not log sessions: their view of the caseload has no such links.
    client.force_login(alice)
    assert "mentoringsession/add/" not in client.get(f"{CASELOAD}?mentor={maya.pk}").content.decode()


def test_a_mentor_cannot_open_another_mentors_caseload(client, maya, mark):
    assign(mark, "Budi of Mark")
    client.force_login(maya)
    assert client.get(f"{CASELOAD}?mentor={mark.pk}").status_code == 404
    assert client.get(f"{CASELOAD}?mentor=abc").status_code == 404
    assert client.get(MENTORS)["Location"] == CASELOAD


def test_centre_staff_see_their_kecamatans_mentors(client, alice, maya, mark):
    person = assign(maya, "Siti")
    MonthlyReportFactory(entrepreneur=person, period=add_months(current_period(), -1))
    assign(maya, "Rina")
    client.force_login(alice)
    response = client.get(MENTORS)
    summaries = response.context["summaries"]
    assert [(s.mentor, s.active, s.reported_last_month, s.reporting_percent) for s in summaries] == [(maya, 2, 1, 50)]
    assert client.get(f"{CASELOAD}?mentor={maya.pk}").status_code == 200
    assert client.get(f"{CASELOAD}?mentor={mark.pk}").status_code == 404
    assert client.get(CASELOAD)["Location"] == MENTORS


def test_the_mentors_overview_has_a_fixed_number_of_queries(client, dina, maya, mark, django_assert_num_queries):
    from django.contrib.auth.models import Group

    from registrations.models import User

    client.force_login(dina)
    assign(maya, "Siti")
    client.get(MENTORS)
    with CaptureQueriesContext(connection) as one:
        client.get(MENTORS)
    group = Group.objects.get(name="pendamping")
    for n in range(6):
        mentor = User.objects.create_user(email=f"m{n}@jakpreneur.test", is_staff=True)
        mentor.groups.add(group)
        mentor.kecamatan_scope.set(["31.71.01"])
        MentorProfile.objects.create(user=mentor, recruitment_target=10 + n)
        assign(mentor, f"P{n}")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(MENTORS)
    assert len(response.context["summaries"]) == 8


@pytest.mark.parametrize("who", ["olga", "carol_entrepreneur"])
def test_people_without_the_permission_are_refused(client, who, olga):
    user = olga if who == "olga" else EntrepreneurFactory().user
    client.force_login(user)
    for url in (CASELOAD, MENTORS):
        assert client.get(url).status_code == 302  # the admin's login: not staff
