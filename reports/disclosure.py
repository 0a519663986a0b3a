"""Statistical disclosure control of everything the portal publishes: small counts hidden, and
no hidden count recoverable by subtraction, within a table or across tables and totals.

The interface (a public table or figure declares its cells and relations, nothing more):

    publication = Publication()
    total = publication.count("registered", 1234, weight=HEADLINE)       # a cell, shown
    parts = [publication.count(f"registered@{code}", n) for code, n in …]
    publication.sum(total, parts)                                        # total = Σ parts, exactly
    publication.at_most(disbursed, applications)                         # one count ≤ another
    before = publication.count("registered<2023", 17, shown=False)        # a figure that is not
                                                                          # shown but follows from
                                                                          # shown ones
    published = protect(publication)   # {key: count | SMALL | WITHHELD}, for every shown cell

`reports.public` declares every public figure of the portal this way (the open data tables and
the landing page) and stores `protect`'s answer in each snapshot; pages read that answer only.

The rule (stated for the public on the open data page):
1. Primary suppression: a count below SUPPRESS_BELOW is published as "<5" (it is 0 to 4).
2. Secondary suppression: the public knows every relation (a kota is the sum of its
   kecamatan; Jakarta's total, on the landing page, is the sum of the kota, of the months and of
   the sectors), the bounds the publication gives ("<5" is 0–4, "x" is 5 or more, a count is
   ≥ 0) and may solve them all together. `audit` computes, for every hidden cell, exactly the
   range of values consistent with everything published. While a hidden count below 5 (shown
   as "<5", or a figure not shown at all but implied, such as "registered before the target
   period") has a single possible value, one more cell of its relations is withheld as "x":
   the cheapest one that gives it a range (by weight, then value: a kecamatan before a kota,
   a kota before Jakarta's total), or the cheapest one when none does alone, and the audit
   runs again, to a fixpoint across all tables. Finally a withheld cell whose value the rest
   determines anyway is published (it reveals nothing), so no relation ends up with exactly
   one hidden cell.

Inequalities: a count that can never exceed another (loans disbursed ≤ applications, in one
row) is declared with `at_most`. The audit narrows each side by the other as well (the smaller
count's upper bound by the larger's, the larger's lower bound by the smaller's), so a small count
pinned through an inequality is protected like one pinned through a sum, and the cells of an
inequality are candidates to withhold. Two sums whose parts are matched one to one by
inequalities (each kecamatan's naik kelas ≤ its registered count, and Jakarta's total of each)
also narrow each other through their gaps: the larger total minus the smaller is the sum of the
parts' gaps, each ≥ 0 (`_parallel_sums`, `_narrow_gaps`; sums through kota are flattened to
kecamatan first). Inequalities may close cycles with the sums, where
narrowing is no longer exact: the audit then finds every value it pins for certain (narrowing
never excludes a possible value), and the attack test's LP checks what is left (exact on
forests of sums, reports/tests/lp.py; with inequalities and two tables of one total, the LP
is weaker than an integer solver).

Why the audit is exact: every relation is "whole = Σ parts" with integer bounds on each cell,
and `protect` refuses relations that form a cycle (the cells and relations must form a forest,
as hierarchies of totals sharing a root do: kecamatan → kota → Jakarta ← months, sectors). On
such a forest, narrowing each cell's bounds by each relation until nothing changes gives the
exact projection of the integer solutions (each relation projects intervals onto intervals, and
without cycles every locally supported value extends to a whole solution), which is what a
linear-programming attacker computes (reports/tests/test_open_data_attack.py checks it with an
exact LP). A cross-tabulation (kota × sector, or two columns of a row that must add up) forms
cycles: it needs a different method and is refused with an error rather than published unsafely.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

SUPPRESS_BELOW = 5
SMALL = f"<{SUPPRESS_BELOW}"  # primary suppression: the count is 0 to 4
WITHHELD = "x"  # secondary suppression: a count of 5 or more, withheld to protect a small one
# Weights: what to withhold last when a small count needs company (cost = weight, then value).
PART, SUBTOTAL, HEADLINE = 0, 1, 3
# How many of the cheapest candidates are tried, each with a full audit, before settling for the
# cheapest; keeps the worst case small (a few hundred cells) while usually finding one that helps.
TRIALS = 8

Published = dict[str, "int | str"]
Bounds = dict[str, tuple[float, float]]  # integers, and math.inf for "no upper bound"


class DisclosureError(ValueError):
    """The declared cells and relations cannot be protected by this rule (a cycle, an unknown
    cell, a relation the values do not satisfy)."""


@dataclass(frozen=True)
class Cell:
    key: str
    value: int
    weight: int = PART
    shown: bool = True


@dataclass
class Publication:
    """The cells a page shows (or implies) and the additive relations between them."""

    cells: dict[str, Cell] = field(default_factory=dict)
    relations: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    inequalities: list[tuple[str, str]] = field(default_factory=list)  # (smaller, larger)

    def count(self, key: str, value: int, *, weight: int = PART, shown: bool = True) -> str:
        """Declare a count (once per key; a second declaration must agree) and return its key."""
        cell = Cell(key, int(value), weight, shown)
        if self.cells.setdefault(key, cell) != cell:
            raise DisclosureError(f"{key} is declared twice with different values.")
        return key

    def sum(self, whole: str, parts: Iterable[str]) -> None:
        """whole = Σ parts, exactly, in the data (and so for anyone who knows what they count)."""
        self.relations.append((whole, tuple(parts)))

    def at_most(self, smaller: str, larger: str) -> None:
        """smaller ≤ larger, always, in the data (and so for anyone who knows what they count)."""
        self.inequalities.append((smaller, larger))


def protect(publication: Publication) -> Published:
    """What each shown cell may publish: its count, SMALL or WITHHELD (rules in the docstring)."""
    cells, relations, inequalities = publication.cells, publication.relations, publication.inequalities
    _check(cells, relations, inequalities)
    withheld: set[str] = set()
    while True:
        pinned = _pinned(cells, relations, withheld, inequalities)
        if not pinned:
            break
        key = pinned[0]
        candidates = _candidates(cells, relations, withheld, key, inequalities)
        # A headline figure is withheld only when nothing else is left to withhold.
        trials = [other for other in candidates[:TRIALS] if cells[other].weight < HEADLINE]
        choice = next(
            (other for other in trials if key not in _pinned(cells, relations, withheld | {other}, inequalities)),
            candidates[0],
        )
        withheld.add(choice)
    # A withheld cell that everything else determines anyway is published: it says nothing new.
    bounds = audit(cells, relations, withheld, inequalities)
    withheld = {key for key in withheld if bounds[key][0] != bounds[key][1]}
    return {
        key: SMALL if cell.value < SUPPRESS_BELOW else WITHHELD if key in withheld else cell.value
        for key, cell in cells.items()
        if cell.shown
    }


# Narrowing through inequalities that close a cycle moves a bound by at least one per round
# (integers); this many rounds is far beyond any published count's range in a kecamatan.
MAX_ROUNDS = 20_000


def audit(cells: dict[str, Cell], relations, withheld: set[str], inequalities=()) -> Bounds:
    """The range of every cell given what is published (shown counts, markers, relations):
    exact on a forest of sums; with inequalities, every bound it gives holds for certain."""
    bounds: Bounds = {key: _marker_bounds(cell, withheld) for key, cell in cells.items()}
    rounds = 2 * len(relations) + 2 if not inequalities else MAX_ROUNDS
    parallel = _parallel_sums(relations, inequalities)
    for _round in range(rounds):  # a forest of sums settles in fewer rounds than this
        changed = False
        for whole, parts in relations:
            changed |= _narrow(bounds, whole, parts)
        for smaller, larger in inequalities:
            changed |= _tighten(bounds, smaller, 0, bounds[larger][1])
            changed |= _tighten(bounds, larger, bounds[smaller][0], math.inf)
        for pair in parallel:
            changed |= _narrow_gaps(bounds, *pair)
        if not changed:
            return bounds
    raise DisclosureError("The relations did not settle: they are not a forest.")


def _flattened(relations) -> list[tuple[str, tuple[str, ...]]]:
    """Every sum the relations imply down to cells that are no whole themselves: Jakarta = Σ kota
    and kota = Σ kecamatan give Jakarta = Σ kecamatan (one per way of expanding each part)."""
    ways: dict[str, list[tuple[str, ...]]] = {}
    for whole, parts in relations:
        ways.setdefault(whole, []).append(parts)

    def expand(key: str, seen: frozenset) -> list[tuple[str, ...]]:
        if key not in ways or key in seen:
            return [(key,)]
        found = []
        for parts in ways[key]:
            combos = [()]
            for part in parts:
                combos = [done + more for done in combos for more in expand(part, seen | {key})]
            found.extend(combos)
        return found

    return [(whole, leaves) for whole in ways for leaves in expand(whole, frozenset()) if leaves != (whole,)]


def _parallel_sums(relations, inequalities) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    """Pairs of sums whose parts are matched one to one by inequalities (each kecamatan's
    reporting ≤ its registered, and Jakarta's of each the sum): (smaller whole, larger whole,
    ((smaller part, larger part), …)). Their difference is a sum of non-negative gaps, which
    narrowing each relation alone does not see: when Jakarta's naik kelas equals its
    registered count, every kecamatan's registered count equals its naik kelas."""
    if not inequalities:
        return []
    above: dict[str, set[str]] = {}
    for smaller, larger in inequalities:
        above.setdefault(smaller, set()).add(larger)
    sums = _flattened(relations)
    pairs = []
    for small_whole, small_parts in sums:
        for large_whole, large_parts in sums:
            if small_whole == large_whole or len(small_parts) != len(large_parts):
                continue
            larger = set(large_parts)
            matched = [tuple(above.get(part, set()) & larger) for part in small_parts]
            if all(len(match) == 1 for match in matched) and {m[0] for m in matched} == larger:
                pairs.append((small_whole, large_whole, tuple(zip(small_parts, (m[0] for m in matched), strict=True))))
    return pairs


