"""Factories for people. `make_nik` builds a NIK that is consistent with a birth date and
gender, so generated entrepreneurs pass the same validation as real ones."""

import datetime as dt
import random

import factory
from django.utils import timezone

from facilities.models import Center, Kelurahan
from facilities.tests.factories import GAMBIR_KELURAHAN
from registrations.models import Business, Enrollment, Entrepreneur, User


def make_nik(birth_date: dt.date, gender: str, serial: int, region: str = "317101") -> str:
    day = birth_date.day + (40 if gender == "P" else 0)
    return f"{region}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial % 9999 + 1:04d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password("correct-horse-battery-staple")


class EntrepreneurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrepreneur

    class Params:
        kelurahan_code = GAMBIR_KELURAHAN

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Warga Jakarta {n}")
    birth_date = factory.LazyFunction(lambda: dt.date(1970, 1, 1) + dt.timedelta(days=random.randint(0, 365 * 30)))
    gender = factory.Iterator(["L", "P"])
    nik = factory.LazyAttributeSequence(lambda o, n: make_nik(o.birth_date, o.gender, n))
    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "")
    kelurahan = factory.LazyAttribute(lambda o: Kelurahan.objects.get(code=o.kelurahan_code))
    kecamatan = factory.LazyAttribute(lambda o: o.kelurahan.kecamatan)
    home_center = factory.LazyAttribute(lambda o: Center.objects.get(kecamatan=o.kecamatan))
    address = "Jl. Medan Merdeka Barat No. 1"
    track = Entrepreneur.Track.PEMULA
    consent_at = factory.LazyFunction(timezone.now)


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    entrepreneur = factory.SubFactory(EntrepreneurFactory)
    name = factory.Sequence(lambda n: f"Warung Berkah {n}")
    sector = Business.Sector.CULINARY
    workers = 2
    turnover_band = Business.TurnoverBand.UNDER_5M


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    entrepreneur = factory.SubFactory(EntrepreneurFactory)
    facility_id = "P2"
    center = factory.LazyAttribute(lambda o: o.entrepreneur.home_center)
    state = Enrollment.State.REQUESTED
