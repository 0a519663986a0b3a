"""The progress snapshot's structure, declared once: what `ProgressSnapshot.data` holds.

`reports.services.progress_compute()` builds a `SnapshotData` and stores it as JSON; every
reader (the dashboard, its CSV downloads, open data, the landing page, the admin index) gets
it through `snapshot_read()`, which returns None for a snapshot that is not usable: another
version, or JSON that does not match the declaration below (a hand-edited or truncated row).
Pages then show their "no figures yet" state and offer a recompute; never a 500.

    SnapshotData
      version, as_of, programme_start    SNAPSHOT_VERSION; ISO datetime; ISO date
      months                             "YYYY-MM" from the programme start to the as_of month
      facilities   [FacilityRef]         P1…P7 in order
      kota         [KotaRow]             the six kota: AREA_COUNT_KEYS, share (AreaShare | None)
      kecamatan    [KecamatanRow]        the 44 kecamatan: AREA_COUNT_KEYS + completed_any, share,
                                         funnel [AreaFunnelRow] (reached/completed per facility),
                                         outcomes (Outcomes)
                                         curation (CurationCounts), financing (FinancingCounts)
      centres      Centres               total, with_activity, rows [CentreRow]
      scopes       {ALL | kota code: Scope}
        totals      Totals               registered (= not rejected), all, by status, 90-day rate
        new, cumulative [int]            registrations per month, aligned with `months`
        funnel      [FunnelRow]          per facility: requested … reached, shares
        breakdowns  Breakdowns           BREAKDOWN_KINDS: [{key, count}]
        outcomes    Outcomes             P6 (growth): reporting, naik kelas, wirausaha baru, …
        curation    Curation             P5: CURATION_COUNT_KEYS, and by_category [{key, …}]
        financing   FinancingFigures     P7: applications, approved, rejected, disbursed,
                                         amount, approval rate, median days; per product
      targets      [TargetProgress]      each active target: achieved, reached_on, projections
      public       {key: int | "<5" | "x"}  what the public sees of each public count, decided
                                         once by reports.public (reports.disclosure's rule)

The chart series the dashboard's JavaScript reads (`ChartData`, built per request from a
snapshot by `reports.selectors.chart_data`) are declared here too: static/js/dashboard.js
reads only these keys (tests compare the two).

How a new app adds an outcome section (P6 naik kelas and reporting rate from `growth`, P5
curation grades from `marketing`, P7 financing from `financing`):

1. Declare it here: a TypedDict of the section's figures (counts, and the rates derived from
   them), added as a key of `Scope` (all of Jakarta and each kota) and, for the per-kecamatan
   table and drill-down, of `KecamatanRow`. Bump SNAPSHOT_VERSION: snapshots of the old shape
   become "not usable" until the next run (the beat schedule, or `manage.py compute_progress`
   right after the deploy).
2. Add its query step to `reports/queries.py` (or a module beside it): one function
   `<section>_by_kecamatan(ref) -> PerKecamatan` that aggregates in SQL, usually through the
   app's own selectors (reports sits above growth, marketing and financing and may import
   them; never the other way round). A fixed number of queries, whatever the data size.
3. Roll it up with `reports.rollups.roll_up` (kecamatan → kota → all: counts add up; rates are
   computed after summing, never averaged) and write one builder turning a scope's counts
   into the declared TypedDict. Figures that do not add up (medians) are computed per scope by
   the query step itself.
4. Compose in `reports.services.progress_compute`: call the query step, roll it up, and put
   the builder's result into each scope (beside `scope_figures`) and kecamatan row. Then show
   it: a table function in `reports/tables.py` (the dashboard), and if it is charted, its
   series in `ChartData` here and in static/js/dashboard.js.
5. Publish it (open data, the landing page): one function in `reports/public.py`, added to
   its PUBLIC_FIGURES, that declares the table's counts and every sum between them and the
   figures already public (its kecamatan add up to its kota, its kota to Jakarta's total…).
   The small-count suppression, and the withholding that stops a suppressed count being
   worked out by subtraction across every public table, follow from the declaration
   (`reports.disclosure`). No other step changes.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

SNAPSHOT_VERSION = (
    6  # 3: areas' shares of targets and funnels; 4: P5 curation (marketing); 5: P7 financing; 6: P6 outcomes (growth)
)
# The key of the province-wide scope in `SnapshotData.scopes`, and of "all of Jakarta" in URLs.
ALL = "all"


# --- the stored snapshot ---------------------------------------------------------------------


class Totals(TypedDict):
    registered: int  # counted: every entrepreneur not rejected
    all: int
    submitted: int
    verified: int
    rejected: int
    last_90_days: int
    rate_per_day: float


class FunnelRow(TypedDict):
    code: str
    requested: int
    active: int
    completed: int
    reached: int
    cancelled: int
    completed_90_days: int
    percent_of_registered: float | None
    percent_of_p1: float | None
    percent_of_previous: float | None


class BreakdownItem(TypedDict):
    key: str
    count: int


class Breakdowns(TypedDict):
    track: list[BreakdownItem]
    gender: list[BreakdownItem]
    age: list[BreakdownItem]
    sector: list[BreakdownItem]


class Outcomes(TypedDict):
    """P6 outcomes from the monthly business reports (growth.rules; definitions in
    docs/ARCHITECTURE.md, "Mentoring and monthly reports"): counts add up from kecamatan to
    kota and Jakarta; the rate and the median are computed per scope
    (`reports.rollups.outcome_figures`)."""

    counted: int  # entrepreneurs counted (not rejected)
    reporting: int  # with at least one monthly report
    reported_last_month: int
    reporting_rate: float | None  # reported_last_month / counted, in percent
    classified: int  # with a size class (at least 3 reported months)
    wirausaha_baru: int  # pemula registrants whose latest report shows turnover > 0
    naik_kelas: int  # a higher size class now than at their first classification
    jobs_created: int  # Σ worker increases (latest report − first report, when more)
    omzet_last_month: int  # Σ turnover reported for last month (Rp)
    median_growth: float | None  # median turnover growth, latest 3 vs first 3 months, percent


class CurationCounts(TypedDict):
    """P5 curation (marketing): submissions to curation rounds by their outcome, and the
    products in the public e-katalog (curated A/B in their latest curation, not withdrawn).
    Counted by the entrepreneur's kecamatan."""

    submissions: int  # every submission, whatever its status
    returned: int
    graded: int
    grade_a: int
    grade_b: int
    grade_c: int
    in_catalogue: int


