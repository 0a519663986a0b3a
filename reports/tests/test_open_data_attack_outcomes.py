"""The attacker's test on generated datasets that also hold P6 outcomes (the naik-kelas table)
and P7 financing (the financing tables by kecamatan and by product): small and large cells side
by side in every table, and no suppressed cell recovered from all the public pages together."""

from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from financing.models import FinancingProduct
from growth.outcomes import OutcomeCounts
from reports import services
from reports.models import ProgressSnapshot
from reports.tests.attack import attack
from reports.tests.test_open_data_attack import KECAMATAN, _fake_steps, browse, deployments, latest_data

pytestmark = pytest.mark.django_db

FIGURES = ("applications", "approved", "rejected", "disbursed")


@st.composite
def outcomes_and_loans(draw, places):
    """Per kecamatan: (reporting, wirausaha baru, naik kelas) and, per product, (applications,
    approved, rejected, disbursed), each consistent (parts at most their whole)."""
    sizes = st.one_of(st.integers(0, 6), st.integers(7, 40))
    outcomes, loans = {}, {}
    for place in places:
        reporting = draw(sizes)
        outcomes[place] = (reporting, draw(st.integers(0, reporting)), draw(st.integers(0, reporting)))
        per_product = []
        for _product in range(2):
            applications = draw(sizes)
            approved = draw(st.integers(0, applications))
            rejected = draw(st.integers(0, applications - approved))
            per_product.append((applications, approved, rejected, draw(st.integers(0, approved))))
        loans[place] = per_product
    return outcomes, loans


@st.composite
def datasets(draw):
    groups = draw(deployments())
    places = sorted({group[0] for group in groups})
    return groups, draw(outcomes_and_loans(places))


def _fake_outcomes_and_financing(groups, outcomes, loans, products, monkeypatch) -> None:
    people = Counter()
    for kecamatan, _month, _sector, _facilities, count in groups:
        people[kecamatan] += count
    counts = {}
    for kecamatan, (reporting, baru, naik) in outcomes.items():
        reporting = min(reporting, people[kecamatan])  # reporting ≤ registered, as in life
        counts[kecamatan] = Counter(
            counted=people[kecamatan],
            reporting=reporting,
            wirausaha_baru=min(baru, reporting),
            naik_kelas=min(naik, reporting),
        )
    monkeypatch.setattr(services, "outcomes_by_kecamatan", lambda ref: OutcomeCounts(counts=counts, growth={}))
    financing = {}
    for kecamatan, per_product in loans.items():
        bucket = financing.setdefault(kecamatan, Counter())
        for product, figures in zip(products, per_product, strict=True):
            for figure, value in zip(FIGURES, figures, strict=True):
                bucket[(str(product), figure)] += value
                bucket[("all", figure)] += value
    monkeypatch.setattr(services, "financing_by_kecamatan", lambda ref: financing)


# Found by CI on 30 Nov 2026: everyone of both kecamatan reports and is naik kelas, so Jakarta's
# naik kelas equals its registered count and pinned the withheld registered count of 31.01.01.
EVERYONE_NAIK_KELAS = (
    [
        ("31.71.01", "2026-08", "kuliner", {"P2": "requested", "P3": "requested"}, 3),
        ("31.71.01", "2026-08", "kuliner", {"P2": "requested", "P3": "requested"}, 3),
        ("31.01.01", "2026-08", "kuliner", {}, 21),
        ("31.01.01", "2026-08", "kuliner", {}, 1),
        ("31.01.01", "2026-08", "kuliner", {}, 4),
    ],
    (
        {"31.01.01": (39, 31, 28), "31.71.01": (35, 19, 27)},
        {"31.01.01": [(31, 19, 0, 2), (23, 0, 14, 0)], "31.71.01": [(2, 0, 1, 0), (3, 2, 0, 0)]},
    ),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dataset=datasets())
@example(dataset=EVERYONE_NAIK_KELAS)
def test_no_suppressed_cell_is_recovered_with_outcomes_and_financing(dataset, monkeypatch):
    groups, (outcomes, loans) = dataset
    products = list(FinancingProduct.objects.order_by("pk").values_list("pk", flat=True))[:2]
    assert len(products) == 2 and set(outcomes) <= set(KECAMATAN)
    with monkeypatch.context() as patch:
        _fake_steps(groups, patch)
        _fake_outcomes_and_financing(groups, outcomes, loans, products, patch)
        ProgressSnapshot.objects.all().delete()
        services.progress_snapshot_create()
    data = latest_data()
    jakarta = data["scopes"]["all"]
    assert jakarta["outcomes"]["reporting"] == sum(
        min(reporting, sum(g[-1] for g in groups if g[0] == place)) for place, (reporting, _, _) in outcomes.items()
    )
    assert jakarta["financing"]["applications"] == sum(p[0] for per in loans.values() for p in per)
    assert attack(browse(), data) == {}


def test_a_reporting_count_at_most_a_hidden_registered_count_does_not_pin_a_small_one():
    """The case the generated datasets found: everyone of a kecamatan reports, its registered
    count is withheld to protect a neighbour, and its reporting count was published: at most
    the registered count, it pinned it together with the total. Declared with `at_most`,
    protect withholds more until no small count has a single possible value."""
    from reports.disclosure import HEADLINE, Publication, audit, protect

    registered = {"a": 0, "b": 9, "c": 7}

    def publish(declare_inequalities: bool):
        publication = Publication()
        total = publication.count("registered", sum(registered.values()), weight=HEADLINE)
        publication.sum(total, [publication.count(f"registered@{k}", v) for k, v in registered.items()])
        for key, value in registered.items():
            publication.count(f"reporting@{key}", value)  # everyone reports
        pairs = [(f"reporting@{key}", f"registered@{key}") for key in registered]
        if declare_inequalities:
            for smaller, larger in pairs:
                publication.at_most(smaller, larger)
        published = protect(publication)
        withheld = {key for key, value in published.items() if value == "x"}
        # What the attacker knows: the inequalities hold whether declared or not.
        bounds = audit(publication.cells, publication.relations, withheld, pairs)
        return [key for key, cell in publication.cells.items() if cell.value < 5 and bounds[key][0] == bounds[key][1]]

    # b withheld, but b >= 9 by its reporting count: a = 0, and its reporting count with it.
    assert publish(declare_inequalities=False) == ["registered@a", "reporting@a"]
    assert publish(declare_inequalities=True) == []