def _narrow_gaps(bounds: Bounds, small_whole: str, large_whole: str, matched) -> bool:
    """Narrow by large_whole − small_whole = Σ (large part − small part), each gap ≥ 0."""
    gaps = [
        (max(0, bounds[large][0] - bounds[small][1]), bounds[large][1] - bounds[small][0]) for small, large in matched
    ]
    low_sum = sum(low for low, _high in gaps)
    unbounded = sum(1 for _low, high in gaps if high == math.inf)
    high_sum = math.inf if unbounded else sum(high for _low, high in gaps)
    small_low, small_high = bounds[small_whole]
    large_low, large_high = bounds[large_whole]
    changed = _tighten(bounds, large_whole, small_low + low_sum, small_high + high_sum)
    changed |= _tighten(bounds, small_whole, large_low - high_sum, large_high - low_sum)
    gap_low = large_low - small_high  # may be -inf
    gap_high = large_high - small_low  # may be inf
    for (small, large), (low, high) in zip(matched, gaps, strict=True):
        others_low = low_sum - low
        others_unbounded = unbounded - (high == math.inf)
        others_high = math.inf if others_unbounded else high_sum - high
        most = gap_high - others_low  # this gap's largest possible value
        least = max(0, gap_low - others_high)  # and its smallest
        changed |= _tighten(bounds, large, bounds[small][0] + least, bounds[small][1] + most)
        changed |= _tighten(bounds, small, bounds[large][0] - most, bounds[large][1] - least)
    return changed