class CurationCategory(CurationCounts):
    key: str  # a Business.Sector value (the product's category)


class Curation(CurationCounts):
    by_category: list[CurationCategory]


class FinancingCounts(TypedDict):
    """P7 (reports/financing.py): applications and the banks' outcomes; counts add up."""

    applications: int
    approved: int
    rejected: int
    disbursed: int
    amount_disbursed: int  # rupiah
    approval_rate: float | None  # approved / (approved + rejected), in percent


class FinancingProductRow(FinancingCounts):
    id: int
    name: str
    provider: str
    median_days_to_disbursement: float | None


class FinancingFigures(FinancingCounts):
    median_days_to_disbursement: float | None
    products: list[FinancingProductRow]


class Scope(TypedDict):
    totals: Totals
    new: list[int]
    cumulative: list[int]
    funnel: list[FunnelRow]
    breakdowns: Breakdowns
    outcomes: Outcomes
    curation: Curation
    financing: FinancingFigures


class FacilityRef(TypedDict):
    code: str
    order: int
    name_id: str
    name_en: str


class AreaCounts(TypedDict):
    registered: int
    verified: int
    submitted: int
    rejected: int
    last_90_days: int


class AreaShare(TypedDict):
    """An area's part of the province's registration target (`reports.targets.area_shares`):
    its own target where the Dinas set one, else its part of the kota's or the province's
    target, split evenly across kecamatan (one centre each). `behind`: below its part."""

    target: int
    achieved: int
    percent: float | None
    behind: bool
    basis: Literal["own", "kota", "province"]


class AreaFunnelRow(TypedDict):
    code: str
    reached: int
    completed: int


class KotaRow(AreaCounts):
    code: str
    name: str
    share: AreaShare | None


class KecamatanRow(AreaCounts):
    code: str
    name: str
    kota: str
    completed_any: int
    share: AreaShare | None
    funnel: list[AreaFunnelRow]
    outcomes: Outcomes
    curation: CurationCounts
    financing: FinancingCounts


class CentreRow(TypedDict):
    id: int
    name: str
    kecamatan: str
    kota: str | None
    active: bool
    activities: int
    activities_90_days: int
    upcoming: int
    attended: int


class Centres(TypedDict):
    total: int
    with_activity: int
    rows: list[CentreRow]


class TargetProgress(TypedDict):
    id: int
    name: str
    metric: str
    facility: str | None
    kota: str | None
    kecamatan: str | None
    value: int
    period_start: str
    period_end: str
    source: str
    achieved: int
    percent: float | None
    reached: bool
    reached_on: str | None
    recent_90_days: int
    rate_per_day: float
    projected_on: str | None
    on_track: bool
    next_milestone: int
    next_milestone_on: str | None


class SnapshotData(TypedDict):
    version: int
    as_of: str
    programme_start: str
    months: list[str]
    facilities: list[FacilityRef]
    kota: list[KotaRow]
    kecamatan: list[KecamatanRow]
    centres: Centres
    scopes: dict[str, Scope]
    targets: list[TargetProgress]
    public: dict[str, int | str]


# The columns of the kota and kecamatan rows, in the order tables show them.
AREA_COUNT_KEYS: tuple[str, ...] = tuple(AreaCounts.__annotations__)
BREAKDOWN_KINDS: tuple[str, ...] = tuple(Breakdowns.__annotations__)
CURATION_COUNT_KEYS: tuple[str, ...] = tuple(CurationCounts.__annotations__)


# --- the chart series of the dashboard (json_script → static/js/dashboard.js) -----------------


class ChartLabels(TypedDict):
    registered: str
    projection: str
    target: str
    remaining: str
    reached: str
    completed: str
    entrepreneurs: str


