import datetime as dt
import math
import threading

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from registrations.models import Business, Enrollment, Entrepreneur
from reports import services
from reports.models import JobLock, ProgressSnapshot, Target
from reports.tests.conftest import at

pytestmark = pytest.mark.django_db


def scope(data, name="all"):
    return data["scopes"][name]


def funnel_of(data, code, name="all"):
    return next(row for row in scope(data, name)["funnel"] if row["code"] == code)


def breakdown(data, kind, name="all"):
    return {item["key"]: item["count"] for item in scope(data, name)["breakdowns"][kind]}


def test_an_empty_database_gives_a_snapshot_of_zeros():
    data = services.progress_compute()
    totals = scope(data)["totals"]
    assert totals["registered"] == totals["all"] == totals["rejected"] == 0
    assert data["months"][0] == "2017-12"
    assert data["months"][-1] == f"{timezone.localdate():%Y-%m}"
    assert all(value == 0 for value in scope(data)["cumulative"])
    assert [row["code"] for row in scope(data)["funnel"]] == ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]
    assert all(row["reached"] == 0 and row["percent_of_registered"] is None for row in scope(data)["funnel"])
    assert len(data["kecamatan"]) == 44 and len(data["kota"]) == 6
    (rpjmd,) = data["targets"]
    assert rpjmd["achieved"] == 0 and rpjmd["percent"] == 0 and not rpjmd["reached"]
    assert rpjmd["projected_on"] is None and rpjmd["reached_on"] is None


def test_snapshot_numbers_equal_direct_orm_counts(people, seed):
    seed(150)
    # Edge cases on top of the synthetic data.
    rejected = people.add(status="rejected", facilities={"P2": "completed"}, sector="kuliner")
    twice = people.add("31.73.01", facilities={"P2": "completed", "P3": "cancelled"})
    people.enrol(twice, "P2", "completed")  # P2 completed twice: counted once
    people.enrol(twice, "P2", "requested")
    people.add("31.01.01", status="submitted", gender="L", facilities={"P4": "cancelled"})

    data = services.progress_compute()
    counted = Entrepreneur.objects.counted()
    totals = scope(data)["totals"]
    assert totals["registered"] == counted.count()
    assert totals["all"] == Entrepreneur.objects.count()
    for status in ("submitted", "verified", "rejected"):
        assert totals[status] == Entrepreneur.objects.filter(status=status).count()

    by_kecamatan = dict(counted.values_list("kecamatan_id").annotate(n=Count("id")))
    for row in data["kecamatan"]:
        assert row["registered"] == by_kecamatan.get(row["code"], 0)
    for row in data["kota"]:
        assert row["registered"] == counted.filter(kecamatan__kota_id=row["code"]).count()
        assert scope(data, row["code"])["totals"]["registered"] == row["registered"]

    # Months counted in Python from the rows themselves (Asia/Jakarta months).
    expected_months = {}
    for registered_at in counted.values_list("registered_at", flat=True):
        key = f"{timezone.localtime(registered_at):%Y-%m}"
        expected_months[key] = expected_months.get(key, 0) + 1
    months = dict(zip(data["months"], scope(data)["new"], strict=True))
    assert {k: v for k, v in months.items() if v} == expected_months
    assert scope(data)["cumulative"][-1] == totals["registered"]

    enrolments = Enrollment.objects.filter(entrepreneur__in=counted)
    for code in ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]:
        row = funnel_of(data, code)
        of_facility = enrolments.filter(facility_id=code)

        def people_in(queryset):
            return queryset.values("entrepreneur_id").distinct().count()

        assert row["requested"] == people_in(of_facility.filter(state="requested"))
        assert row["active"] == people_in(of_facility.filter(state="active"))
        assert row["completed"] == people_in(of_facility.filter(state="completed"))
        assert row["cancelled"] == people_in(of_facility.filter(state="cancelled"))
        assert row["reached"] == people_in(of_facility.exclude(state="cancelled"))
    assert funnel_of(data, "P1")["reached"] == totals["registered"]

    assert breakdown(data, "gender") == {g: counted.filter(gender=g).count() for g in ("L", "P")}
    assert breakdown(data, "track") == {t: counted.filter(track=t).count() for t in Entrepreneur.Track.values}
    sectors = breakdown(data, "sector")
    for sector in Business.Sector.values:
        assert sectors[sector] == Business.objects.filter(entrepreneur__in=counted, sector=sector).count()
    assert sectors["none"] == counted.filter(business__isnull=True).count()

    today = timezone.localdate()
    ages = {"17-24": 0, "25-34": 0, "35-44": 0, "45-54": 0, "55+": 0}
    for birth in counted.values_list("birth_date", flat=True):
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        band = "17-24" if age < 25 else "25-34" if age < 35 else "35-44" if age < 45 else "45-54" if age < 55 else "55+"
        ages[band] += 1
    assert breakdown(data, "age") == ages
    assert rejected.pk  # the rejected entrepreneur's completed P2 is in none of the counts above