def _marker_bounds(cell: Cell, withheld: set[str]) -> tuple[float, float]:
    if not cell.shown:
        return (0, math.inf)
    if cell.value < SUPPRESS_BELOW:
        return (0, SUPPRESS_BELOW - 1)
    if cell.key in withheld:
        return (SUPPRESS_BELOW, math.inf)
    return (cell.value, cell.value)


def _narrow(bounds: Bounds, whole: str, parts: tuple[str, ...]) -> bool:
    """Narrow whole = Σ parts: each cell to what the others' bounds allow. True if any moved."""
    low = sum(bounds[part][0] for part in parts)
    finite_high = sum(bounds[part][1] for part in parts if bounds[part][1] != math.inf)
    unbounded = sum(1 for part in parts if bounds[part][1] == math.inf)
    changed = _tighten(bounds, whole, low, finite_high if not unbounded else math.inf)
    whole_low, whole_high = bounds[whole]
    for part in parts:
        part_low, part_high = bounds[part]
        others_low = low - part_low
        others_unbounded = unbounded - (part_high == math.inf)
        others_high = math.inf if others_unbounded else finite_high - (part_high if part_high != math.inf else 0)
        changed |= _tighten(bounds, part, whole_low - others_high, whole_high - others_low)
    return changed


def _tighten(bounds: Bounds, key: str, low: float, high: float) -> bool:
    old_low, old_high = bounds[key]
    new = (max(old_low, low), min(old_high, high))
    if new[0] > new[1]:
        raise DisclosureError(f"The relations through {key} do not hold for the declared values.")
    bounds[key] = new
    return new != (old_low, old_high)


