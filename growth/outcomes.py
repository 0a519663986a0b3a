"""The outcome step: growth.rules' outcome of every counted entrepreneur, summed per group
(kecamatan for the progress snapshot, mentor for the caseload pages), computed in the database.

One SQL statement numbers each entrepreneur's reports with window functions, sums the months
the rules look at (the first 3, the latest 3, the last 12, the first and latest workers, last
month's report) per entrepreneur, classifies them and counts per group; the same statement
returns each entrepreneur's turnover growth, because medians do not add up (the caller takes
them per scope with `growth.rules.median`). It runs on PostgreSQL and on SQLite ≥ 3.30
(window functions and FILTER; no greatest/least, so CASE).

Every threshold and definition comes from `growth.rules` as a parameter or is built from its
constants: the SQL restates the rules, it does not copy their numbers. `growth/tests/
test_outcomes_sql.py` feeds random report histories to this step and to `rules.outcome_of`
and checks they agree exactly, boundaries included.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from growth import rules
from growth.models import MentorAssignment, MonthlyReport
from growth.selectors import add_months, current_period
from registrations.models import Entrepreneur

OUTCOME_KEYS = (
    "counted",  # entrepreneurs counted (not rejected): the reporting rate's denominator
    "reporting",  # with at least one report
    "reported_last_month",  # with a report for last month
    "classified",  # with a size class (at least 3 reported months)
    "wirausaha_baru",
    "naik_kelas",
    "jobs_created",
    "omzet_last_month",  # total turnover reported for last month (Rp)
)
# The keys the SQL statement sums, in the order of its columns (counted is its own query).
_SUMMED = OUTCOME_KEYS[1:]

# What each indicator means: the dashboard, the caseload pages and the landing page show
# these words (one home).
DEFINITIONS = {
    "reporting_rate": (
        _("Reporting rate"),
        _(
            "Share of registered (not rejected) entrepreneurs who filed last month's report: the quality of "
            "every figure beside it."
        ),
    ),
    "wirausaha_baru": (
        _("Wirausaha baru"),
        _("Pemula registrants whose latest monthly report shows turnover above zero."),
    ),
    "naik_kelas": (
        _("Naik kelas"),
        _(
            "Entrepreneurs whose size class (PP 7/2021: annual sales from the last 12 reported months, annualised "
            "from at least 3; mikro ≤ Rp 2 M, kecil ≤ 15 M, menengah ≤ 50 M) is higher now than at their first "
            "classification (their first 3 reported months)."
        ),
    ),
    "jobs_created": (_("Jobs created"), _("Sum of the increases in workers, latest report against the first.")),
    "median_growth": (
        _("Median turnover growth"),
        _(
            "Median of each entrepreneur's mean turnover in their latest 3 reported months against their first 3 "
            "(at least 6 months reported)."
        ),
    ),
}


# One line each, for the public landing page (the public sees Jakarta's totals only).
HEADLINE_DEFINITIONS = {
    "naik_kelas": (
        DEFINITIONS["naik_kelas"][0],
        _("Entrepreneurs now in a higher size class (PP 7/2021, by annual sales) than when they first reported."),
    ),
    "wirausaha_baru": (
        DEFINITIONS["wirausaha_baru"][0],
        _("Registrants who started without a business and now report sales."),
    ),
    "reporting_rate": (
        DEFINITIONS["reporting_rate"][0],
        _("Share of registered entrepreneurs who filed last month's business report."),
    ),
}


@dataclass
class OutcomeCounts:
    """Outcome counts per group (they add up: kecamatan to kota and Jakarta) and each
    reporting entrepreneur's turnover growth per group (for medians, which do not add up)."""

    counts: dict[str, Counter]
    growth: dict[str, list[float]]


# --- the statement ----------------------------------------------------------------------------


def _annualised_at_most(total: str, months: str, index: int, ceiling: int) -> str:
    """SQL for `round(total * 12 / months) <= ceiling`, as `rules.annualised_sales` rounds
    (Python's round: half to even), in whole numbers: total * 12 / months <= ceiling + 1/2,
    the half itself only when the ceiling is even. (A float quotient of these sizes, at most
    12 × Rp 10^12 over 3–12 months, lands on a half only when the exact quotient does.)"""
    operator = "<=" if ceiling % 2 == 0 else "<"
    return f"2 * %(window)s * {total} {operator} (2 * CAST(%(sales_ceiling_{index})s AS BIGINT) + 1) * {months}"


