"""The suppression rule (reports.disclosure) on its own: examples from the issue, what it
refuses, and a property over generated hierarchies checked by an exact LP attacker."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.disclosure import HEADLINE, SMALL, SUBTOTAL, WITHHELD, DisclosureError, Publication, audit, protect
from reports.tests.lp import System, feasible_ranges, integer_range


def hierarchy(total: int, parts: dict[str, int], *, weight=HEADLINE) -> Publication:
    publication = Publication()
    publication.sum(
        publication.count("total", total, weight=weight),
        [publication.count(key, value) for key, value in parts.items()],
    )
    return publication


def test_kepulauan_seribu_nine_with_utara_three_withholds_selatan_too():
    publication = Publication()
    jakarta = publication.count("jakarta", 109, weight=HEADLINE)
    seribu = publication.count("31.01", 9, weight=SUBTOTAL)
    pusat = publication.count("31.71", 100, weight=SUBTOTAL)
    publication.sum(jakarta, [seribu, pusat])
    publication.sum(seribu, [publication.count("31.01.01", 3), publication.count("31.01.02", 6)])
    publication.sum(pusat, [publication.count("31.71.01", 60), publication.count("31.71.02", 40)])
    published = protect(publication)
    assert published["31.01.01"] == SMALL and published["31.01.02"] == WITHHELD
    # The kota, Jakarta and the other kota's kecamatan stay exact.
    assert published["31.01"] == 9 and published["jakarta"] == 109 and published["31.71.01"] == 60


def test_a_lone_small_sector_takes_the_smallest_other_sector_with_it():
    published = protect(hierarchy(120, {"lainnya": 3, "kuliner": 80, "fesyen": 25, "jasa": 12}))
    assert published == {"total": 120, "lainnya": SMALL, "kuliner": 80, "fesyen": 25, "jasa": WITHHELD}


def test_small_counts_that_must_add_up_to_nothing_get_room():
    """Twelve people, all in one month: the other months are "<5" but would have to be 0."""
    published = protect(hierarchy(12, {"2024-01": 0, "2024-02": 12, "2024-03": 0}))
    assert published == {"total": 12, "2024-01": SMALL, "2024-02": WITHHELD, "2024-03": SMALL}


def test_withheld_cells_need_enough_room_between_them():
    """0 + 5 + 5 = 10: withholding both fives still pins the zero (each is at least 5), so the
    total goes too, although it is the most expensive cell."""
    published = protect(hierarchy(10, {"a": 0, "b": 5, "c": 5}))
    assert published == {"total": WITHHELD, "a": SMALL, "b": WITHHELD, "c": WITHHELD}


def test_the_headline_is_withheld_only_when_nothing_else_helps():
    """Kota 19 = Gambir 19 and Jakarta = 19: withholding the kota alone does not help (its
    kecamatan add up to it), so the kecamatan goes with it, not Jakarta's total."""
    publication = Publication()
    jakarta = publication.count("jakarta", 19, weight=HEADLINE)
    kota = [publication.count("31.71", 19, weight=SUBTOTAL), publication.count("31.72", 0, weight=SUBTOTAL)]
    publication.sum(jakarta, kota)
    publication.sum("31.71", [publication.count("31.71.01", 19), publication.count("31.71.02", 0)])
    publication.sum("31.72", [publication.count("31.72.01", 0)])
    published = protect(publication)
    assert published["jakarta"] == 19
    assert published["31.71"] == WITHHELD and published["31.71.01"] == WITHHELD


def test_a_count_implied_by_two_published_ones_is_protected_too():
    """Registered before the target period = total − achieved: 3 of them, not shown anywhere,
    but worked out by anyone. One of the two published figures it follows from is withheld."""
    publication = Publication()
    total = publication.count("total", 40, weight=HEADLINE)
    since = publication.count("since", 37, weight=HEADLINE)
    before = publication.count("before", 3, shown=False)
    publication.sum(total, [since, before])
    publication.sum(since, [publication.count("2024-01", 20), publication.count("2024-02", 17)])
    publication.sum(before, [publication.count("2019-05", 3)])
    published = protect(publication)
    assert "before" not in published  # not shown, so not published at all
    assert published["2019-05"] == SMALL
    assert WITHHELD in (published["total"], published["since"])


