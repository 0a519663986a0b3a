"""Factories for the catalogue. Regions, centres and facilities come from the reference data
migration, so factories look them up instead of inventing new ones."""

import datetime as dt

import factory
from django.utils import timezone

from facilities.models import Activity, Center, Facility, Kelurahan

GAMBIR = "31.71.01"
MENTENG = "31.71.06"
GAMBIR_KELURAHAN = "31.71.01.1001"
MENTENG_KELURAHAN = "31.71.06.1001"


def kelurahan(code: str = GAMBIR_KELURAHAN) -> Kelurahan:
    return Kelurahan.objects.select_related("kecamatan").get(code=code)


def center(kecamatan_code: str = GAMBIR) -> Center:
    return Center.objects.get(kecamatan_id=kecamatan_code)


def facility(code: str) -> Facility:
    return Facility.objects.get(code=code)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    facility = factory.LazyFunction(lambda: Facility.objects.get(code="P2"))
    center = factory.LazyFunction(lambda: Center.objects.get(kecamatan_id=GAMBIR))
    kind = Activity.Kind.CLASS
    title = factory.Sequence(lambda n: f"Kelas pemasaran digital #{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    registration_deadline = factory.LazyAttribute(lambda o: o.starts_at - dt.timedelta(days=1))
    capacity = 20
