"""Roll-ups (kecamatan → kota → all of Jakarta) and the builders of the snapshot's structure.

The query steps (`reports.queries`) give counts per kecamatan. Counts add up, so a kota's
figures are the sum of its kecamatan and Jakarta's the sum of its kota; shares are computed
after summing. The builders below turn rolled-up counts into the TypedDicts declared in
`reports.snapshot`. Everything here works on aggregated rows only (a few thousand at most).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import accumulate

from registrations.models import Business, Entrepreneur
from reports.queries import AGE_BANDS, PROGRAMME_START, RATE_WINDOW_DAYS, PerKecamatan, Reference, breakdown_key
from reports.snapshot import (
    ALL,
    AREA_COUNT_KEYS,
    AreaShare,
    Breakdowns,
    Centres,
    FunnelRow,
    KecamatanRow,
    KotaRow,
    Outcomes,
    Scope,
    Totals,
    month_key,
    month_range,
    percent,
)

PerScope = dict[str, Counter]


def sum_counts(counters: Iterable[Counter]) -> Counter:
    total = Counter()
    for counts in counters:
        total.update(counts)
    return total


def roll_up_to_kota(per_kecamatan: PerKecamatan, kota_of: dict[str, str]) -> dict[str | None, Counter]:
    """Each kota's counts: the sum of its kecamatan. A kecamatan missing from the reference
    data (the foreign keys make it impossible) lands under None, so it still counts in Jakarta."""
    per_kota: dict[str | None, Counter] = {}
    for code, counts in per_kecamatan.items():
        per_kota.setdefault(kota_of.get(code), Counter()).update(counts)
    return per_kota


def roll_up_to_all(per_kota: dict[str | None, Counter]) -> Counter:
    """All of Jakarta: the sum of the kota."""
    return sum_counts(per_kota.values())


def roll_up(per_kecamatan: PerKecamatan, ref: Reference) -> PerScope:
    """The counts of every scope of the dashboard: all of Jakarta and each kota (even empty)."""
    per_kota = roll_up_to_kota(per_kecamatan, ref.kota_of)
    return {ALL: roll_up_to_all(per_kota), **{code: per_kota.get(code, Counter()) for code in sorted(ref.kota_names)}}


def month_axis(ref: Reference, monthly: Counter) -> list[str]:
    """Every month from the programme start (or an earlier registration) to the snapshot's."""
    return month_range(min([month_key(PROGRAMME_START), *monthly]), max([month_key(ref.today), *monthly]))


def totals_figures(people: Counter) -> Totals:
    return {
        "registered": people["registered"],
        "all": people["all"],
        "submitted": people["submitted"],
        "verified": people["verified"],
        "rejected": people["rejected"],
        "last_90_days": people["last_90_days"],
        "rate_per_day": round(people["last_90_days"] / RATE_WINDOW_DAYS, 2),
    }


def funnel_figures(funnel: Counter, ref: Reference, registered: int) -> list[FunnelRow]:
    rows: list[FunnelRow] = []
    p1_reached, previous = funnel[("P1", "reached")], None
    for facility in ref.facilities:
        code = facility["code"]
        reached = funnel[(code, "reached")]
        rows.append(
            {
                "code": code,
                "requested": funnel[(code, "requested")],
                "active": funnel[(code, "active")],
                "completed": funnel[(code, "completed")],
                "reached": reached,
                "cancelled": funnel[(code, "cancelled")],
                "completed_90_days": funnel[(code, "completed_90_days")],
                "percent_of_registered": percent(reached, registered),
                "percent_of_p1": percent(reached, p1_reached),
                "percent_of_previous": percent(reached, previous) if previous is not None else None,
            }
        )
        previous = reached
    return rows


def breakdown_figures(people: Counter, sectors: Counter) -> Breakdowns:
    def items(kind: str, keys: Iterable[str]) -> list:
        return [{"key": key, "count": people[breakdown_key(kind, key)]} for key in keys]

    with_business = sum(sectors.values())
    return {
        "track": items("track", Entrepreneur.Track.values),
        "gender": items("gender", Entrepreneur.Gender.values),
        "age": items("age", (key for key, _, _ in AGE_BANDS)),
        "sector": [{"key": value, "count": sectors[value]} for value in Business.Sector.values]
        + [{"key": "none", "count": max(people["registered"] - with_business, 0)}],
    }