def test_rejected_entrepreneurs_and_cancelled_enrolments_are_not_counted(people):
    people.add(facilities={"P2": "completed"}, sector="kuliner")
    people.add(status="rejected", facilities={"P2": "completed", "P3": "active"}, sector="fesyen")
    people.add(facilities={"P2": "cancelled"})

    data = services.progress_compute()
    assert scope(data)["totals"]["registered"] == 2
    assert scope(data)["totals"]["rejected"] == 1
    p2 = funnel_of(data, "P2")
    assert (p2["reached"], p2["completed"], p2["cancelled"]) == (1, 1, 1)
    assert funnel_of(data, "P3")["active"] == 0
    assert breakdown(data, "sector")["fesyen"] == 0 and breakdown(data, "sector")["kuliner"] == 1
    assert p2["percent_of_registered"] == 50.0 and p2["percent_of_previous"] == 50.0


def test_a_reached_target_reports_the_month_it_was_crossed_and_the_next_milestone(people):
    Target.objects.update(active=False)
    target = Target.objects.create(
        name="Small", value=4, period_start=dt.date(2017, 12, 14), period_end=dt.date(2022, 12, 31)
    )
    for month in (1, 2, 3, 3, 5):
        people.add(registered_at=at(2019, month))
    people.add(registered_at=timezone.now() - dt.timedelta(days=3))
    people.add(registered_at=at(2019, 1), status="rejected")

    (result,) = services.progress_compute()["targets"]
    assert result["id"] == target.pk
    assert result["achieved"] == 6 and result["percent"] == 150.0 and result["reached"]
    assert result["reached_on"] == "2019-03"
    assert result["projected_on"] is None
    assert result["next_milestone"] == 7  # steps of a quarter of the target (1)
    assert result["next_milestone_on"] == (timezone.localdate() + dt.timedelta(days=90)).isoformat()


def test_a_target_not_reached_is_projected_at_the_90_day_rate(people):
    Target.objects.update(active=False)
    Target.objects.create(name="Big", value=100, period_start=dt.date(2017, 12, 14), period_end=dt.date(2099, 1, 1))
    for days in (1, 10, 20, 30, 40, 50, 60, 70, 80):
        people.add(registered_at=timezone.now() - dt.timedelta(days=days))
    people.add(registered_at=timezone.now() - dt.timedelta(days=200))

    (result,) = services.progress_compute()["targets"]
    assert result["achieved"] == 10 and not result["reached"] and result["reached_on"] is None
    assert result["recent_90_days"] == 9
    expected = timezone.localdate() + dt.timedelta(days=math.ceil(90 / (9 / 90)))
    assert result["projected_on"] == expected.isoformat()
    assert result["on_track"] is True


def test_regional_and_facility_targets_count_only_their_scope(people):
    Target.objects.update(active=False)
    kota = Target.objects.create(
        name="Jakarta Pusat", value=2, kota_id="31.71", period_start=dt.date(2020, 1, 1), period_end=dt.date(2030, 1, 1)
    )
    kecamatan = Target.objects.create(
        name="Menteng",
        value=5,
        kecamatan_id="31.71.06",
        period_start=dt.date(2017, 12, 14),
        period_end=dt.date(2030, 1, 1),
    )
    p4 = Target.objects.create(
        name="Licences",
        metric=Target.Metric.FACILITY_COMPLETED,
        facility_id="P4",
        value=10,
        period_start=dt.date(2017, 12, 14),
        period_end=dt.date(2030, 1, 1),
    )
    people.add("31.71.01", registered_at=at(2021, 1), facilities={"P4": "completed"})
    people.add("31.71.06", registered_at=at(2021, 2), facilities={"P4": "active"})
    people.add("31.71.06", registered_at=at(2019, 2))  # before the kota target's period
    people.add("31.74.01", registered_at=at(2021, 2), facilities={"P4": "completed"})

    results = {row["id"]: row for row in services.progress_compute()["targets"]}
    assert results[kota.pk]["achieved"] == 2 and results[kota.pk]["reached_on"] == "2021-02"
    assert results[kecamatan.pk]["achieved"] == 2 and not results[kecamatan.pk]["reached"]
    assert results[p4.pk]["achieved"] == 2 and results[p4.pk]["percent"] == 20.0