class GaugeSeries(TypedDict):
    value: int
    target: int | None
    remaining_label: str
    # Once the target is passed the arc runs to the next milestone (`scale`), the target
    # marked inside it, so that 490 % does not look like a full 100 %.
    passed: bool
    scale: int | None
    beyond_label: str
    milestone_label: str


class CumulativeSeries(TypedDict):
    months: list[str]
    actual: list[int | None]
    projection: list[int | None]
    target: int | None


class KotaSeries(TypedDict):
    labels: list[str]
    values: list[int]
    selected: str | None


class FunnelSeries(TypedDict):
    labels: list[str]
    reached: list[int]
    completed: list[int]


class BreakdownSeries(TypedDict):
    labels: list[str]
    values: list[int]
    style: Literal["doughnut", "bar", "hbar"]


class ChartData(TypedDict):
    labels: ChartLabels
    gauge: GaugeSeries
    cumulative: CumulativeSeries
    kota: KotaSeries
    funnel: FunnelSeries
    breakdowns: dict[str, BreakdownSeries]


# --- reading a stored snapshot -------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """A stored snapshot that is usable: when it was computed and its figures."""

    id: int
    computed_at: dt.datetime
    data: SnapshotData

    @property
    def registered(self) -> int:
        return self.data["scopes"][ALL]["totals"]["registered"]


def snapshot_read(row) -> Snapshot | None:
    """A `ProgressSnapshot` row read into the declared structure; None when it is not usable."""
    if row is None or not data_is_usable(row.data):
        return None
    return Snapshot(id=row.pk, computed_at=row.computed_at, data=row.data)


def data_is_usable(data: Any) -> bool:
    """This version, the declared shape, and the scopes and series that readers index into."""
    if not isinstance(data, dict) or data.get("version") != SNAPSHOT_VERSION or not conforms(data, SnapshotData):
        return False
    scopes, length = data["scopes"], len(data["months"])
    return (
        ALL in scopes
        and all(row["code"] in scopes for row in data["kota"])
        and all(len(scope["new"]) == len(scope["cumulative"]) == length for scope in scopes.values())
    )


def conforms(value: Any, declared: Any) -> bool:
    """Whether a JSON value has exactly the declared shape (TypedDict keys, list items, types)."""
    return _checker(declared)(value)


@functools.cache
def _checker(declared: Any) -> Callable[[Any], bool]:
    allowed = _plain_types(declared)
    if allowed is not None:
        return lambda value: type(value) in allowed
    if typing.is_typeddict(declared):
        hints = typing.get_type_hints(declared)
        names = frozenset(hints)
        # Plain fields are checked in one pass over (name, types); nested ones by their checker.
        plain = tuple((name, _plain_types(hint)) for name, hint in hints.items() if _plain_types(hint) is not None)
        nested = tuple((name, _checker(hint)) for name, hint in hints.items() if _plain_types(hint) is None)
        return lambda value: (
            type(value) is dict
            and value.keys() == names
            and all(type(value[name]) in types_ for name, types_ in plain)
            and all(check(value[name]) for name, check in nested)
        )
    origin, args = typing.get_origin(declared), typing.get_args(declared)
    if origin in (typing.Union, types.UnionType):  # e.g. a TypedDict or None
        options = tuple(_checker(arg) for arg in args)
        return lambda value: any(check(value) for check in options)
    if origin is list:
        item_types = _plain_types(args[0])
        if item_types is not None:
            return lambda value: type(value) is list and set(map(type, value)) <= item_types
        item = _checker(args[0])
        return lambda value: type(value) is list and all(map(item, value))
    if origin is dict:
        key, item = _checker(args[0]), _checker(args[1])
        return lambda value: type(value) is dict and all(key(k) and item(v) for k, v in value.items())
    if origin is Literal:
        return lambda value: type(value) is str and value in args
    raise TypeError(f"No JSON check for {declared!r}")


_PLAIN = {int: {int}, float: {int, float}, str: {str}, bool: {bool}, type(None): {type(None)}}


def _plain_types(declared: Any) -> frozenset[type] | None:
    """The Python types a JSON value of a plain declared type may have, or None when the
    declaration is not plain (a TypedDict, list, dict or Literal). JSON has one number type:
    a float 2.0 may come back as 2."""
    if typing.get_origin(declared) in (typing.Union, types.UnionType):
        options = [_plain_types(arg) for arg in typing.get_args(declared)]
        return None if None in options else frozenset().union(*options)
    return frozenset(_PLAIN[declared]) if declared in _PLAIN else None


# --- values shared by the computation and its readers ----------------------------------------


def percent(part: int, whole: int) -> float | None:
    """A share in percent with one decimal; None when there is nothing to share."""
    return round(100 * part / whole, 1) if whole else None


def month_key(value: dt.date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def add_months(month: str, count: int) -> str:
    year, number = map(int, month.split("-"))
    number += count
    return f"{year + (number - 1) // 12:04d}-{(number - 1) % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    months, month = [], first
    while month <= last:  # "YYYY-MM" strings sort as the months do
        months.append(month)
        month = add_months(month, 1)
    return months