def test_a_withheld_cell_that_the_rest_determines_is_published_after_all():
    publication = hierarchy(30, {"a": 2, "b": 8, "c": 20})
    publication.sum("c", [publication.count("c1", 12), publication.count("c2", 8)])
    published = protect(publication)
    assert published["a"] == SMALL and WITHHELD in (published["b"], published["c"])
    hidden = [key for key in ("total", "a", "b", "c") if not isinstance(published[key], int)]
    assert len(hidden) >= 2


@pytest.mark.parametrize(
    "declare, message",
    [
        (lambda p: p.sum(p.count("t", 3), []), "sum of nothing"),
        (lambda p: p.sum(p.count("t", 3), ["missing"]), "not declared"),
        (lambda p: p.sum(p.count("t", 3), [p.count("a", 1), p.count("b", 1)]), "not the sum"),
        (lambda p: (p.count("a", 1), p.count("a", 2)), "declared twice"),
        (lambda p: p.sum(p.count("t", 2), [p.count("a", 1), "a"]), "cycle"),
    ],
)
def test_it_refuses_declarations_it_cannot_protect(declare, message):
    publication = Publication()
    with pytest.raises(DisclosureError, match=message):
        declare(publication)
        protect(publication)


def test_it_refuses_a_cross_tabulation_whose_sums_form_a_cycle():
    """kota × sector beside the kota and sector totals: the audit would not be exact."""
    publication = Publication()
    cells = {(k, s): publication.count(f"{k}/{s}", 5 + 3 * k + s) for k in (0, 1) for s in (0, 1)}
    for k in (0, 1):
        publication.sum(
            publication.count(f"kota{k}", sum(cells[k, s] and 5 + 3 * k + s for s in (0, 1))),
            [cells[k, s] for s in (0, 1)],
        )
    for s in (0, 1):
        publication.sum(
            publication.count(f"sector{s}", sum(5 + 3 * k + s for k in (0, 1))), [cells[k, s] for k in (0, 1)]
        )
    with pytest.raises(DisclosureError, match="cycle"):
        protect(publication)


# --- the property: generated hierarchies, attacked by an exact LP ------------------------------

small_or_large = st.one_of(st.integers(0, 4), st.integers(0, 9), st.integers(5, 60))


@st.composite
def publications(draw):
    """A total shared by 1–3 breakdowns (like kota, months, sectors), each of whose parts may
    break down once more (like kecamatan), and now and then a part that is not shown."""
    publication = Publication()
    breakdowns = draw(
        st.lists(
            st.lists(st.lists(small_or_large, min_size=1, max_size=4), min_size=1, max_size=5), min_size=1, max_size=3
        )
    )
    total = sum(sum(leaves) for leaves in breakdowns[0])
    breakdowns = [breakdowns[0]] + [_rescaled(draw, breakdown, total) for breakdown in breakdowns[1:]]
    root = publication.count("total", total, weight=HEADLINE)
    for b, breakdown in enumerate(breakdowns):
        parts = []
        for p, leaves in enumerate(breakdown):
            shown = draw(st.integers(0, 9)) > 0
            part = publication.count(f"{b}.{p}", sum(leaves), weight=SUBTOTAL, shown=shown)
            if len(leaves) > 1:
                publication.sum(
                    part, [publication.count(f"{b}.{p}.{leaf}", value) for leaf, value in enumerate(leaves)]
                )
            parts.append(part)
        publication.sum(root, parts)
    return publication


def _rescaled(draw, breakdown, total):
    """Another breakdown of the same total: the leaves moved around so that they add up to it."""
    leaves = [value for part in breakdown for value in part]
    if sum(leaves) > total or not leaves:
        return [[total]]
    leaves[draw(st.integers(0, len(leaves) - 1))] += total - sum(leaves)
    return [[value] for value in leaves]


