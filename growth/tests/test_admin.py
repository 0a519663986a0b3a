"""The growth back office: scoped lists and pages, writes through the services, a session in
a few taps, out-of-scope ids refused."""

import datetime as dt

import pytest
from django.utils import timezone

from facilities.tests.factories import MENTENG_KELURAHAN
from growth.models import MentorAssignment, MentoringSession, MentorProfile, MonthlyReport
from growth.tests.factories import MentorAssignmentFactory, MentoringSessionFactory, MonthlyReportFactory
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

REPORTS = "/admin/growth/monthlyreport/"
SESSIONS = "/admin/growth/mentoringsession/"
ASSIGNMENTS = "/admin/growth/mentorassignment/"
PROFILES = "/admin/growth/mentorprofile/"


@pytest.fixture
def caseload(maya):
    mine = EntrepreneurFactory(full_name="Siti Caseload")
    MentorAssignmentFactory(entrepreneur=mine, mentor=maya)
    return mine


@pytest.fixture
def menteng(mark):
    person = EntrepreneurFactory(full_name="Budi Menteng", kelurahan_code=MENTENG_KELURAHAN)
    MentorAssignmentFactory(entrepreneur=person, mentor=mark)
    return person


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors.get_json_data()


def last_month() -> str:
    first = timezone.localdate().replace(day=1)
    return f"{first - dt.timedelta(days=1):%Y-%m}"


def test_a_mentor_lists_only_her_caseloads_reports(client, maya, caseload, menteng, django_assert_max_num_queries):
    MonthlyReportFactory(entrepreneur=caseload)
    MonthlyReportFactory(entrepreneur=menteng)
    MonthlyReportFactory(entrepreneur=EntrepreneurFactory(full_name="Not Assigned"))
    client.force_login(maya)
    with django_assert_max_num_queries(12):
        response = client.get(REPORTS)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Siti Caseload" in body and "Budi Menteng" not in body and "Not Assigned" not in body


