"""JSONRows: a queryset's rows carried as JSON in another query's row and read back as the
instances the ORM gives (every field, its type, no query when read), on SQLite and PostgreSQL."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, OuterRef
from django.utils import timezone

from jakpreneur.json_rows import JSONRows
from outbox.models import Job
from registrations.models import Enrollment, Entrepreneur
from registrations.tests.factories import EnrollmentFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db

FIELDS = [field.attname for field in Enrollment._meta.concrete_fields]


def _read(rows: JSONRows, entrepreneur) -> list:
    value = Entrepreneur.objects.filter(pk=entrepreneur.pk).values_list(rows.expression(), flat=True).get()
    return rows.instances(value)


def test_the_instances_are_what_the_orm_reads_field_by_field(django_assert_num_queries):
    siti = EntrepreneurFactory()
    started = dt.datetime(2026, 3, 1, 23, 59, 59, 123456, tzinfo=dt.UTC)  # a Jakarta date after UTC's
    EnrollmentFactory(
        entrepreneur=siti,
        facility_id="P7",
        state="active",
        started_at=started,
        note='=HYPERLINK("x") ‘kutip’ "dobel" \\ garis\nbaris\ttab \x01',
        financing_amount=Decimal("150000000"),
        financing_provider="Bank DKI",
    )
    EnrollmentFactory(entrepreneur=siti, facility_id="P2", center=None)
    EnrollmentFactory(facility_id="P3")  # somebody else's
    rows = JSONRows(Enrollment.objects.filter(entrepreneur_id=OuterRef("pk")))

    got = sorted(_read(rows, siti), key=lambda e: e.pk)

    expected = list(Enrollment.objects.filter(entrepreneur=siti).order_by("pk"))
    assert len(got) == len(expected) == 2
    for mine, orms in zip(got, expected, strict=True):
        for name in FIELDS:
            assert (name, getattr(mine, name)) == (name, getattr(orms, name))
            assert type(getattr(mine, name)) is type(getattr(orms, name))
        assert mine.get_deferred_fields() == set()
        assert (mine._state.adding, mine._state.db) == (False, "default")
    assert got[0].started_at == started and got[0].started_at.tzinfo is not None
    assert got[0].financing_amount == Decimal("150000000")
    with django_assert_num_queries(0):
        [getattr(e, name) for e in got for name in FIELDS]


def test_no_rows_are_an_empty_list():
    rows = JSONRows(Enrollment.objects.filter(entrepreneur_id=OuterRef("pk")))
    assert _read(rows, EntrepreneurFactory()) == []
    assert rows.instances(None) == []


def test_a_limit_applies_with_the_querysets_order_and_extra_values_come_along():
    siti = EntrepreneurFactory()
    now = timezone.now()
    for days, code in [(3, "P2"), (1, "P3"), (2, "P4"), (4, "P5")]:
        EnrollmentFactory(entrepreneur=siti, facility_id=code, requested_at=now - dt.timedelta(days=days))
    newest_two = (
        Enrollment.objects.filter(entrepreneur_id=OuterRef("pk"))
        .annotate(same_facility=Count("facility__enrollments"))
        .order_by("-requested_at")[:2]
    )
    rows = JSONRows(newest_two, extra=("same_facility",))

    got = sorted(_read(rows, siti), key=lambda e: e.requested_at, reverse=True)

    assert [(e.facility_id, e.same_facility) for e in got] == [("P3", 1), ("P4", 1)]


def test_a_model_with_a_field_it_cannot_read_back_is_refused_when_built():
    with pytest.raises(ValueError, match="cannot read back Job.args, kwargs"):
        JSONRows(Job.objects.all())