def lp_recovers(publication: Publication, published: dict) -> dict[str, int]:
    system = System()
    known = {key: value for key, value in published.items() if isinstance(value, int)}
    for key in publication.cells:
        if key not in known:
            system.unknown(key, *({SMALL: (0, 4), WITHHELD: (5, None)}.get(published.get(key), (0, None))))
    for whole, parts in publication.relations:
        coefficients = {whole: 1} | dict.fromkeys(parts, -1)
        constant = sum(c * known[k] for k, c in coefficients.items() if k in known)
        unknown = {k: c for k, c in coefficients.items() if k not in known}
        if unknown:
            system.equation(unknown, -constant)
        else:
            assert constant == 0
    ranges = {key: integer_range(found) for key, found in feasible_ranges(system).items()}
    return {key: low for key, (low, high) in ranges.items() if low == high and publication.cells[key].value < 5}


@settings(max_examples=150, deadline=None)
@given(publication=publications())
def test_no_small_count_of_any_generated_hierarchy_can_be_worked_out(publication):
    published = protect(publication)
    for key, value in published.items():
        cell = publication.cells[key]
        assert value == (SMALL if cell.value < 5 else value) and (value in (SMALL, WITHHELD) or value == cell.value)
    assert lp_recovers(publication, published) == {}
    for whole, parts in publication.relations:
        if all(publication.cells[key].shown for key in (whole, *parts)):  # (a cell not shown is hidden anyway)
            hidden = [key for key in (whole, *parts) if not isinstance(published[key], int)]
            assert len(hidden) != 1, (whole, parts, published)


def test_an_inequality_narrows_both_sides_and_a_count_pinned_through_it_is_protected():
    from reports.disclosure import Cell, audit

    # withheld ≤ big narrows withheld from above; small ≤ withheld changes nothing here.
    cells = {
        "big": Cell("big", 10),
        "small": Cell("small", 3),
        "withheld": Cell("withheld", 6),
    }
    bounds = audit(cells, [], {"withheld"}, [("withheld", "big"), ("small", "withheld")])
    assert bounds["withheld"] == (5, 10)  # at least 5 (its marker), at most big
    assert bounds["small"] == (0, 4)
    # Declared inequalities go through protect with the sums: a is pinned by its sum and is
    # protected as before; d (at most a) keeps its room.
    publication = Publication()
    total = publication.count("total", 12, weight=HEADLINE)
    a = publication.count("a", 0)
    b = publication.count("b", 12)
    publication.sum(total, [a, b])
    d = publication.count("d", 0)
    e = publication.count("e", 7)
    publication.sum(publication.count("disbursed", 7, shown=False), [d, e])
    publication.at_most(d, a)
    published = protect(publication)
    assert published["a"] == "<5" and published["b"] == "x"  # a would be 12 - 12 = 0
    assert published["d"] == "<5"


def test_two_sums_matched_part_by_part_by_inequalities_narrow_each_other():
    """The case the generated datasets found: Jakarta's naik kelas equals its registered
    count, so in every kecamatan everyone registered is naik kelas (each gap registered − naik
    kelas is ≥ 0 and the gaps add up to 0). Narrowing each sum and each inequality alone left
    the withheld registered count of `a` between 26 and 27; an attacker solving them together
    knew it was 26. The audit now narrows such matched sums by their gaps, so it knows it too,
    and protect publishes what the rest determines instead of withholding it in vain."""
    publication = Publication()
    registered = publication.count("registered", 32, weight=HEADLINE)
    naik = publication.count("naik", 32, weight=HEADLINE)
    places = {"a": (26, 26), "b": (6, 6), "c": (0, 0)}
    for place, (people, naik_kelas) in places.items():
        publication.count(f"registered@{place}", people)
        publication.count(f"naik@{place}", naik_kelas)
        publication.at_most(f"naik@{place}", f"registered@{place}")
    publication.sum(registered, [f"registered@{place}" for place in places])
    publication.sum(naik, [f"naik@{place}" for place in places])
    withheld = {"registered@a", "registered@b", "naik@b"}

    bounds = audit(publication.cells, publication.relations, withheld, publication.inequalities)

    assert bounds["registered@a"] == (26, 26)
    assert bounds["registered@b"] == (5, 6) and bounds["naik@b"] == (5, 6)  # still a range
    assert bounds["registered@c"] == (0, 1)
