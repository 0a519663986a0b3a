"""P3 and P6 enrolments follow the work (registrations.services.enrollments_follow_work): a
mentor assigned opens the person's P3 enrolment, a monthly report filed their P6 one, so
that the funnel, /me/ and the admin count what is happening without staff entering it twice."""

import datetime as dt
import io

import pytest

from growth import services
from growth.services import ReportFigures
from growth.tests.factories import MonthlyReportFactory
from registrations import services as registrations
from registrations.models import Enrollment, Entrepreneur, StatusChange
from registrations.tests.factories import EnrollmentFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def file(person, period="2026-02", actor=None):
    return services.report_file(
        entrepreneur=person,
        actor=actor or person.user,
        period=period,
        figures=ReportFigures("1.500.000", "10.000.000", "1"),
        filed_by="self" if actor is None else "mentor",
        today=TODAY,
    )


def states(person, facility):
    return list(
        Enrollment.objects.filter(entrepreneur=person, facility_id=facility)
        .order_by("pk")
        .values_list("state", flat=True)
    )


def test_a_first_report_opens_an_active_p6_enrolment_once_with_its_log_and_history():
    person = EntrepreneurFactory()
    file(person)
    file(person, period="2026-01")
    enrollment = Enrollment.objects.get(entrepreneur=person, facility_id="P6")
    assert enrollment.state == "active" and enrollment.started_at is not None
    assert enrollment.center == person.home_center and enrollment.handled_by is None  # filed by herself
    log = StatusChange.objects.get(enrollment=enrollment)
    assert (log.from_status, log.to_status, log.reason, log.changed_by) == (
        "",
        "active",
        "monthly report filed",
        person.user,
    )
    history = enrollment.history.get()
    assert (history.history_type, history.history_change_reason, history.history_user) == (
        "+",
        "monthly report filed",
        person.user,
    )


def test_a_p6_request_starts_and_a_completed_one_stays(maya, alice):
    requested, completed = EntrepreneurFactory(), EntrepreneurFactory()
    EnrollmentFactory(entrepreneur=requested, facility_id="P6")
    EnrollmentFactory(entrepreneur=completed, facility_id="P6", state="completed")
    file(requested)
    file(completed)
    assert states(requested, "P6") == ["active"]
    assert StatusChange.objects.filter(entrepreneur=requested, from_status="requested", to_status="active").exists()
    started = Enrollment.objects.get(entrepreneur=requested, facility_id="P6")
    assert started.started_at is not None
    latest = started.history.order_by("-history_id").first()
    assert (latest.state, latest.history_type, latest.history_change_reason) == ("active", "~", "monthly report filed")
    assert states(completed, "P6") == ["completed"]


def test_after_a_cancelled_enrolment_a_new_one_opens():
    person = EntrepreneurFactory()
    EnrollmentFactory(entrepreneur=person, facility_id="P6", state="cancelled")
    file(person)
    assert states(person, "P6") == ["cancelled", "active"]


def test_a_rejected_registration_or_an_inactive_facility_opens_nothing():
    from facilities import cache as reference
    from facilities.models import Facility

    rejected = EntrepreneurFactory(status=Entrepreneur.Status.REJECTED)
    EnrollmentFactory(entrepreneur=rejected, facility_id="P6")  # a request from before the rejection
    assert (
        registrations.enrollments_follow_work(
            entrepreneur_ids=[rejected.pk], facility_code="P6", actor=None, reason="x"
        )
        == 0
    )
    Facility.objects.filter(code="P6").update(active=False)
    reference.forget_local_copies()
    reference.invalidate()
    person = EntrepreneurFactory()
    assert (
        registrations.enrollments_follow_work(entrepreneur_ids=[person.pk], facility_code="P6", actor=None, reason="x")
        == 0
    )
    assert list(Enrollment.objects.filter(facility_id="P6").values_list("entrepreneur", "state")) == [
        (rejected.pk, "requested")
    ]


def test_in_sequential_mode_only_people_who_completed_the_facility_before_it(settings):
    settings.JAKPRENEUR_SEQUENTIAL_FACILITIES = True
    ready, early = EntrepreneurFactory(), EntrepreneurFactory()
    EnrollmentFactory(entrepreneur=ready, facility_id="P5", state="completed")
    opened = registrations.enrollments_follow_work(
        entrepreneur_ids=[ready.pk, early.pk], facility_code="P6", actor=None, reason="monthly report filed"
    )
    assert opened == 1 and states(ready, "P6") == ["active"] and states(early, "P6") == []


def test_a_mentor_filing_opens_it_with_the_mentor_as_the_one_who_did(alice, maya):
    person = EntrepreneurFactory()
    services.mentor_assign(entrepreneur=person, mentor=maya, actor=alice)
    file(person, actor=maya)
    enrollment = Enrollment.objects.get(entrepreneur=person, facility_id="P6")
    assert enrollment.handled_by == maya
    assert StatusChange.objects.get(enrollment=enrollment).changed_by == maya