def _size_class(total: str, months: str) -> str:
    """SQL for the index in rules.SIZE_CLASSES of the class by sales of `total` over `months`."""
    whens = []
    for index, (ceiling, name) in enumerate(rules.SALES_CEILINGS):
        at_most = _annualised_at_most(total, months, index, ceiling)
        whens.append(f"WHEN {at_most} THEN {rules.SIZE_CLASSES.index(name)}")
    return f"CASE {' '.join(whens)} ELSE {rules.SIZE_CLASSES.index(rules.BESAR)} END"


def _statement(people: str) -> str:
    """The outcome statement over `people` (SQL selecting id, grp, track of the counted
    entrepreneurs to count). Rows: (grp, 0, the _SUMMED counts…, NULL) per group, then
    (grp, 1, NULL…, growth) per entrepreneur with a turnover growth."""
    window_months = "(CASE WHEN total < %(window)s THEN total ELSE %(window)s END)"
    nulls = ", ".join("NULL" for _ in _SUMMED)
    report = MonthlyReport._meta.db_table
    return f"""
WITH numbered AS (
    SELECT p.grp, p.track, m.entrepreneur_id, m.period, m.turnover, m.workers,
           row_number() OVER (PARTITION BY m.entrepreneur_id ORDER BY m.period) AS n,
           count(*) OVER (PARTITION BY m.entrepreneur_id) AS total
      FROM {report} m JOIN ({people}) p ON p.id = m.entrepreneur_id
), person AS (
    SELECT grp, track, total,
           sum(turnover) FILTER (WHERE n <= %(first)s) AS first_sales,
           sum(turnover) FILTER (WHERE n > total - %(window)s) AS window_sales,
           sum(turnover) FILTER (WHERE n <= %(growth_window)s) AS growth_first,
           sum(turnover) FILTER (WHERE n > total - %(growth_window)s) AS growth_latest,
           max(turnover) FILTER (WHERE n = total) AS latest_turnover,
           max(workers) FILTER (WHERE n = total) - max(workers) FILTER (WHERE n = 1) AS more_workers,
           max(turnover) FILTER (WHERE period = %(last_month)s) AS last_month_turnover
      FROM numbered
     GROUP BY entrepreneur_id, grp, track, total
), outcome AS (
    SELECT grp, track, latest_turnover, more_workers, last_month_turnover,
           CASE WHEN total >= %(first)s THEN {_size_class("first_sales", "%(first)s")} END AS first_class,
           CASE WHEN total >= %(first)s THEN {_size_class("window_sales", window_months)} END AS current_class,
           CASE WHEN total >= 2 * %(growth_window)s AND growth_first <> 0
                THEN (CAST(growth_latest AS DOUBLE PRECISION) / %(growth_window)s)
                     / (CAST(growth_first AS DOUBLE PRECISION) / %(growth_window)s) - 1
           END AS growth
      FROM person
)
SELECT grp, 0,
       count(*),
       count(last_month_turnover),
       count(current_class),
       count(*) FILTER (WHERE track = %(baru_track)s AND latest_turnover > 0),
       count(*) FILTER (WHERE current_class > first_class),
       coalesce(sum(CASE WHEN more_workers > 0 THEN more_workers ELSE 0 END), 0),
       coalesce(sum(last_month_turnover), 0),
       CAST(NULL AS DOUBLE PRECISION)
  FROM outcome GROUP BY grp
UNION ALL
SELECT grp, 1, {nulls}, growth FROM outcome WHERE growth IS NOT NULL
"""


def statement_params(*, today: dt.date | None = None) -> dict:
    """The rules' constants and the month the statement needs, as query parameters."""
    # rules.outcome_of classifies the first MIN_MONTHS_TO_CLASSIFY months as one window.
    assert rules.MIN_MONTHS_TO_CLASSIFY <= rules.WINDOW_MONTHS, "the first classification must fit in one window"
    return {
        "first": rules.MIN_MONTHS_TO_CLASSIFY,
        "window": rules.WINDOW_MONTHS,
        "growth_window": rules.GROWTH_WINDOW,
        **{f"sales_ceiling_{n}": ceiling for n, (ceiling, _name) in enumerate(rules.SALES_CEILINGS)},
        "baru_track": rules.WIRAUSAHA_BARU_TRACK,
        "last_month": add_months(current_period(today), -1),
        "rejected": Entrepreneur.Status.REJECTED,
    }


