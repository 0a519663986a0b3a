"""The caseload page (a mentor's own; per mentor for centre staff and the Dinas) and the
mentors' overview: flags, target and progress, fixed query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from facilities.tests.factories import MENTENG_KELURAHAN
from growth import caseloads
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

    caseload = caseloads.caseload_of(maya, today=today)

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


# --- the caseload's outcomes (growth.outcomes per mentor) -------------------------------------

M = 1_000_000


def history(person, turnovers, workers=None):
    """Reports for the months up to last month, oldest first."""
    last = add_months(current_period(), -1)
    for n, turnover in enumerate(turnovers):
        MonthlyReportFactory(
            entrepreneur=person,
            period=add_months(last, n - len(turnovers) + 1),
            turnover=turnover,
            workers=(workers or [1] * len(turnovers))[n],
        )


@pytest.fixture
def two_caseloads(maya, mark):
    """Maya (Gambir): a grower (mikro → kecil, +2 workers, +200 %) and a silent pemula; Mark
    (Menteng): a pemula who now sells, with a report last month."""
    grower = assign(maya, "Grower")
    grower.track = "naik_kelas"
    grower.save(update_fields=["track"])
    history(grower, [100 * M] * 3 + [300 * M] * 9, [1] * 11 + [3])
    assign(maya, "Silent")
    starter = EntrepreneurFactory(full_name="Starter", kelurahan_code=MENTENG_KELURAHAN)
    MentorAssignmentFactory(entrepreneur=starter, mentor=mark)
    history(starter, [0, 0, 5 * M])


def test_a_mentors_caseload_shows_its_outcomes_with_their_definitions(client, maya, two_caseloads):
    client.force_login(maya)
    response = client.get(CASELOAD)
    figures = response.context["caseload"].outcomes
    assert (figures.counted, figures.reported_last_month, figures.reporting_rate) == (2, 1, 50.0)
    assert (figures.naik_kelas, figures.wirausaha_baru, figures.jobs_created, figures.median_growth) == (1, 0, 2, 200.0)
    page = response.content.decode()
    assert 'id="caseload-outcomes"' in page and 'id="outcome-definitions"' in page
    for key, (label, definition) in response.context["definitions"].items():
        assert f'data-outcome="{key}"' in page and str(definition) in page and str(label) in page


def test_a_mentor_sees_only_her_own_caseloads_outcomes(client, maya, mark, two_caseloads):
    client.force_login(mark)
    figures = client.get(CASELOAD).context["caseload"].outcomes
    assert (figures.counted, figures.wirausaha_baru, figures.naik_kelas, figures.median_growth) == (1, 1, 0, None)
    assert client.get(f"{CASELOAD}?mentor={maya.pk}").status_code == 404
    assert client.get(MENTORS)["Location"] == CASELOAD


def test_centre_staff_see_the_outcomes_of_their_kecamatans_mentors_only(client, alice, bob, maya, mark, two_caseloads):
    client.force_login(alice)
    response = client.get(MENTORS)
    rows = {s.mentor: s.outcomes for s in response.context["summaries"]}
    assert list(rows) == [maya] and (rows[maya].naik_kelas, rows[maya].reporting_rate) == (1, 50.0)
    page = response.content.decode()
    assert f'data-mentor="{mark.pk}"' not in page and 'id="outcome-definitions"' in page
    assert client.get(f"{CASELOAD}?mentor={mark.pk}").status_code == 404
    client.force_login(bob)
    rows = {s.mentor: s.outcomes for s in client.get(MENTORS).context["summaries"]}
    assert list(rows) == [mark] and rows[mark].wirausaha_baru == 1
    assert client.get(f"{CASELOAD}?mentor={maya.pk}").status_code == 404


def test_the_dinas_sees_every_mentors_outcomes(client, dina, maya, mark, two_caseloads):
    client.force_login(dina)
    rows = {s.mentor: s.outcomes for s in client.get(MENTORS).context["summaries"]}
    assert set(rows) == {maya, mark} and rows[maya].naik_kelas == 1 and rows[mark].wirausaha_baru == 1
    assert client.get(f"{CASELOAD}?mentor={mark.pk}").context["caseload"].outcomes.wirausaha_baru == 1


def test_the_outcome_pages_cost_a_fixed_number_of_queries(dina, maya, mark, two_caseloads, django_assert_num_queries):
    with django_assert_num_queries(4):
        caseloads.caseload_of(maya)
    with django_assert_num_queries(5):  # her role, the mentors, caseload sizes, outcomes (2)
        caseloads.mentor_summaries(dina)
