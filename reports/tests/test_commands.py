import datetime as dt
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from registrations.models import Business, Enrollment, Entrepreneur
from registrations.tests.factories import EntrepreneurFactory
from registrations.validators import check_nik_consistency, parse_nik

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_valid_entrepreneurs_spread_over_jakarta(seed):
    seed(400)
    entrepreneurs = Entrepreneur.objects.all()
    assert entrepreneurs.count() == 400
    assert entrepreneurs.values("kecamatan_id").distinct().count() > 30
    assert entrepreneurs.values("kecamatan__kota_id").distinct().count() == 6
    for entrepreneur in entrepreneurs:
        parse_nik(entrepreneur.nik)
        check_nik_consistency(entrepreneur.nik, birth_date=entrepreneur.birth_date, gender=entrepreneur.gender)
        assert re.fullmatch(r"\+628[0-9]{8,11}", entrepreneur.phone)
        assert entrepreneur.kelurahan.kecamatan_id == entrepreneur.kecamatan_id
        assert entrepreneur.home_center.kecamatan_id == entrepreneur.kecamatan_id
        assert dt.date(2017, 12, 14) <= timezone.localdate(entrepreneur.registered_at) <= timezone.localdate()
        assert entrepreneur.legacy_id.startswith("demo-")
    assert Business.objects.count() > 200


def test_seed_demo_follows_the_growth_curve_and_the_funnel(seed):
    seed(600)
    entrepreneurs = Entrepreneur.objects.all()
    by_end_2020 = entrepreneurs.filter(registered_at__lt=dt.datetime(2020, 12, 16, tzinfo=dt.UTC)).count()
    # Real programme: 200,000 of about 480,000 by now; the demo is scaled to its size.
    assert 0.3 < by_end_2020 / 600 < 0.55
    reached = dict(
        Enrollment.objects.exclude(state="cancelled")
        .filter(entrepreneur__status__in=["submitted", "verified"])
        .values_list("facility_id")
        .annotate(n=Count("entrepreneur", distinct=True))
    )
    assert reached["P1"] == Entrepreneur.objects.counted().count()
    assert reached["P1"] > reached["P2"] > reached["P5"] > reached["P7"]
    assert 0.5 < reached["P2"] / reached["P1"] < 0.75
    states = set(Enrollment.objects.values_list("state", flat=True))
    assert states == {"requested", "active", "completed", "cancelled"}
    assert not Enrollment.objects.filter(state="completed", completed_at__isnull=True).exists()


def test_seed_demo_is_deterministic_with_a_seed(seed):
    # The first run is rolled back (its products, reports and loans protect their people from a
    # delete), so the second starts from the same empty database.
    with transaction.atomic():
        seed(50, seed=3)
        first = list(Entrepreneur.objects.order_by("legacy_id").values_list("nik", "registered_at", "kecamatan_id"))
        transaction.set_rollback(True)
    assert first and not Entrepreneur.objects.exists()
    seed(50, seed=3)
    second = list(Entrepreneur.objects.order_by("legacy_id").values_list("nik", "registered_at", "kecamatan_id"))
    assert [row[0] for row in first] == [row[0] for row in second]
    assert [row[2] for row in first] == [row[2] for row in second]


def test_seed_demo_adds_to_earlier_demo_data(seed):
    seed(20)
    seed(30)
    assert Entrepreneur.objects.count() == 50
    assert Entrepreneur.objects.values("nik").distinct().count() == 50


def test_seed_demo_refuses_to_pollute_a_production_database(settings):
    settings.DEBUG = False
    EntrepreneurFactory()
    with pytest.raises(CommandError, match="not demo data"):
        call_command("seed_demo", entrepreneurs=5)
    assert Entrepreneur.objects.count() == 1
    call_command("seed_demo", entrepreneurs=5, force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Entrepreneur.objects.count() == 6


def test_seed_demo_prints_its_progress(capsys):
    call_command("seed_demo", entrepreneurs=12, batch=5)
    out = capsys.readouterr().out
    assert "5/12 entrepreneurs" in out and "Seeded 12 demo entrepreneurs" in out
