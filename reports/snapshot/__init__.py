"""The progress snapshot's structure, declared once: what `ProgressSnapshot.data` holds.

The package declares it in `shape.py` (with SNAPSHOT_VERSION), the dashboard's chart series in
`charts.py`, the conformance check in `reading.py` and the shared values (percent, months) in
`values.py`; every name is importable from `reports.snapshot`.

`reports.services.progress_compute()` builds a `SnapshotData` and stores it as JSON; every
reader (the dashboard, its CSV downloads, open data, the landing page, the admin index) gets
it through `snapshot_read()`, which returns None for a snapshot that is not usable: another
version, or JSON that does not match the declaration (`shape.py`) (a hand-edited or truncated row).
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
snapshot by `reports.selectors.chart_data`) are declared in `charts.py`: static/js/dashboard.js
reads only these keys (tests compare the two).

How a new app adds an outcome section (P6 naik kelas and reporting rate from `growth`, P5
curation grades from `marketing`, P7 financing from `financing`):

1. Declare it in `shape.py`: a TypedDict of the section's figures (counts, and the rates derived from
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
   it: a table function in `reports/tables/` (the dashboard), and if it is charted, its
   series in `ChartData` (`charts.py`) and in static/js/dashboard.js.
5. Publish it (open data, the landing page): one function in `reports/public.py`, added to
   its PUBLIC_FIGURES, that declares the table's counts and every sum between them and the
   figures already public (its kecamatan add up to its kota, its kota to Jakarta's total…).
   The small-count suppression, and the withholding that stops a suppressed count being
   worked out by subtraction across every public table, follow from the declaration
   (`reports.disclosure`). No other step changes.
"""

from reports.snapshot.charts import (
    BreakdownSeries,
    ChartData,
    ChartLabels,
    CumulativeSeries,
    FunnelSeries,
    GaugeSeries,
    KotaSeries,
)
from reports.snapshot.reading import (
    Snapshot,
    conforms,
    data_is_usable,
    snapshot_read,
)
from reports.snapshot.shape import (
    ALL,
    AREA_COUNT_KEYS,
    BREAKDOWN_KINDS,
    CURATION_COUNT_KEYS,
    SNAPSHOT_VERSION,
    AreaCounts,
    AreaFunnelRow,
    AreaShare,
    BreakdownItem,
    Breakdowns,
    CentreRow,
    Centres,
    Curation,
    CurationCategory,
    CurationCounts,
    FacilityRef,
    FinancingCounts,
    FinancingFigures,
    FinancingProductRow,
    FunnelRow,
    KecamatanRow,
    KotaRow,
    Outcomes,
    Scope,
    SnapshotData,
    TargetProgress,
    Totals,
)
from reports.snapshot.values import (
    add_months,
    month_key,
    month_range,
    percent,
)

__all__ = [
    "SNAPSHOT_VERSION",
    "ALL",
    "Totals",
    "FunnelRow",
    "BreakdownItem",
    "Breakdowns",
    "Outcomes",
    "CurationCounts",
    "CurationCategory",
    "Curation",
    "FinancingCounts",
    "FinancingProductRow",
    "FinancingFigures",
    "Scope",
    "FacilityRef",
    "AreaCounts",
    "AreaShare",
    "AreaFunnelRow",
    "KotaRow",
    "KecamatanRow",
    "CentreRow",
    "Centres",
    "TargetProgress",
    "SnapshotData",
    "AREA_COUNT_KEYS",
    "BREAKDOWN_KINDS",
    "CURATION_COUNT_KEYS",
    "ChartLabels",
    "GaugeSeries",
    "CumulativeSeries",
    "KotaSeries",
    "FunnelSeries",
    "BreakdownSeries",
    "ChartData",
    "Snapshot",
    "snapshot_read",
    "data_is_usable",
    "conforms",
    "percent",
    "month_key",
    "add_months",
    "month_range",
]
