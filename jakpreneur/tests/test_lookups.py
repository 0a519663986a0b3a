"""`AnyOf`: the same rows as `__in`, whatever the values hold (quotes, backslashes, commas,
braces, the word NULL), on PostgreSQL's array path and the IN list elsewhere."""

import datetime as dt

import pytest
from django.db.models import F

from jakpreneur.lookups import AnyOf, postgres_array
from registrations.models import User

pytestmark = pytest.mark.django_db

AWKWARD = ['a"b@x.id', "c\\d@x.id", "e,f@x.id", "{g}@x.id", "null@x.id", "h i@x.id"]


def test_it_finds_exactly_the_rows_named_by_text_and_by_id():
    users = [User.objects.create_user(email=email) for email in [*AWKWARD, "other@x.id"]]
    found = set(User.objects.filter(AnyOf(F("email"), AWKWARD)).values_list("email", flat=True))
    assert found == set(AWKWARD)
    ids = [users[0].pk, users[2].pk]
    assert set(User.objects.filter(AnyOf(F("pk"), ids)).values_list("pk", flat=True)) == set(ids)
    assert not User.objects.filter(AnyOf(F("pk"), [])).exists()
    assert set(User.objects.filter(AnyOf(F("email"), AWKWARD)).filter(pk__in=ids).values_list("pk", flat=True)) == set(
        ids
    )


def test_an_array_literal_quotes_what_needs_quoting():
    assert postgres_array([1, 2, 3]) == "{1,2,3}"
    assert (
        postgres_array(['a"b', "c\\d", None, True, dt.date(2026, 1, 1)]) == '{"a\\"b","c\\\\d",NULL,"t","2026-01-01"}'
    )