def _run(people: str, params: dict, *, today: dt.date | None) -> OutcomeCounts:
    counts: dict[str, Counter] = {}
    growth: dict[str, list[float]] = {}
    params = {**statement_params(today=today), **params}
    with connection.cursor() as cursor:
        cursor.execute(_statement(people), params)
        for grp, kind, *values, value in cursor.fetchall():
            if kind == 0:
                counts.setdefault(grp, Counter()).update(
                    {key: int(number) for key, number in zip(_SUMMED, values, strict=True)}
                )
            else:
                growth.setdefault(grp, []).append(value)
    return OutcomeCounts(counts=counts, growth=growth)


_COUNTED = "e.status <> %(rejected)s"


def outcomes_by_kecamatan(*, today: dt.date | None = None) -> OutcomeCounts:
    """Every counted entrepreneur's outcome (growth.rules) summed per kecamatan, with their
    turnover growth values: two queries whatever the data size."""
    counts: dict[str, Counter] = {}
    for row in Entrepreneur.objects.counted().values("kecamatan_id").annotate(n=Count("id")).order_by():
        counts.setdefault(row["kecamatan_id"], Counter())["counted"] = row["n"]
    people = f"SELECT e.id, e.kecamatan_id AS grp, e.track FROM {Entrepreneur._meta.db_table} e WHERE {_COUNTED}"
    result = _run(people, {}, today=today)
    for code, summed in result.counts.items():
        counts.setdefault(code, Counter()).update(summed)
    return OutcomeCounts(counts=counts, growth=result.growth)


def outcomes_by_mentor(mentor_ids, *, today: dt.date | None = None) -> OutcomeCounts:
    """The same per mentor (keyed by the mentor's id), over the counted entrepreneurs of each
    one's current caseload: two queries whatever the number of mentors."""
    ids = sorted({int(pk) for pk in mentor_ids})
    if not ids:
        return OutcomeCounts(counts={}, growth={})
    counts: dict[int, Counter] = {}
    rows = (
        MentorAssignment.objects.active()
        .filter(mentor_id__in=ids)
        .filter(~Q(entrepreneur__status=Entrepreneur.Status.REJECTED))
        .values("mentor_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["mentor_id"], Counter())["counted"] = row["n"]
    placeholders = ", ".join(f"%(mentor_{n})s" for n in range(len(ids)))
    people = (
        f"SELECT e.id, a.mentor_id AS grp, e.track FROM {Entrepreneur._meta.db_table} e "
        f"JOIN {MentorAssignment._meta.db_table} a ON a.entrepreneur_id = e.id "
        f"WHERE {_COUNTED} AND a.ended_at IS NULL AND a.mentor_id IN ({placeholders})"
    )
    result = _run(people, {f"mentor_{n}": pk for n, pk in enumerate(ids)}, today=today)
    for mentor_id, summed in result.counts.items():
        counts.setdefault(mentor_id, Counter()).update(summed)
    return OutcomeCounts(counts=counts, growth=result.growth)


# --- figures for a page -----------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeFigures:
    """One group's indicators as pages show them (percentages with one decimal)."""

    counted: int
    reporting: int
    reported_last_month: int
    reporting_rate: float | None
    wirausaha_baru: int
    naik_kelas: int
    jobs_created: int
    median_growth: float | None  # percent


def figures_of(counts: Counter, growth: list[float]) -> OutcomeFigures:
    middle = rules.median(growth)
    counted = counts["counted"]
    return OutcomeFigures(
        counted=counted,
        reporting=counts["reporting"],
        reported_last_month=counts["reported_last_month"],
        reporting_rate=round(100 * counts["reported_last_month"] / counted, 1) if counted else None,
        wirausaha_baru=counts["wirausaha_baru"],
        naik_kelas=counts["naik_kelas"],
        jobs_created=counts["jobs_created"],
        median_growth=None if middle is None else round(100 * middle, 1),
    )


def figures_by_mentor(mentor_ids, *, today: dt.date | None = None) -> dict[int, OutcomeFigures]:
    """Each mentor's indicators (every id given has an entry): two queries."""
    result = outcomes_by_mentor(mentor_ids, today=today)
    return {pk: figures_of(result.counts.get(pk, Counter()), result.growth.get(pk, [])) for pk in mentor_ids}
