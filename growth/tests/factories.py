"""Factories for mentoring and monthly reports."""

import datetime as dt

import factory
from django.utils import timezone

from growth.models import MentorAssignment, MentoringSession, MonthlyReport
from registrations.tests.factories import EntrepreneurFactory


class MentorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorAssignment

    entrepreneur = factory.SubFactory(EntrepreneurFactory)
    assigned_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))


class MentoringSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringSession

    entrepreneur = factory.SubFactory(EntrepreneurFactory)
    date = dt.date(2026, 1, 15)
    mode = MentoringSession.Mode.VISIT
    topics = factory.LazyFunction(lambda: ["finance"])


class MonthlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyReport

    entrepreneur = factory.SubFactory(EntrepreneurFactory)
    # As every write of a report does: the entrepreneur's kecamatan, copied.
    kecamatan_id = factory.SelfAttribute("entrepreneur.kecamatan_id")
    period = dt.date(2026, 1, 1)
    turnover = 15_000_000
    assets = 40_000_000
    workers = 2