def test_assigning_a_mentor_opens_p3_once_and_a_reassignment_adds_none(alice, dina, maya):
    from registrations.models import User

    person = EntrepreneurFactory()
    services.mentor_assign(entrepreneur=person, mentor=maya, actor=alice)
    other = User.objects.create_user(email="maya2@jakpreneur.test", is_staff=True)
    other.groups.add(*maya.groups.all())
    other.kecamatan_scope.set(maya.kecamatan_scope.all())
    services.mentor_assign(entrepreneur=person, mentor=other, actor=dina)
    enrollment = Enrollment.objects.get(entrepreneur=person, facility_id="P3")
    assert (enrollment.state, enrollment.handled_by) == ("active", alice)
    assert StatusChange.objects.get(enrollment=enrollment).reason == "mentor assigned"


def test_a_bulk_assignment_opens_p3_for_those_without_it(alice, maya):
    holding, new_one, new_two = EntrepreneurFactory(), EntrepreneurFactory(), EntrepreneurFactory()
    EnrollmentFactory(entrepreneur=holding, facility_id="P3", state="active")
    result = services.mentor_assign_many(entrepreneurs=[holding, new_one, new_two], mentor=maya, actor=alice)
    assert result.assigned == 3
    assert [states(p, "P3") for p in (holding, new_one, new_two)] == [["active"]] * 3
    assert StatusChange.objects.filter(enrollment__facility_id="P3", reason="mentor assigned").count() == 2


def test_nothing_to_do_costs_one_query(django_assert_num_queries):
    from facilities import cache as reference

    reference.facilities()  # the per-process copy of the reference data, as any request has it
    people = [EntrepreneurFactory() for _ in range(3)]
    for person in people:
        EnrollmentFactory(entrepreneur=person, facility_id="P6", state="active")
        MonthlyReportFactory(entrepreneur=person)
    with django_assert_num_queries(1):
        registrations.enrollments_follow_work(
            entrepreneur_ids=[p.pk for p in people], facility_code="P6", actor=None, reason="monthly report filed"
        )


def test_the_command_opens_what_older_work_stands_for_once(alice, maya):
    from django.core.management import call_command

    from growth.tests.factories import MentorAssignmentFactory

    reporter, mentored, both = EntrepreneurFactory(), EntrepreneurFactory(), EntrepreneurFactory()
    MonthlyReportFactory(entrepreneur=reporter)  # written before the rule: no enrolment
    MonthlyReportFactory(entrepreneur=both)
    MentorAssignmentFactory(entrepreneur=mentored, mentor=maya)
    MentorAssignmentFactory(entrepreneur=both, mentor=maya)
    assert not Enrollment.objects.filter(facility_id__in=("P3", "P6")).exists()
    out = io.StringIO()
    call_command("follow_work", "--chunk", "1", stdout=out)
    assert "P3: 2 people with the work, 2 enrolments opened or started." in out.getvalue()
    assert "P6: 2 people with the work, 2 enrolments opened or started." in out.getvalue()
    assert [states(p, "P3") + states(p, "P6") for p in (reporter, mentored, both)] == [
        ["active"],
        ["active"],
        ["active", "active"],
    ]
    call_command("follow_work", stdout=(again := io.StringIO()))
    assert "0 enrolments opened" in again.getvalue() and Enrollment.objects.count() == 4


def test_a_sheets_new_months_open_p6_after_the_commit_through_the_outbox(maya, django_capture_on_commit_callbacks):
    from growth import tasks, uploads
    from growth.selectors import add_months, current_period
    from growth.tests.factories import MentorAssignmentFactory
    from outbox.models import Job

    people = [EntrepreneurFactory() for _ in range(3)]
    EnrollmentFactory(entrepreneur=people[0], facility_id="P6", state="active")  # reports already
    for person in people:
        MentorAssignmentFactory(entrepreneur=person, mentor=maya)
    month = f"{add_months(current_period(), -1):%Y-%m}"
    body = "nik,period,turnover,assets,workers\n" + "".join(f"{p.nik},{month},1500000,10000000,1\n" for p in people)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = uploads.upload_reports(file=io.BytesIO(body.encode()), filename="sheet.csv", actor=maya)
        assert result.created == 3 and not Enrollment.objects.filter(entrepreneur__in=people[1:]).exists()
    assert len(callbacks) == 1
    job = Job.objects.get(task_name=tasks.follow_reports.name)
    assert job.args == [sorted(p.pk for p in people), maya.pk]
    assert [states(p, "P6") for p in people] == [["active"]] * 3
    assert StatusChange.objects.filter(reason="monthly report filed", changed_by=maya).count() == 2
    assert tasks.follow_reports(job.args[0], maya.pk) == 0  # a second run changes nothing
