"""The growth services: each checks the actor's scope and the rules, whoever calls it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from facilities.tests.factories import MENTENG_KELURAHAN
from growth import services
from growth.models import MentorAssignment, MentoringSession, MonthlyReport
from growth.services import ReportFigures, SessionData
from growth.tests.factories import MentorAssignmentFactory, MonthlyReportFactory
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


# --- assignments ----------------------------------------------------------------------------


def test_centre_staff_assign_their_kecamatans_people_to_its_mentor(alice, maya):
    person = EntrepreneurFactory()
    assignment = services.mentor_assign(entrepreneur=person, mentor=maya, actor=alice)
    assert (assignment.mentor, assignment.assigned_by) == (maya, alice)
    assert services.mentor_assign(entrepreneur=person, mentor=maya, actor=alice) == assignment  # no-op
    assert MentorAssignment.objects.count() == 1


def test_reassigning_ends_the_previous_assignment(dina, maya):
    from registrations.models import User

    person = EntrepreneurFactory()
    other = User.objects.create_user(email="maya2@jakpreneur.test", is_staff=True)
    other.groups.add(*maya.groups.all())
    other.kecamatan_scope.set(maya.kecamatan_scope.all())
    first = services.mentor_assign(entrepreneur=person, mentor=maya, actor=dina)
    second = services.mentor_assign(entrepreneur=person, mentor=other, actor=dina)
    first.refresh_from_db()
    assert first.ended_at is not None and first.ended_by == dina
    assert MentorAssignment.objects.active().get() == second


def test_assignments_refused(alice, bob, maya, mark):
    gambir, menteng = EntrepreneurFactory(), EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN)
    with pytest.raises(ValidationError) as out_of_scope:
        services.mentor_assign(entrepreneur=menteng, mentor=mark, actor=alice)
    assert out_of_scope.value.code == "out_of_scope"
    with pytest.raises(ValidationError) as elsewhere:
        services.mentor_assign(entrepreneur=gambir, mentor=mark, actor=alice)
    assert codes(elsewhere.value) == {"mentor": ["mentor_elsewhere"]}
    with pytest.raises(ValidationError) as a_mentor:
        services.mentor_assign(entrepreneur=gambir, mentor=maya, actor=maya)
    assert a_mentor.value.code == "not_allowed"
    assert not MentorAssignment.objects.exists()


def test_unassign_ends_once_and_only_in_scope(alice, bob, maya):
    assignment = services.mentor_assign(entrepreneur=EntrepreneurFactory(), mentor=maya, actor=alice)
    with pytest.raises(ValidationError):
        services.mentor_unassign(assignment=assignment, actor=bob)
    services.mentor_unassign(assignment=assignment, actor=alice)
    with pytest.raises(ValidationError) as again:
        services.mentor_unassign(assignment=assignment, actor=alice)
    assert again.value.code == "already_ended"


# --- sessions -------------------------------------------------------------------------------


def session(**overrides) -> SessionData:
    values = {"date": timezone.localdate(), "mode": "visit", "topics": ["digital", "finance", "finance"]}
    return SessionData(**{**values, **overrides})


def test_a_mentor_logs_a_session_with_her_caseload(maya):
    person = EntrepreneurFactory()
    MentorAssignmentFactory(entrepreneur=person, mentor=maya)
    logged = services.session_log(entrepreneur=person, actor=maya, data=session(next_step=" Daftar NIB "))
    assert (logged.mentor, logged.topics, logged.next_step) == (maya, ["finance", "digital"], "Daftar NIB")


def test_sessions_refused(maya, mark, alice):
    person = EntrepreneurFactory()
    MentorAssignmentFactory(entrepreneur=person, mentor=maya)
    with pytest.raises(ValidationError):  # not her caseload
        services.session_log(entrepreneur=person, actor=mark, data=session())
    with pytest.raises(ValidationError):  # centre staff do not log sessions
        services.session_log(entrepreneur=person, actor=alice, data=session())
    today = timezone.localdate()
    bad = session(
        date=today + dt.timedelta(days=1),
        mode="telepathy",
        topics=["astrology"],
        next_step="",
        next_step_due=today,
    )
    with pytest.raises(ValidationError) as error:
        services.session_log(entrepreneur=person, actor=maya, data=bad)
    assert codes(error.value) == {
        "date": ["date_future"],
        "mode": ["mode_invalid"],
        "topics": ["topic_invalid"],
        "next_step_due": ["due_before_date"],
        "next_step": ["next_step_missing"],
    }
    assert not MentoringSession.objects.exists()


# --- reports --------------------------------------------------------------------------------


def figures(turnover="1.500.000", assets="Rp 10.000.000", workers="2") -> ReportFigures:
    return ReportFigures(turnover, assets, workers)


def test_an_entrepreneur_files_her_own_report():
    person = EntrepreneurFactory()
    report = services.report_file(
        entrepreneur=person, actor=person.user, period="2026-02", figures=figures(), today=TODAY
    )
    assert (report.period, report.turnover, report.assets, report.workers) == (
        dt.date(2026, 2, 1),
        1_500_000,
        10_000_000,
        2,
    )
    assert report.filed_by == "self" and report.history.get().history_user == person.user


def test_nobody_files_for_someone_else():
    person, other = EntrepreneurFactory(), EntrepreneurFactory()
    with pytest.raises(ValidationError):
        services.report_file(entrepreneur=person, actor=other.user, period="2026-02", figures=figures(), today=TODAY)
    assert not MonthlyReport.objects.exists()


def test_a_mentor_files_for_her_caseload_only(maya):
    mine, not_mine = EntrepreneurFactory(), EntrepreneurFactory()
    MentorAssignmentFactory(entrepreneur=mine, mentor=maya)
    services.report_file(
        entrepreneur=mine, actor=maya, period="2026-01", figures=figures(), filed_by="mentor", today=TODAY
    )
    with pytest.raises(ValidationError):
        services.report_file(
            entrepreneur=not_mine, actor=maya, period="2026-01", figures=figures(), filed_by="mentor", today=TODAY
        )
    assert MonthlyReport.objects.get().entrepreneur == mine


@pytest.mark.parametrize(
    ("period", "values", "expected"),
    [
        ("2026-04", {}, {"period": ["period_future"]}),
        ("2017-11", {}, {"period": ["period_before_programme"]}),
        ("2019-12", {}, {"period": ["period_before_business"]}),
        ("2026-13", {}, {"period": ["period_format"]}),
        ("next month", {}, {"period": ["period_format"]}),
        ("2026-01", {"turnover": "-5.000"}, {"turnover": ["amount_negative"]}),
        ("2026-01", {"turnover": "1.000.000.000.001"}, {"turnover": ["amount_too_large"]}),
        ("2026-01", {"assets": "=1+1"}, {"assets": ["amount_format"]}),
        ("2026-01", {"assets": "1.500\x00.000"}, {"assets": ["control_characters"]}),
        ("2026-01", {"workers": "-1"}, {"workers": ["workers_negative"]}),
        ("2026-01", {"workers": "dua"}, {"workers": ["workers_format"]}),
    ],
)
def test_bad_reports_are_refused_with_a_reason(period, values, expected):
    person = EntrepreneurFactory()
    BusinessFactory(entrepreneur=person, started_year=2020)
    with pytest.raises(ValidationError) as error:
        services.report_file(
            entrepreneur=person, actor=person.user, period=period, figures=figures(**values), today=TODAY
        )
    assert codes(error.value) == expected
    assert not MonthlyReport.objects.exists()


def test_a_month_reported_twice_is_refused_and_offers_a_correction():
    report = MonthlyReportFactory(period=dt.date(2026, 2, 1))
    person = report.entrepreneur
    with pytest.raises(ValidationError) as error:
        services.report_file(entrepreneur=person, actor=person.user, period="2026-02", figures=figures(), today=TODAY)
    assert codes(error.value) == {"period": ["duplicate"]}
    assert "2026-02" in error.value.messages[0]


def test_a_correction_keeps_history_and_an_unchanged_one_writes_nothing():
    report = MonthlyReportFactory(turnover=1_000_000, assets=5_000_000, workers=1)
    person = report.entrepreneur
    assert services.report_correct(report=report, actor=person.user, figures=figures("2.000.000", "5000000", "1"))
    assert not services.report_correct(report=report, actor=person.user, figures=figures("2.000.000", "5000000", "1"))
    report.refresh_from_db()
    assert report.turnover == 2_000_000
    assert [h.turnover for h in report.history.order_by("history_date")] == [1_000_000, 2_000_000]
