"""Property: the outcome step's SQL (growth.outcomes) gives, per kecamatan and per mentor,
exactly what growth.rules.outcome_of gives applied to each counted entrepreneur's reports:
the counts and the turnover growth values (hence their medians), for random report histories
with gaps, fewer than 3 months, exactly 12, zero turnover, rejected entrepreneurs, reports for
this month, and sales that annualise to exactly a class ceiling, one rupiah either side."""

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilities.tests.factories import GAMBIR, GAMBIR_KELURAHAN, MENTENG, MENTENG_KELURAHAN
from growth import outcomes, rules
from growth.models import MAX_AMOUNT, MentorAssignment, MonthlyReport
from growth.selectors import add_months
from registrations.models import Entrepreneur
from registrations.tests.factories import EntrepreneurFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)
THIS_MONTH = dt.date(2026, 3, 1)
LAST_MONTH = dt.date(2026, 2, 1)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

amount = st.one_of(
    st.just(0),
    st.integers(min_value=0, max_value=50_000_000),
    st.integers(min_value=0, max_value=6_000_000_000),
    st.integers(min_value=0, max_value=MAX_AMOUNT),
)


def spread(total: int, months: int) -> list[int]:
    """`months` whole amounts adding up to `total` (none negative)."""
    share, rest = divmod(total, months)
    return [share + (1 if n < rest else 0) for n in range(months)]


