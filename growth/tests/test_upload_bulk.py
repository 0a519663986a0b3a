"""The monthly sheet at volume: the same queries for 10 rows as for 200, the column-at-once
rules agree with the rules on one cell, and the write takes only people read in scope."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from growth import rules, services, uploads
from growth.models import MonthlyReport
from growth.selectors import add_months, current_period
from growth.tests.factories import MentorAssignmentFactory
from registrations.models import Enrollment, User
from registrations.rules import by_value
from registrations.tests.factories import EntrepreneurFactory

HEADER = "nik,period,turnover,assets,workers\n"


def month() -> str:
    return f"{add_months(current_period(), -1):%Y-%m}"


def sheet(people, *, turnover=1_500_000) -> io.BytesIO:
    lines = (f"{p.nik},{month()},{turnover + i},{10_000_000 + i},{i % 4}\n" for i, p in enumerate(people))
    text = HEADER + "".join(lines)
    return io.BytesIO(text.encode())


# The mentor's role and scope, the sheet's people, the reports under lock, then the writes:
# none of them per row. PostgreSQL writes new reports and their history in one statement; on
# SQLite Django splits each bulk INSERT or UPDATE at SQLite's 999 variables, so there only
# the reads are fixed.
# Every sheet locks its people's rows, reading their kecamatan (sheets.people_locked). New
# months also queue their people's P6 enrolments (one outbox row, growth.tasks.follow_reports,
# run after the commit: not counted here).
READS = {"new": 7, "unchanged": 7, "corrected": 7}  # SAVEPOINT and RELEASE included
POSTGRESQL_WRITES = {"new": 2, "unchanged": 0, "corrected": 2}  # INSERT with history, the job; UPDATE, history


def _fixed_queries(captured) -> int:
    if connection.vendor == "postgresql":
        return len(captured)
    return sum(1 for q in captured if not q["sql"].startswith(("INSERT", "UPDATE")))


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 200])
def test_an_upload_makes_the_same_queries_for_10_and_200_rows(maya, size, django_capture_on_commit_callbacks):
    people = EntrepreneurFactory.create_batch(size)
    for person in people:
        MentorAssignmentFactory(entrepreneur=person, mentor=maya)
    postgresql = connection.vendor == "postgresql"
    for kind, turnover, counted in (
        ("new", 1_500_000, "created"),
        ("unchanged", 1_500_000, "unchanged"),
        ("corrected", 2_000_000, "corrected"),
    ):
        actor = User.objects.get(pk=maya.pk)  # a fresh account: its role not yet cached
        with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries:
            result = uploads.upload_reports(file=sheet(people, turnover=turnover), filename="sheet.csv", actor=actor)
        assert getattr(result, counted) == size
        expected = READS[kind] + (POSTGRESQL_WRITES[kind] if postgresql else 0)
        assert _fixed_queries(queries.captured_queries) == expected, [q["sql"][:60] for q in queries]
    assert MonthlyReport.history.count() == 2 * size
    assert Enrollment.objects.filter(facility_id="P6", state="active").count() == size
    created = MonthlyReport.history.filter(history_type="+", history_user=maya, history_change_reason="import")
    assert sorted(created.values_list("id", "turnover")) == sorted(
        (report.pk, 1_500_000 + people.index(report.entrepreneur)) for report in MonthlyReport.objects.all()
    )


@pytest.mark.django_db
def test_reports_import_refuses_a_row_of_someone_not_read_in_scope(maya, mark):
    mine, other = EntrepreneurFactory(), EntrepreneurFactory()
    MentorAssignmentFactory(entrepreneur=mine, mentor=maya)
    people = services.sheet_people_of(actor=maya, niks={mine.nik, other.nik})
    assert set(people.by_nik) == {mine.nik}
    figures = services.ReportFigures(1, 1, 1)
    period = add_months(current_period(), -1)
    row = services.ImportedReport(line=2, entrepreneur_id=other.pk, period=period, figures=figures)
    with pytest.raises(ValidationError) as caught:
        services.reports_import(rows=[row], people=people, actor=maya)
    assert caught.value.code == "out_of_scope"
    mine_row = services.ImportedReport(line=2, entrepreneur_id=mine.pk, period=period, figures=figures)
    with pytest.raises(ValidationError):  # people read for another account
        services.reports_import(rows=[mine_row], people=people, actor=mark)
    assert not MonthlyReport.objects.exists()


def _outcome(rule, value):
    try:
        return rule(value)
    except ValidationError as error:
        return error.code


cells = st.one_of(
    st.text(max_size=20),
    st.from_regex(r"\A(Rp ?)?[0-9]{1,16}([.,][0-9]{1,3})*\Z"),
    st.integers(min_value=-(10**13), max_value=10**13),
    st.sampled_from(["", " 12 ", "-3", "0001500000", "1.500.000", "2026-01", "2017-11", "7\u200b"]),
)


@given(st.lists(cells, max_size=30))
def test_a_column_at_once_is_the_rule_on_each_cell(values):
    for rule in (rules.parse_amount, rules.parse_workers, rules.parse_period):
        column = [r.code if isinstance(r, ValidationError) else r for r in by_value(rule, values)]
        assert column == [_outcome(rule, v) for v in values]


@given(st.from_regex(r"\A[0-9]{1,15}\Z"))
def test_a_plain_amount_reads_as_the_general_path_reads_it(digits):
    # The padded text takes parse_amount's general path (prefix, grouping, bounds).
    assert _outcome(rules.parse_amount, digits) == _outcome(rules.parse_amount, f" {digits} ")
    assert _outcome(rules.parse_amount, digits) == _outcome(rules.parse_amount, f"Rp {digits}")
