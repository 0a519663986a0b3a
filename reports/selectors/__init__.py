"""Reads of targets and snapshots, and what each page shows from the latest snapshot.

Everything below `latest_snapshot()` works on the snapshot's declared structure only
(`reports.snapshot`): the dashboard, the landing page, the admin index and the open data pages
cost the same whatever the number of entrepreneurs.

The package by subject: `snapshots` (the latest snapshot, the headline, the area a query
string selects, the landing and open data pages), `dashboard` (the dashboard's context and
its downloads), `comparison` (the kecamatan table's filters and lines) and `charts` (the
chart series). Every name is importable from `reports.selectors`.
"""

from reports.selectors.charts import (
    BREAKDOWN_STYLES,
    PROJECTION_MONTHS,
    chart_data,
)
from reports.selectors.comparison import (
    FIRST_CELLS,
    MAX_FILTER_TEXT,
    ComparisonLine,
    TableQuery,
    comparison_lines,
    table_apply,
    table_query_from,
)
from reports.selectors.dashboard import (
    Behind,
    behind_in,
    dashboard_context,
    definitions,
    export_tables,
)
from reports.selectors.snapshots import (
    Headline,
    kecamatan_from_param,
    kota_choices,
    kota_from_param,
    landing_context,
    latest_snapshot,
    open_data_context,
    progress_headline,
    rpjmd_target,
    snapshot_age,
)
from reports.tables import Table  # the type of every table these reads return

__all__ = [
    "BREAKDOWN_STYLES",
    "Behind",
    "ComparisonLine",
    "FIRST_CELLS",
    "Headline",
    "MAX_FILTER_TEXT",
    "PROJECTION_MONTHS",
    "Table",
    "TableQuery",
    "behind_in",
    "chart_data",
    "comparison_lines",
    "dashboard_context",
    "definitions",
    "export_tables",
    "kecamatan_from_param",
    "kota_choices",
    "kota_from_param",
    "landing_context",
    "latest_snapshot",
    "open_data_context",
    "progress_headline",
    "rpjmd_target",
    "snapshot_age",
    "table_apply",
    "table_query_from",
]
