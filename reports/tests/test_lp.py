"""The attacker's LP (reports/tests/lp.py) against brute force on small systems. On sums over a
forest (each cell the whole of at most one sum and a part of at most one, a part listed after
its whole: the shape of the published tables' hierarchies) the constraint matrix is totally
unimodular, so the LP's ranges are the exact integer ranges: checked here. On any other system
(any coefficients, two tables of one total, inequalities) the LP's range holds every integer
solution but may be wider than the integer range: an attacker with an integer solver could
then narrow a hidden cell further than the attack test does (checked: the ranges are sound)."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.tests.lp import System, feasible_ranges, integer_range

CAP = 7  # brute force stands in for "unbounded" with this upper limit


@st.composite
def systems(draw, coefficients):
    names = [f"x{i}" for i in range(draw(st.integers(1, 4)))]
    bounds = {}
    for name in names:
        low = draw(st.integers(0, 3))
        bounds[name] = (low, draw(st.one_of(st.none(), st.integers(low, low + 4))))
    truth = {name: draw(st.integers(low, high if high is not None else CAP)) for name, (low, high) in bounds.items()}
    equations = []
    for _ in range(draw(st.integers(0, 3))):
        row = {name: draw(coefficients) for name in names}
        if any(row.values()):
            equations.append((row, sum(value * truth[name] for name, value in row.items())))
    return names, bounds, equations


def brute_force(names, bounds, equations) -> dict[str, tuple[int, int]]:
    boxes = [range(bounds[name][0], (bounds[name][1] if bounds[name][1] is not None else CAP) + 1) for name in names]
    solutions = [
        point
        for point in itertools.product(*boxes)
        if all(sum(row.get(name, 0) * point[i] for i, name in enumerate(names)) == rhs for row, rhs in equations)
    ]
    return {name: (min(p[i] for p in solutions), max(p[i] for p in solutions)) for i, name in enumerate(names)}


def solve(names, bounds, equations):
    system = System()
    for name in names:
        system.unknown(name, *bounds[name])
    for row, rhs in equations:
        system.equation(row, rhs)
    return feasible_ranges(system)


@st.composite
def forests(draw):
    """Sums over a forest: cell i may be the whole of one sum whose parts come after it, and
    each cell is a part of at most one sum; some cells published (low == high)."""
    count = draw(st.integers(1, 6))
    names = [f"x{i}" for i in range(count)]
    bounds = {}
    for name in names:
        if draw(st.booleans()):
            low = draw(st.integers(0, 3))
            bounds[name] = (low, draw(st.one_of(st.none(), st.integers(low, low + 4))))
        else:
            value = draw(st.integers(0, 6))
            bounds[name] = (value, value)
    truth = {name: draw(st.integers(low, high if high is not None else CAP)) for name, (low, high) in bounds.items()}
    free = list(range(1, count))
    equations = []
    for whole in range(count):
        parts = [i for i in free if i > whole and draw(st.booleans())]
        if parts:
            free = [i for i in free if i not in parts]
            row = {names[whole]: 1, **{names[i]: -1 for i in parts}}
            equations.append((row, sum(value * truth[name] for name, value in row.items())))
    return names, bounds, equations


@settings(max_examples=200, deadline=None)
@given(problem=forests())
def test_sums_of_cells_get_their_exact_integer_ranges(problem):
    names, bounds, equations = problem
    expected = brute_force(names, bounds, equations)
    bounded = all(bounds[other][1] is not None for other in names)
    for name, found in solve(names, bounds, equations).items():
        low, high = integer_range(found)
        if bounded:
            assert (low, high) == expected[name]
        else:  # brute force capped what the LP rightly leaves open
            assert low <= expected[name][0] and (high is None or high >= expected[name][1])


@settings(max_examples=100, deadline=None)
@given(problem=systems(st.sampled_from([-3, -1, 0, 1, 2])))
def test_any_coefficients_give_ranges_that_hold_every_solution(problem):
    names, bounds, equations = problem
    expected = brute_force(names, bounds, equations)
    for name, (low, high) in solve(names, bounds, equations).items():
        assert low <= expected[name][0] and (high is None or high >= expected[name][1])


def test_contradictory_figures_are_reported():
    with pytest.raises(ValueError, match="no solution"):
        solve(["a", "b"], {"a": (0, 4), "b": (0, 4)}, [({"a": 1, "b": 1}, 9)])