def scope_figures(
    *, ref: Reference, months: list[str], people: Counter, monthly: Counter, sectors: Counter, funnel: Counter
) -> Scope:
    """One scope's figures (all of Jakarta or one kota) from its rolled-up counts."""
    new = [monthly[month] for month in months]
    return {
        "totals": totals_figures(people),
        "new": new,
        "cumulative": list(accumulate(new)),
        "funnel": funnel_figures(funnel, ref, people["registered"]),
        "breakdowns": breakdown_figures(people, sectors),
    }


def kota_rows(ref: Reference, people: PerScope, shares: dict[str, AreaShare]) -> list[KotaRow]:
    return [
        {"code": code, "name": ref.kota_names[code], **_area_counts(people[code]), "share": shares.get(code)}
        for code in sorted(ref.kota_names)
    ]


def kecamatan_rows(
    ref: Reference, people: PerKecamatan, funnel: PerKecamatan, shares: dict[str, AreaShare]
) -> list[KecamatanRow]:
    empty = Counter()
    rows: list[KecamatanRow] = []
    for row in ref.kecamatan:
        counts = funnel.get(row["code"], empty)
        rows.append(
            {
                "code": row["code"],
                "name": row["name"],
                "kota": row["kota_id"],
                **_area_counts(people.get(row["code"], empty)),
                "completed_any": sum(value for (_, figure), value in counts.items() if figure == "completed"),
                "share": shares.get(row["code"]),
                "funnel": [
                    {
                        "code": facility["code"],
                        "reached": counts[(facility["code"], "reached")],
                        "completed": counts[(facility["code"], "completed")],
                    }
                    for facility in ref.facilities
                ],
            }
        )
    return rows


def _area_counts(counts: Counter) -> dict:
    return {key: counts[key] for key in AREA_COUNT_KEYS}


def centre_figures(ref: Reference, activities: dict[int, Counter]) -> Centres:
    empty = Counter()
    rows = []
    for centre in ref.centres:
        counts = activities.get(centre["id"], empty)
        rows.append(
            {
                "id": centre["id"],
                "name": centre["name"],
                "kecamatan": centre["kecamatan_id"],
                "kota": ref.kota_of.get(centre["kecamatan_id"]),
                "active": centre["active"],
                "activities": counts["activities"],
                "activities_90_days": counts["activities_90_days"],
                "upcoming": counts["upcoming"],
                "attended": counts["attended"],
            }
        )
    return {
        "total": len(rows),
        "with_activity": sum(1 for row in rows if row["activities_90_days"] or row["upcoming"]),
        "rows": rows,
    }


def outcome_figures(counts: Counter, growth: list[float]) -> Outcomes:
    """A scope's outcomes from its rolled-up counts and its entrepreneurs' growth values."""
    from growth.rules import median

    middle = median(growth)
    return {
        "counted": counts["counted"],
        "reporting": counts["reporting"],
        "reported_last_month": counts["reported_last_month"],
        "reporting_rate": percent(counts["reported_last_month"], counts["counted"]),
        "classified": counts["classified"],
        "wirausaha_baru": counts["wirausaha_baru"],
        "naik_kelas": counts["naik_kelas"],
        "jobs_created": counts["jobs_created"],
        "omzet_last_month": counts["omzet_last_month"],
        "median_growth": None if middle is None else round(100 * middle, 1),
    }


def growth_by_scope(growth: dict[str, list[float]], ref: Reference) -> dict[str, list[float]]:
    """Growth values gathered per scope (medians do not add up: each scope takes its own)."""
    by_scope: dict[str, list[float]] = {ALL: [], **{code: [] for code in sorted(ref.kota_names)}}
    for code, values in growth.items():
        by_scope[ALL].extend(values)
        kota = ref.kota_of.get(code)
        if kota in by_scope:
            by_scope[kota].extend(values)
    return by_scope