@pytest.mark.parametrize("size", [10, 300])
def test_the_computation_uses_a_fixed_number_of_queries(seed, size, django_assert_max_num_queries):
    seed(size)
    Target.objects.create(
        name="Kota", value=10, kota_id="31.72", period_start=dt.date(2018, 1, 1), period_end=dt.date(2030, 1, 1)
    )
    # 20 for the registrations' steps, 2 for P5 curation (reports.curation), 3 for P7 (two
    # aggregates and the products), 2 for the P6 outcome step (growth).
    with django_assert_max_num_queries(27):
        snapshot = services.progress_snapshot_create()
    assert snapshot.registered_total == Entrepreneur.objects.counted().count()


def test_a_snapshot_is_stored_with_its_duration_and_headline(seed):
    seed(20)
    snapshot = services.progress_snapshot_create()
    assert snapshot.duration_ms >= 0
    assert snapshot.registered_total == snapshot.data["scopes"]["all"]["totals"]["registered"] > 0
    assert ProgressSnapshot.objects.latest_first().first() == snapshot


def test_a_failure_mid_run_leaves_the_previous_snapshot_latest(seed, monkeypatch):
    seed(10)
    previous = services.progress_snapshot_create()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away half-way")

    monkeypatch.setattr(services, "target_progress", broken)
    with pytest.raises(RuntimeError):
        services.progress_snapshot_create()
    assert list(ProgressSnapshot.objects.all()) == [previous]
    assert not JobLock.objects.exists()


def test_old_snapshots_are_pruned_but_the_new_one_is_kept(settings):
    settings.PROGRESS_SNAPSHOT_RETENTION_DAYS = 30
    old = ProgressSnapshot.objects.create(computed_at=timezone.now() - dt.timedelta(days=31))
    recent = ProgressSnapshot.objects.create(computed_at=timezone.now() - dt.timedelta(days=29))
    new = services.progress_snapshot_create()
    assert set(ProgressSnapshot.objects.all()) == {recent, new}
    assert not ProgressSnapshot.objects.filter(pk=old.pk).exists()


def test_the_row_lock_lets_one_holder_in_and_expires():
    now = timezone.now()
    assert services._row_lock_acquire("first", now=now)
    assert not services._row_lock_acquire("second", now=now)
    services._row_lock_release("second")  # not the holder: nothing happens
    assert not services._row_lock_acquire("second", now=now)
    # A crashed holder blocks others only until the lock expires.
    assert services._row_lock_acquire("third", now=now + services.ROW_LOCK_TTL + dt.timedelta(seconds=1))
    services._row_lock_release("third")
    assert services._row_lock_acquire("fourth", now=now)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite fallback lock; PostgreSQL uses advisory locks")
def test_a_run_while_another_holds_the_lock_does_nothing_on_sqlite():
    JobLock.objects.create(
        name=services.LOCK_NAME, token="someone-else", locked_until=timezone.now() + dt.timedelta(minutes=5)
    )
    assert services.progress_snapshot_create() is None
    assert not ProgressSnapshot.objects.exists()
    JobLock.objects.all().delete()
    assert services.progress_snapshot_create() is not None
    assert services.progress_snapshot_create() is not None  # the lock was released
    assert ProgressSnapshot.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads racing on an advisory lock need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_do_the_work_once(seed, monkeypatch):
    seed(10)
    inside, release = threading.Event(), threading.Event()
    real_compute = services.progress_compute
    results = {}

    def slow_compute(**kwargs):
        if threading.current_thread().name == "first-run":
            inside.set()
            release.wait(timeout=30)
        return real_compute(**kwargs)

    monkeypatch.setattr(services, "progress_compute", slow_compute)

    def first_run():
        from django.db import connections

        try:
            results["first"] = services.progress_snapshot_create()
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_run, name="first-run")
    thread.start()
    assert inside.wait(timeout=30)
    results["second"] = services.progress_snapshot_create()
    release.set()
    thread.join(timeout=60)

    assert results["second"] is None
    assert results["first"] is not None
    assert ProgressSnapshot.objects.count() == 1
