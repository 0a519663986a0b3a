"""A linear-programming attacker's tool: the feasible range of every unknown of a system
of linear equations with bounds, in rational arithmetic (no floating point, no library;
integers stay integers while every pivot is ±1, as it is for sums of cells).

`feasible_ranges(system)` minimises and maximises each unknown over
{x : Σ a·x = b for each equation, lo ≤ x ≤ hi} with a bounded-variable primal simplex
(Bland's rule), one connected component of the equations at a time. An integer unknown whose
range contains a single integer (ceil(min) == floor(max)) is recovered by whoever can solve an
LP, whatever the publisher meant to hide. The ranges are the exact integer ranges where the
equations are sums over a forest (totally unimodular); elsewhere they hold every integer
solution but may be wider (reports/tests/test_lp.py checks both).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

MAX_PIVOTS = 20_000


@dataclass
class System:
    """Unknowns with bounds (hi None: unbounded above) and equations {unknown: coefficient} = rhs."""

    bounds: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    equations: list[tuple[dict[str, int], int]] = field(default_factory=list)

    def unknown(self, name: str, lo: int, hi: int | None) -> None:
        self.bounds[name] = (lo, hi)

    def equation(self, coefficients: dict[str, int], rhs: int) -> None:
        coefficients = {name: value for name, value in coefficients.items() if value}
        assert set(coefficients) <= set(self.bounds), set(coefficients) - set(self.bounds)
        self.equations.append((coefficients, rhs))


Range = tuple[Fraction, Fraction | None]


def integer_range(found: Range) -> tuple[int, int | None]:
    low, high = found
    return math.ceil(low), (math.floor(high) if high is not None else None)


def feasible_ranges(system: System) -> dict[str, Range]:
    """The exact (continuous) range of every unknown; raises ValueError when infeasible."""
    ranges: dict[str, Range] = {}
    for names, equations in _components(system):
        lo = [system.bounds[name][0] for name in names]
        hi = [system.bounds[name][1] for name in names]
        if not equations:
            ranges.update(
                (name, (Fraction(lo[i]), None if hi[i] is None else Fraction(hi[i]))) for i, name in enumerate(names)
            )
            continue
        index = {name: i for i, name in enumerate(names)}
        rows = [[0] * len(names) for _ in equations]
        for row, (coefficients, _rhs) in zip(rows, equations, strict=True):
            for name, value in coefficients.items():
                row[index[name]] = value
        feasible = _Simplex.phase_one(rows, [rhs for _c, rhs in equations], lo, hi)
        for i, name in enumerate(names):
            low = feasible.copy().minimise(i, sign=1)
            high = feasible.copy().minimise(i, sign=-1)
            ranges[name] = (Fraction(low), None if high is None else Fraction(-high))
    return ranges


def _components(system: System):
    parent = {name: name for name in system.bounds}

    def find(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for coefficients, _rhs in system.equations:
        first, *rest = coefficients
        for name in rest:
            parent[find(name)] = find(first)
    groups: dict[str, list[str]] = {}
    for name in system.bounds:
        groups.setdefault(find(name), []).append(name)
    for names in groups.values():
        members = set(names)
        yield names, [equation for equation in system.equations if set(equation[0]) & members]


def _divide(a, b):
    """a / b, exactly; an integer stays an integer when b is ±1 (always, for sums of cells)."""
    if b == 1:
        return a
    if b == -1:
        return -a
    return Fraction(a) / b


class _Simplex:
    """Sparse tableau rows {column: B⁻¹A entry} over the unknowns and one artificial per row;
    x holds every variable's value."""

    def __init__(self, tableau, basis, x, lo, hi):
        self.tableau, self.basis, self.x, self.lo, self.hi = tableau, basis, x, lo, hi

    def copy(self) -> _Simplex:
        return _Simplex([dict(row) for row in self.tableau], list(self.basis), list(self.x), self.lo, self.hi)

    @classmethod
    def phase_one(cls, rows, rhs, lo, hi) -> _Simplex:
        m, n = len(rows), len(lo)
        x = list(lo) + [0] * m
        tableau = []
        for i, row in enumerate(rows):
            residual = rhs[i] - sum(a * v for a, v in zip(row, lo, strict=True))
            sign = 1 if residual >= 0 else -1
            tableau.append({j: sign * a for j, a in enumerate(row) if a} | {n + i: 1})
            x[n + i] = abs(residual)
        simplex = cls(tableau, [n + i for i in range(m)], x, list(lo) + [0] * m, list(hi) + [None] * m)
        simplex._optimise({n + i: 1 for i in range(m)})
        if any(simplex.x[n:]):
            raise ValueError("The published figures and relations admit no solution.")
        # The artificials stay at zero from now on.
        simplex.hi = list(hi) + [0] * m
        return simplex

    def minimise(self, variable: int, *, sign: int) -> Fraction | None:
        """min sign·x[variable]; None when unbounded below."""
        if not self._optimise({variable: sign}):
            return None
        return sign * self.x[variable]

    def _optimise(self, cost: dict[int, int]) -> bool:
        """Pivot to an optimum of cost·x (a sparse cost vector); False when unbounded."""
        tableau, basis, x, lo, hi = self.tableau, self.basis, self.x, self.lo, self.hi
        for _ in range(MAX_PIVOTS):
            # reduced cost of column j: cost_j − Σ_i cost_basis(i) · T[i][j]
            priced: dict[int, object] = {}
            for row, b in zip(tableau, basis, strict=True):
                dual = cost.get(b, 0)
                if dual:
                    for j, a in row.items():
                        priced[j] = priced.get(j, 0) + dual * a
            in_basis = set(basis)
            entering = None
            for j in sorted(set(priced) | set(cost)):
                if j in in_basis:
                    continue
                reduced = cost.get(j, 0) - priced.get(j, 0)
                if reduced < 0 and (hi[j] is None or x[j] < hi[j]):
                    entering = (j, 1)
                    break
                if reduced > 0 and x[j] > lo[j]:
                    entering = (j, -1)
                    break
            if entering is None:
                return True
            j, direction = entering
            step = None if hi[j] is None else hi[j] - lo[j]
            leaving = None
            for i, row in enumerate(tableau):
                a = direction * row.get(j, 0)
                b = basis[i]
                if a > 0:
                    limit = _divide(x[b] - lo[b], a)
                elif a < 0 and hi[b] is not None:
                    limit = _divide(hi[b] - x[b], -a)
                else:
                    continue
                if step is None or limit < step or (limit == step and leaving is not None and b < basis[leaving]):
                    step, leaving = limit, i
            if step is None:
                return False
            x[j] += direction * step
            for i, row in enumerate(tableau):
                if j in row:
                    x[basis[i]] -= direction * step * row[j]
            if leaving is not None:
                self._pivot(leaving, j)
        raise RuntimeError("The simplex did not converge.")

    def _pivot(self, r: int, j: int) -> None:
        tableau = self.tableau
        pivot = tableau[r][j]
        pivot_row = {k: _divide(value, pivot) for k, value in tableau[r].items()}
        tableau[r] = pivot_row
        for i, row in enumerate(tableau):
            factor = row.get(j, 0) if i != r else 0
            if factor:
                for k, value in pivot_row.items():
                    updated = row.get(k, 0) - factor * value
                    if updated:
                        row[k] = updated
                    else:
                        row.pop(k, None)
        self.basis[r] = j