@st.composite
def history(draw):
    """(periods, turnovers, workers) of one entrepreneur, oldest first."""
    count = draw(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 15, 20, 26]))
    # Months back from this month, with gaps; 0 is this month, 1 last month.
    back = sorted(draw(st.sets(st.integers(min_value=0, max_value=40), min_size=count, max_size=count)), reverse=True)
    periods = [add_months(THIS_MONTH, -k) for k in back]
    turnovers = draw(st.lists(amount, min_size=count, max_size=count))
    workers = draw(st.lists(st.integers(min_value=0, max_value=30), min_size=count, max_size=count))
    if count >= rules.MIN_MONTHS_TO_CLASSIFY and draw(st.booleans()):
        # Put the last 12 months' (or the first 3 months') sales on a class ceiling, ± 1.
        ceiling = draw(st.sampled_from([c for c, _ in rules.SALES_CEILINGS]))
        nudge = draw(st.sampled_from([-1, 0, 1]))
        if draw(st.booleans()):
            months = min(count, rules.WINDOW_MONTHS)
            # The smallest sum whose annualised value is at least the ceiling, then nudged.
            total = -(-ceiling * months // rules.WINDOW_MONTHS) + nudge
            turnovers[-months:] = spread(max(total, 0), months)
        else:
            months = rules.MIN_MONTHS_TO_CLASSIFY
            total = -(-ceiling * months // rules.WINDOW_MONTHS) + nudge
            turnovers[:months] = spread(max(total, 0), months)
    return periods, turnovers, workers


person = st.fixed_dictionaries(
    {
        "kelurahan": st.sampled_from([GAMBIR_KELURAHAN, MENTENG_KELURAHAN]),
        "track": st.sampled_from([Entrepreneur.Track.PEMULA, Entrepreneur.Track.NAIK_KELAS]),
        "status": st.sampled_from([Entrepreneur.Status.SUBMITTED, Entrepreneur.Status.VERIFIED, "rejected"]),
        "mentor": st.sampled_from([0, 1, None]),
        "history": history(),
    }
)


def expected(people: list[dict], key) -> tuple[dict, dict]:
    """What growth.rules says, per group: counts and sorted growth values."""
    counts: dict = {}
    growth: dict = {}
    for entry in people:
        if entry["status"] == Entrepreneur.Status.REJECTED or key(entry) is None:
            continue
        bucket = counts.setdefault(key(entry), Counter(dict.fromkeys(outcomes.OUTCOME_KEYS, 0)))
        bucket["counted"] += 1
        periods, turnovers, workers = entry["history"]
        if not periods:
            continue
        outcome = rules.outcome_of(track=entry["track"], turnovers=turnovers, workers=workers)
        bucket["reporting"] += 1
        if LAST_MONTH in periods:
            bucket["reported_last_month"] += 1
            bucket["omzet_last_month"] += turnovers[periods.index(LAST_MONTH)]
        bucket["classified"] += outcome.current_class is not None
        bucket["wirausaha_baru"] += outcome.wirausaha_baru
        bucket["naik_kelas"] += outcome.naik_kelas
        bucket["jobs_created"] += outcome.jobs_created
        if outcome.growth is not None:
            growth.setdefault(key(entry), []).append(outcome.growth)
    return counts, {group: sorted(values) for group, values in growth.items()}


def as_found(result: outcomes.OutcomeCounts) -> tuple[dict, dict]:
    counts = {
        group: Counter({name: found[name] for name in outcomes.OUTCOME_KEYS}) for group, found in result.counts.items()
    }
    return counts, {group: sorted(values) for group, values in result.growth.items()}


@pytest.fixture
def mentors():
    return [UserFactory(is_staff=True), UserFactory(is_staff=True)]


@PROPERTY
@given(people=st.lists(person, min_size=1, max_size=6))
def test_the_sql_step_gives_what_the_rules_give(people, mentors):
    with transaction.atomic():
        reports = []
        for entry in people:
            entrepreneur = EntrepreneurFactory(
                user=None, kelurahan_code=entry["kelurahan"], track=entry["track"], status=entry["status"]
            )
            entry["kecamatan"] = entrepreneur.kecamatan_id
            if entry["mentor"] is not None:
                MentorAssignment.objects.create(entrepreneur=entrepreneur, mentor=mentors[entry["mentor"]])
            periods, turnovers, workers = entry["history"]
            reports += [
                MonthlyReport(
                    entrepreneur=entrepreneur,
                    kecamatan_id=entrepreneur.kecamatan_id,
                    period=p,
                    turnover=t,
                    assets=0,
                    workers=w,
                )
                for p, t, w in zip(periods, turnovers, workers, strict=True)
            ]
        MonthlyReport.objects.bulk_create(reports)
        by_kecamatan = outcomes.outcomes_by_kecamatan(today=TODAY)
        by_mentor = outcomes.outcomes_by_mentor([m.pk for m in mentors], today=TODAY)
        transaction.set_rollback(True)

    want_counts, want_growth = expected(people, lambda entry: entry["kecamatan"])
    assert as_found(by_kecamatan) == (want_counts, want_growth)
    for code in (GAMBIR, MENTENG):
        assert rules.median(by_kecamatan.growth.get(code, [])) == rules.median(want_growth.get(code, []))
    mentor_key = {0: mentors[0].pk, 1: mentors[1].pk, None: None}
    want_counts, want_growth = expected(people, lambda entry: mentor_key[entry["mentor"]])
    assert as_found(by_mentor) == (want_counts, want_growth)


@pytest.mark.parametrize("months", [3, 5, 7, 12, 13])
@pytest.mark.parametrize("ceiling", [c for c, _ in rules.SALES_CEILINGS])
def test_sales_exactly_on_a_ceiling_stay_in_the_lower_class(months, ceiling):
    """Annualised sales of exactly Rp 2 M / 15 M / 50 M are the lower class, one rupiah more
    (annualised) the next: the SQL and the rules agree at each boundary."""
    window = min(months, rules.WINDOW_MONTHS)
    for nudge in (0, 1):
        entrepreneur = EntrepreneurFactory(user=None, track=Entrepreneur.Track.NAIK_KELAS)
        first_sales = spread(1_000_000, rules.MIN_MONTHS_TO_CLASSIFY)  # mikro at first
        total = -(-ceiling * window // rules.WINDOW_MONTHS) + nudge
        turnovers = (first_sales + [0] * months)[:months]
        turnovers[-window:] = spread(total, window)
        MonthlyReport.objects.bulk_create(
            MonthlyReport(
                entrepreneur=entrepreneur,
                kecamatan_id=entrepreneur.kecamatan_id,
                period=add_months(LAST_MONTH, n - months + 1),
                turnover=t,
                assets=0,
                workers=1,
            )
            for n, t in enumerate(turnovers)
        )
        want = rules.outcome_of(track="naik_kelas", turnovers=turnovers, workers=[1] * months)
        if ceiling * window % rules.WINDOW_MONTHS == 0:  # annualised exactly on the ceiling, or 12/window more
            lower = dict(rules.SALES_CEILINGS)[ceiling]
            assert (want.current_class == lower) is (nudge == 0)
        got = outcomes.outcomes_by_kecamatan(today=TODAY).counts[GAMBIR]
        assert (got["naik_kelas"], got["classified"]) == (want.naik_kelas, 1)
        MonthlyReport.objects.filter(entrepreneur=entrepreneur).delete()
        entrepreneur.delete()
