"""Values shared by the snapshot's computation and its readers: shares in percent and
"YYYY-MM" months."""

from __future__ import annotations

import datetime as dt


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
