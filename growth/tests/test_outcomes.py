"""The outcome step: growth.rules applied to every counted entrepreneur, per kecamatan, in a
fixed number of queries."""

import datetime as dt

import pytest

from facilities.tests.factories import GAMBIR, MENTENG, MENTENG_KELURAHAN
from growth.outcomes import outcomes_by_kecamatan
from growth.selectors import add_months
from growth.tests.factories import MonthlyReportFactory
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)
M = 1_000_000


def reports(person, turnovers, workers=None, *, last=dt.date(2026, 2, 1)):
    first = add_months(last, -(len(turnovers) - 1))
    for n, turnover in enumerate(turnovers):
        MonthlyReportFactory(
            entrepreneur=person, period=add_months(first, n), turnover=turnover, workers=(workers or [1] * 99)[n]
        )


def test_outcomes_per_kecamatan(django_assert_max_num_queries):
    grower = EntrepreneurFactory(track="naik_kelas")  # Gambir: mikro → kecil, +3 workers
    reports(grower, [100 * M] * 3 + [300 * M] * 9, [2] * 11 + [5])
    starter = EntrepreneurFactory(track="pemula")  # Gambir: a new business, but not last month
    reports(starter, [0, 0, 3 * M], last=dt.date(2026, 1, 1))
    EntrepreneurFactory()  # Gambir: counted, never reported
    EntrepreneurFactory(status="rejected")  # not counted
    menteng = EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN, track="pemula")
    reports(menteng, [5 * M] * 6)

    with django_assert_max_num_queries(2):
        result = outcomes_by_kecamatan(today=TODAY)

    gambir, menteng_counts = result.counts[GAMBIR], result.counts[MENTENG]
    assert gambir["counted"] == 3 and gambir["reporting"] == 2 and gambir["reported_last_month"] == 1
    assert gambir["naik_kelas"] == 1 and gambir["wirausaha_baru"] == 1 and gambir["jobs_created"] == 3
    assert gambir["omzet_last_month"] == 300 * M and gambir["classified"] == 2
    assert result.growth[GAMBIR] == [pytest.approx(2.0)]
    assert menteng_counts["wirausaha_baru"] == 1 and menteng_counts["naik_kelas"] == 0
    assert result.growth[MENTENG] == [0.0]
