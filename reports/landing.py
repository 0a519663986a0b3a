"""The landing page's headline figures: what the snapshot publishes for Jakarta's total, the
share of the target and the P6 outcomes beside them (declared and protected in reports.public).
A page never reads a raw count: each figure is None when it is not published."""

from __future__ import annotations

from dataclasses import dataclass

from reports.public import (
    OUTCOME_HEADLINES,
    REGISTERED,
    _shown,
    achieved_from,
    achieved_key,
    headline_target,
    month_key_of,
)
from reports.snapshot import SnapshotData, TargetProgress, percent


@dataclass(frozen=True)
class LandingFigures:
    """The landing page's headline: Jakarta's total and the share of the target, and the P6
    outcomes beside it (naik kelas, wirausaha baru, the reporting rate), each None when it is
    not published (a small count, or withheld to protect one)."""

    registered: int | None
    target: TargetProgress | None
    percent: float | None
    naik_kelas: int | None = None
    wirausaha_baru: int | None = None
    reported_last_month: int | None = None
    reporting_rate: float | None = None  # reported last month ÷ registered, both published

    @property
    def outcomes_shown(self) -> bool:
        return self.naik_kelas is not None or self.wirausaha_baru is not None or self.reporting_rate is not None


def landing_figures(data: SnapshotData) -> LandingFigures:
    target = headline_target(data, None)
    registered = _shown(data, REGISTERED)
    registered = registered if isinstance(registered, int) else None
    share = None
    if target is not None:
        start = month_key_of(target["period_start"])
        if start > data["months"][-1]:
            share = 0.0  # the period has not begun: nothing counts yet
        else:
            achieved = _shown(data, achieved_key(target)) if achieved_from(data, target) else registered
            share = percent(achieved, target["value"]) if isinstance(achieved, int) else None
    outcomes = {key: _shown(data, key) for key in OUTCOME_HEADLINES}
    outcomes = {key: value if isinstance(value, int) else None for key, value in outcomes.items()}
    reported = outcomes["reported_last_month"]
    return LandingFigures(
        registered=registered,
        target=target,
        percent=share,
        **outcomes,
        reporting_rate=percent(reported, registered) if reported is not None and registered is not None else None,
    )
