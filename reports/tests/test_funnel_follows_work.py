"""The funnel counts P3 and P6 as the work happens: a report filed or a mentor assigned opens
the enrolment (growth, through registrations.services.enrollments_follow_work)."""

import datetime as dt

import pytest

from growth import services as growth
from growth.services import ReportFigures
from registrations.tests.factories import EntrepreneurFactory
from reports import services

pytestmark = pytest.mark.django_db


def funnel_row(data, code):
    return next(row for row in data["scopes"]["all"]["funnel"] if row["code"] == code)


def test_the_funnel_counts_people_who_report_and_people_with_a_mentor(alice, maya):
    reporter, mentored = EntrepreneurFactory(), EntrepreneurFactory()
    growth.report_file(
        entrepreneur=reporter,
        actor=reporter.user,
        period="2026-02",
        figures=ReportFigures("1.500.000", "10.000.000", "1"),
        today=dt.date(2026, 3, 10),
    )
    growth.mentor_assign(entrepreneur=mentored, mentor=maya, actor=alice)
    data = services.progress_compute()
    assert (funnel_row(data, "P6")["active"], funnel_row(data, "P6")["reached"]) == (1, 1)
    assert (funnel_row(data, "P3")["active"], funnel_row(data, "P3")["reached"]) == (1, 1)
