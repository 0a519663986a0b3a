"""The reads other apps build on: reports_of, reported_months, mentor_of, entrepreneurs_of_mentor."""

import datetime as dt

import pytest
from django.utils import timezone

from growth import selectors
from growth.tests.factories import MentorAssignmentFactory, MonthlyReportFactory
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db


def test_reports_of_lists_one_persons_reports_newest_first():
    person = EntrepreneurFactory()
    for month in (1, 3, 2):
        MonthlyReportFactory(entrepreneur=person, period=dt.date(2026, month, 1))
    MonthlyReportFactory(period=dt.date(2026, 4, 1))  # someone else
    assert [r.period.month for r in selectors.reports_of(person)] == [3, 2, 1]


def test_reported_months_looks_back_from_the_current_month():
    person = EntrepreneurFactory()
    for period in (dt.date(2025, 2, 1), dt.date(2025, 3, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)):
        MonthlyReportFactory(entrepreneur=person, period=period)
    today = dt.date(2026, 2, 20)
    assert selectors.reported_months(person, today=today) == [
        dt.date(2026, 2, 1),
        dt.date(2026, 1, 1),
        dt.date(2025, 3, 1),
    ]
    assert selectors.reported_months(person, last=2, today=today) == [dt.date(2026, 2, 1), dt.date(2026, 1, 1)]


def test_mentor_of_is_the_active_assignments_mentor(maya, mark):
    person = EntrepreneurFactory()
    assert selectors.mentor_of(person) is None
    MentorAssignmentFactory(entrepreneur=person, mentor=maya, ended_at=timezone.now())
    assert selectors.mentor_of(person) is None
    MentorAssignmentFactory(entrepreneur=person, mentor=mark)
    assert selectors.mentor_of(person) == mark


def test_entrepreneurs_of_mentor_is_the_current_caseload(maya, mark):
    mine, gone, theirs = EntrepreneurFactory(), EntrepreneurFactory(), EntrepreneurFactory()
    MentorAssignmentFactory(entrepreneur=mine, mentor=maya)
    MentorAssignmentFactory(entrepreneur=gone, mentor=maya, ended_at=timezone.now())
    MentorAssignmentFactory(entrepreneur=theirs, mentor=mark)
    assert list(selectors.entrepreneurs_of_mentor(maya)) == [mine]


def test_month_arithmetic():
    assert selectors.add_months(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert selectors.add_months(dt.date(2025, 12, 1), 14) == dt.date(2027, 2, 1)