@pytest.mark.parametrize("who", ["dina", "alice", "maya"])
def test_the_report_list_costs_the_same_with_more_rows(client, request, who, monkeypatch, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from growth.admin import ReportsPaginator

    # 3 rows are counted exactly, 23 pass the (lowered) cap: the same queries either way.
    monkeypatch.setattr(ReportsPaginator, "count_cap", 10)
    user = request.getfixturevalue(who)
    maya = request.getfixturevalue("maya")
    client.force_login(user)

    def reports(n):
        for _ in range(n):
            person = EntrepreneurFactory()
            MentorAssignmentFactory(entrepreneur=person, mentor=maya)
            MonthlyReportFactory(entrepreneur=person)

    reports(3)
    client.get(REPORTS)  # the session and permission caches warm up
    with CaptureQueriesContext(connection) as few:
        assert client.get(REPORTS).status_code == 200
    reports(20)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(REPORTS)
    assert response.context["cl"].paginator.count_kind == "capped"


def test_a_mentor_files_a_report_for_her_caseload(client, maya, caseload):
    client.force_login(maya)
    assert client.get(REPORTS + "add/").status_code == 200
    response = client.post(
        REPORTS + "add/",
        {
            "entrepreneur": caseload.pk,
            "period": last_month(),
            "turnover": "Rp 2.500.000",
            "assets": "10.000.000",
            "workers": "1",
        },
    )
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert (report.entrepreneur, report.turnover, report.filed_by, report.filed_by_user) == (
        caseload,
        2_500_000,
        "mentor",
        maya,
    )


def test_an_out_of_scope_id_is_refused_and_writes_nothing(client, maya, caseload, menteng):
    client.force_login(maya)
    payload = {"period": last_month(), "turnover": "1000", "assets": "1000", "workers": "0"}
    response = client.post(REPORTS + "add/", {**payload, "entrepreneur": menteng.pk})
    assert response.status_code == 200 and "entrepreneur" in form_errors(response)
    theirs = MonthlyReportFactory(entrepreneur=menteng)
    assert client.get(f"{REPORTS}{theirs.pk}/change/").status_code == 404
    assert client.post(f"{REPORTS}{theirs.pk}/change/", {**payload, "turnover": "1"}).status_code == 404
    assert client.get(f"{REPORTS}{theirs.pk}/history/").status_code == 404
    theirs.refresh_from_db()
    assert MonthlyReport.objects.count() == 1 and theirs.turnover == 15_000_000


def test_a_duplicate_month_in_the_admin_says_so(client, maya, caseload):
    report = MonthlyReportFactory(entrepreneur=caseload, period=dt.date(2026, 1, 1))
    client.force_login(maya)
    response = client.post(
        REPORTS + "add/",
        {"entrepreneur": caseload.pk, "period": "2026-01", "turnover": "1", "assets": "1", "workers": "0"},
    )
    assert form_errors(response)["period"][0]["code"] == "duplicate"
    assert client.get(f"{REPORTS}{report.pk}/change/").status_code == 200
    assert client.get(f"{REPORTS}{report.pk}/history/").status_code == 200
    response = client.post(f"{REPORTS}{report.pk}/change/", {"turnover": "1.000", "assets": "1", "workers": "0"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.turnover == 1000 and report.history.count() == 2


def test_a_mentor_logs_a_session_in_a_few_taps(client, maya, caseload):
    client.force_login(maya)
    page = client.get(SESSIONS + "add/").content.decode()
    assert 'type="checkbox"' in page and f'value="{timezone.localdate():%Y-%m-%d}"' in page
    response = client.post(
        SESSIONS + "add/",
        {
            "entrepreneur": caseload.pk,
            "date": f"{timezone.localdate():%Y-%m-%d}",
            "mode": "phone",
            "topics": ["finance", "digital"],
        },
    )
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert (session.mentor, session.mode, session.topics) == (maya, "phone", ["finance", "digital"])


def test_centre_staff_read_sessions_but_do_not_log_them(client, alice, maya, caseload, menteng):
    MentoringSessionFactory(entrepreneur=caseload, mentor=maya, notes="internal")
    theirs = MentoringSessionFactory(entrepreneur=menteng, mentor=menteng.mentor_assignments.get().mentor)
    client.force_login(alice)
    assert "Siti Caseload" in client.get(SESSIONS).content.decode()
    assert client.get(SESSIONS + "add/").status_code == 403
    assert client.get(f"{SESSIONS}{caseload.mentoring_sessions.get().pk}/change/").status_code == 200
    assert client.get(f"{SESSIONS}{theirs.pk}/change/").status_code == 404


def test_centre_staff_assign_and_end_assignments(client, alice, maya, menteng):
    person = EntrepreneurFactory()
    client.force_login(alice)
    assert client.post(ASSIGNMENTS + "add/", {"entrepreneur": person.pk, "mentor": maya.pk}).status_code == 302
    assignment = MentorAssignment.objects.get(entrepreneur=person)
    assert assignment.assigned_by == alice
    # Menteng's person, or Menteng's mentor: refused, nothing written.
    response = client.post(ASSIGNMENTS + "add/", {"entrepreneur": menteng.pk, "mentor": maya.pk})
    assert response.status_code == 200
    assert MentorAssignment.objects.filter(entrepreneur=menteng, mentor=maya).count() == 0
    response = client.post(
        ASSIGNMENTS, {"action": "end", "_selected_action": [assignment.pk, menteng.mentor_assignments.get().pk]}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    assert menteng.mentor_assignments.get().ended_at is None


def test_a_mentor_cannot_assign(client, maya):
    client.force_login(maya)
    assert client.get(ASSIGNMENTS + "add/").status_code == 403
    assert (
        client.post(ASSIGNMENTS + "add/", {"entrepreneur": EntrepreneurFactory().pk, "mentor": maya.pk}).status_code
        == 403
    )
    assert not MentorAssignment.objects.exists()


def test_the_dinas_sets_a_mentors_target_and_checks_the_phone(client, dina, maya, alice):
    client.force_login(dina)
    response = client.post(
        PROFILES + "add/",
        {"user": maya.pk, "display_name": "Maya", "phone": "0812 3456 7890", "recruitment_target": "60"},
    )
    assert response.status_code == 302
    assert MentorProfile.objects.get().phone == "+6281234567890"
    client.force_login(alice)
    assert client.get(f"{PROFILES}{maya.pk}/change/").status_code == 200  # view only
    assert client.post(PROFILES + "add/", {"user": maya.pk, "recruitment_target": "1"}).status_code == 403
