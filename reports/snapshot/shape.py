"""The stored snapshot's declared shape: what `ProgressSnapshot.data` holds, and its version.

The overview of the structure, and how a new app adds a section, is in `reports.snapshot`.
"""

from __future__ import annotations

from typing import Literal, TypedDict

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
