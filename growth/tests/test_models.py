"""The database keeps the growth tables consistent whoever writes to them."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from growth.models import MAX_AMOUNT, MentorAssignment, MonthlyReport
from growth.tests.factories import MentorAssignmentFactory, MentoringSessionFactory, MonthlyReportFactory
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db


def refused(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReportFactory(**kwargs)


def test_one_report_per_entrepreneur_and_month():
    report = MonthlyReportFactory()
    refused(entrepreneur=report.entrepreneur, period=report.period)
    MonthlyReportFactory(entrepreneur=report.entrepreneur, period=dt.date(2026, 2, 1))
    assert MonthlyReport.objects.count() == 2


@pytest.mark.parametrize(
    "values",
    [
        {"turnover": -1},
        {"assets": -1},
        {"turnover": MAX_AMOUNT + 1},
        {"assets": MAX_AMOUNT + 1},
        {"workers": 100_001},
        {"period": dt.date(2026, 1, 2)},
        {"period": dt.date(2017, 11, 1)},
        {"filed_by": "bank"},
    ],
)
def test_the_database_refuses_impossible_reports(values):
    refused(**values)
    assert MonthlyReport.objects.count() == 0


def test_the_boundaries_are_accepted():
    MonthlyReportFactory(turnover=MAX_AMOUNT, assets=0, workers=0, period=dt.date(2017, 12, 1))
    assert MonthlyReport.objects.get().turnover == 10**12


def test_a_correction_keeps_the_history():
    report = MonthlyReportFactory(turnover=1_000_000)
    report.turnover = 1_500_000
    report.save(update_fields=["turnover", "updated_at"])
    assert [h.turnover for h in report.history.order_by("history_date")] == [1_000_000, 1_500_000]


def test_one_active_mentor_assignment_per_entrepreneur(maya, mark):
    first = MentorAssignmentFactory(mentor=maya)
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorAssignmentFactory(entrepreneur=first.entrepreneur, mentor=mark)
    first.ended_at = timezone.now()
    first.save(update_fields=["ended_at"])
    MentorAssignmentFactory(entrepreneur=first.entrepreneur, mentor=mark)
    assert MentorAssignment.objects.active().get().mentor == mark


def test_an_assignment_cannot_end_before_it_starts(maya):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorAssignmentFactory(mentor=maya, assigned_at=now, ended_at=now - dt.timedelta(days=1))


def test_a_next_step_is_not_due_before_the_session(maya):
    with pytest.raises(IntegrityError), transaction.atomic():
        MentoringSessionFactory(mentor=maya, date=dt.date(2026, 3, 5), next_step_due=dt.date(2026, 3, 4))
    session = MentoringSessionFactory(
        mentor=maya, entrepreneur=EntrepreneurFactory(), date=dt.date(2026, 3, 5), topics=["finance", "digital"]
    )
    with translation.override("en"):
        assert session.topic_labels() == ["Finance", "Digital"]
