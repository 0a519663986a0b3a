"""The attacker's test: every published figure, every relation between them, and no suppressed
cell recovered — by single subtractions, or by solving the whole system exactly (attack.py).

Datasets come from the database (the issue's own example, a new deployment of 12 people, a
target period that starts later) and, many more, from hypothesis: generated per-kecamatan
counts fed to the snapshot computation where its SQL steps would hand them over, so that every
roll-up, the suppression and the pages are the real ones.
"""

import datetime as dt
from collections import Counter

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilities.models import Kecamatan
from registrations.models import Business
from reports import services
from reports.models import ProgressSnapshot, Target
from reports.queries import PROGRAMME_START
from reports.snapshot import month_key, month_range
from reports.tests.attack import attack, attacker_system, collect, lp_attack, recovered, subtraction_attack
from reports.tests.conftest import at

pytestmark = pytest.mark.django_db


def browse() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def latest_data() -> dict:
    return ProgressSnapshot.objects.latest_first().first().data


def test_the_issues_example_kepulauan_seribu_nine_with_utara_three_gives_nothing_away(people):
    """Kepulauan Seribu published as 9 with Utara "<5" and Selatan 6 gave Utara = 3."""
    for _ in range(3):
        people.add("31.01.01", sector="kuliner")
    for _ in range(6):
        people.add("31.01.02", sector="kuliner")
    for _ in range(40):
        people.add("31.71.01", sector="fesyen")
    services.progress_snapshot_create()
    knowledge = attacker_system(collect(browse()))
    assert "kecamatan:31.01.01:registered" in knowledge.bounds  # Utara stays hidden…
    assert subtraction_attack(knowledge) == {}
    assert recovered(lp_attack(knowledge)) == {}  # …and cannot be worked out
    assert attack(browse(), latest_data()) == {}


def test_a_new_deployment_with_twelve_people_gives_nothing_away(people):
    for index in range(12):
        people.add(
            ("31.71.01", "31.71.06", "31.74.01")[index % 3],
            registered_at=at(2024, 3 + index % 2),
            sector=("kuliner", None)[index % 2],
            facilities={"P2": "completed"} if index < 7 else None,
        )
    services.progress_snapshot_create()
    assert attack(browse(), latest_data()) == {}


def test_the_landing_pages_share_of_a_later_target_gives_nothing_away(people):
    """A target whose period starts later: its percentage publishes the registrations since
    then, which with the total is a sum of the months before: no month may fall out of it."""
    Target.objects.create(
        name="RPD 2023–2026", value=40, period_start=dt.date(2023, 1, 1), period_end=dt.date(2026, 12, 31)
    )
    for month, count in ((at(2019, 5), 2), (at(2021, 7), 6), (at(2024, 2), 9), (at(2024, 3), 3)):
        for _ in range(count):
            people.add("31.71.01", registered_at=month)
    services.progress_snapshot_create()
    assert attack(browse(), latest_data(), achieved_from="2023-01") == {}


# --- many generated datasets -------------------------------------------------------------------

KECAMATAN = [f"31.01.0{n}" for n in (1, 2)] + [f"31.7{k}.0{n}" for k in range(1, 6) for n in range(1, 4)]
SECTORS = list(Business.Sector.values) + [None]
FACILITY_STATES = ["requested", "active", "completed", "cancelled"]


@st.composite
def deployments(draw):
    """People as (kecamatan, month, sector, {facility: state}): few places and months, so that
    small and large cells sit side by side; from 0 to a few hundred people."""
    months = month_range(month_key(PROGRAMME_START), month_key(timezone.localdate()))
    places = draw(st.lists(st.sampled_from(KECAMATAN), min_size=1, max_size=6, unique=True))
    periods = draw(st.lists(st.sampled_from(months), min_size=1, max_size=5, unique=True))
    sectors = draw(st.lists(st.sampled_from(SECTORS), min_size=1, max_size=4, unique=True))
    groups = draw(
        st.lists(
            st.tuples(
                st.sampled_from(places),
                st.sampled_from(periods),
                st.sampled_from(sectors),
                st.dictionaries(
                    st.sampled_from(["P2", "P3", "P5", "P7"]), st.sampled_from(FACILITY_STATES), max_size=2
                ),
                st.one_of(st.integers(1, 6), st.integers(7, 60)),
            ),
            max_size=12,
        )
    )
    return groups


def _fake_steps(groups, monkeypatch) -> None:
    """The query steps of reports.services answer with the generated counts."""
    people, monthly, sectors, funnel = {}, {}, {}, {}
    targets = {f"target:{target.pk}": target for target in Target.objects.active()}
    for kecamatan, month, sector, facilities, count in groups:
        counts = people.setdefault(kecamatan, Counter())
        counts.update(all=count, registered=count, verified=count, **{"track:pemula": count, "gender:P": count})
        for key, target in targets.items():
            if month >= month_key(target.period_start):
                counts[key] += count
        monthly.setdefault(kecamatan, Counter())[month] += count
        if sector:
            sectors.setdefault(kecamatan, Counter())[sector] += count
        enrolments = funnel.setdefault(kecamatan, Counter())
        for code, state in {"P1": "completed", **facilities}.items():
            enrolments[(code, state)] += count
            enrolments[(code, "reached")] += count if state != "cancelled" else 0
    monkeypatch.setattr(services, "entrepreneurs_by_kecamatan", lambda ref, extra=None: people)
    monkeypatch.setattr(services, "registrations_by_month", lambda ref: monthly)
    monkeypatch.setattr(services, "businesses_by_sector", lambda ref: sectors)
    monkeypatch.setattr(services, "facility_funnel", lambda ref, extra=None: funnel)
    monkeypatch.setattr(services, "activities_by_centre", lambda ref: {})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(groups=deployments())
def test_no_suppressed_cell_is_recovered_from_any_generated_dataset(groups, monkeypatch):
    assert Kecamatan.objects.filter(code__in=KECAMATAN).count() == len(KECAMATAN)
    with monkeypatch.context() as patch:
        _fake_steps(groups, patch)
        ProgressSnapshot.objects.all().delete()
        services.progress_snapshot_create()
    data = latest_data()
    assert data["scopes"]["all"]["totals"]["registered"] == sum(group[-1] for group in groups)
    assert attack(browse(), data) == {}