def _protected(cell: Cell) -> bool:
    return cell.value < SUPPRESS_BELOW


def _pinned(cells, relations, withheld: set[str], inequalities=()) -> list[str]:
    """The small counts (shown or implied) that have a single possible value."""
    bounds = audit(cells, relations, withheld, inequalities)
    return [key for key, cell in cells.items() if _protected(cell) and bounds[key][0] == bounds[key][1]]


def _candidates(cells, relations, withheld: set[str], key: str, inequalities=()) -> list[str]:
    """Shown, published cells that could be withheld for `key`, best first: headline figures
    last, then the nearest through the relations (sums and inequalities), then by weight and
    value."""
    links = [(whole, *parts) for whole, parts in relations] + [tuple(pair) for pair in inequalities]
    distance, frontier, step = {key: 0}, {key}, 0
    while frontier:
        step += 1
        following = set()
        for members in links:
            if frontier.intersection(members):
                for member in members:
                    if member not in distance:
                        distance[member] = step
                        following.add(member)
        frontier = following
    found = [
        other for other in distance if cells[other].shown and not _protected(cells[other]) and other not in withheld
    ]
    if not found:
        raise DisclosureError(f"Nothing is left to withhold, yet {key} can be worked out.")

    def cost(other: str) -> tuple:
        cell = cells[other]
        return (cell.weight >= HEADLINE, distance[other], cell.weight, cell.value, other)

    return sorted(found, key=cost)


def _check(cells: dict[str, Cell], relations, inequalities=()) -> None:
    """Every relation names declared cells, has parts, and the sums form a forest; every
    inequality names declared cells and holds for their values."""
    for smaller, larger in inequalities:
        if smaller not in cells or larger not in cells:
            raise DisclosureError(f"An inequality names {smaller} or {larger}, which is not declared.")
        if cells[smaller].value > cells[larger].value:
            raise DisclosureError(f"{smaller} is declared at most {larger}, but it is more.")
    parent: dict[object, object] = {}

    def find(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for number, (whole, parts) in enumerate(relations):
        if not parts:
            raise DisclosureError(f"{whole} is declared as the sum of nothing.")
        for key in (whole, *parts):
            if key not in cells:
                raise DisclosureError(f"A relation names {key}, which is not declared.")
            if find(("cell", key)) == find(("relation", number)):
                raise DisclosureError(f"The relations form a cycle through {key}: this rule needs a forest.")
            parent[find(("cell", key))] = find(("relation", number))
        if cells[whole].value != sum(cells[part].value for part in parts):
            raise DisclosureError(f"{whole} is not the sum of its declared parts.")
