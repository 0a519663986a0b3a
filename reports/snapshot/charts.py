"""The chart series of the dashboard (json_script → static/js/dashboard.js): `ChartData`,
built per request from a snapshot by `reports.selectors.chart_data`. The script reads only
these keys (reports/tests/test_snapshot.py compares the two)."""

from __future__ import annotations

from typing import Literal, TypedDict


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
