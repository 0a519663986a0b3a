"""The P5 curation step of the progress snapshot (the recipe in reports/snapshot.py).

`curation_by_kecamatan` aggregates in two GROUP BY queries through marketing's selectors:
submissions by outcome, and products in the e-katalog, per kecamatan and product category.
The Counter of a kecamatan holds each count under its key (`submissions`, `grade_a`, …) and
per category under `"<category>:<key>"`, so `roll_up` sums both into kota and Jakarta; the
builders turn a scope's Counter into the declared `Curation` / `CurationCounts`."""

from __future__ import annotations

from collections import Counter

from marketing import selectors as marketing_selectors
from registrations.models import Business
from reports.queries import PerKecamatan, Reference
from reports.snapshot import CURATION_COUNT_KEYS, Curation, CurationCounts


def curation_by_kecamatan(ref: Reference) -> PerKecamatan:
    per: PerKecamatan = {}
    rows = [
        *marketing_selectors.submission_counts_by_kecamatan_and_category(),
        *marketing_selectors.catalogue_counts_by_kecamatan_and_category(),
    ]
    for row in rows:
        counts = per.setdefault(row.pop("kecamatan"), Counter())
        category = row.pop("category")
        for key, value in row.items():
            counts[key] += value
            counts[f"{category}:{key}"] += value
    return per


def curation_counts(counts: Counter, prefix: str = "") -> CurationCounts:
    return {key: counts[prefix + key] for key in CURATION_COUNT_KEYS}  # type: ignore[return-value]


def curation_figures(counts: Counter) -> Curation:
    """A scope's curation figures: the totals and one row per category (all categories, in
    the sector list's order, so tables and charts keep their shape)."""
    return {
        **curation_counts(counts),
        "by_category": [{"key": key, **curation_counts(counts, f"{key}:")} for key in Business.Sector.values],
    }  # type: ignore[return-value]
