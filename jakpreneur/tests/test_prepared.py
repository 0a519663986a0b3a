"""PreparedQuery: a queryset compiled once, run with other values in place of its stand-ins,
giving the same instances as the ORM (related objects, annotations through their converters)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import F, JSONField, OuterRef, Subquery, Value
from django.db.models.functions import JSONObject

from jakpreneur.prepared import PreparedQuery
from registrations.models import Business, Enrollment, Entrepreneur
from registrations.tests.factories import BusinessFactory, EnrollmentFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db

STAND_IN = -8_214_736_591


def build_counting(calls: list):
    def build(user_id):
        calls.append(user_id)
        latest = (
            Enrollment.objects.filter(entrepreneur=OuterRef("pk"))
            .order_by("-requested_at", "-id")
            .values(enrolment=JSONObject(facility="facility_id", state="state"))[:1]
        )
        return (
            Entrepreneur.objects.select_related("business")
            .filter(user_id=user_id)
            .annotate(latest=Subquery(latest, output_field=JSONField()), shout=F("full_name"), one=Value(1))[:1]
        )

    return build


def test_it_gives_what_the_orm_gives_for_each_value_compiled_once(django_assert_num_queries):
    siti = EntrepreneurFactory(full_name="Siti Rahmawati")
    BusinessFactory(entrepreneur=siti, name="Warung Siti")
    EnrollmentFactory(entrepreneur=siti, facility_id="P2")
    budi = EntrepreneurFactory(full_name="Budi Santoso")
    calls = []
    query = PreparedQuery(build_counting(calls), stand_ins=(STAND_IN,))

    query.first(siti.user_id)  # the first call compiles (and may ask the database about its features)
    with django_assert_num_queries(1):
        got = query.first(siti.user_id)
    expected = build_counting([])(siti.user_id).first()
    assert (got.pk, got.full_name, got.birth_date, got.registered_at) == (
        expected.pk,
        expected.full_name,
        expected.birth_date,
        expected.registered_at,
    )
    with django_assert_num_queries(0):
        assert got.business.name == "Warung Siti"  # select_related, as the ORM
    assert got.latest == {"facility": "P2", "state": "requested"} == expected.latest  # JSON decoded
    assert (got.shout, got.one) == ("Siti Rahmawati", 1)
    assert got._state.adding is False and got._state.db == "default"

    other = query.first(budi.user_id)
    assert (other.pk, other.latest) == (budi.pk, None)
    with django_assert_num_queries(0), pytest.raises(Business.DoesNotExist):
        other.business  # known to be missing, as the ORM knows it  # noqa: B018
    assert query.first(10**9) is None
    assert calls == [STAND_IN]  # built and compiled once


def test_another_key_builds_it_again():
    siti = EntrepreneurFactory()
    calls = []
    query = PreparedQuery(build_counting(calls), stand_ins=(STAND_IN,))
    query.first(siti.user_id, key="a")
    query.first(siti.user_id, key="a")
    query.first(siti.user_id, key="b")
    assert calls == [STAND_IN, STAND_IN]


def test_a_stand_in_the_query_does_not_use_is_refused():
    query = PreparedQuery(lambda user_id: Entrepreneur.objects.filter(pk=1)[:1], stand_ins=(STAND_IN,))
    with pytest.raises(ValueError, match="stand-in"):
        query.first(1)


def test_all_gives_every_row_with_each_stand_in_replaced():
    siti, budi = EntrepreneurFactory(), EntrepreneurFactory()
    for code in ("P2", "P3"):
        EnrollmentFactory(entrepreneur=siti, facility_id=code)
    EnrollmentFactory(entrepreneur=budi, facility_id="P4")
    query = PreparedQuery(
        lambda a, b: Enrollment.objects.filter(entrepreneur_id__in=[a, b]).order_by("facility_id"),
        stand_ins=(STAND_IN, STAND_IN - 1),
    )
    assert [e.facility_id for e in query.all(siti.pk, budi.pk)] == ["P2", "P3", "P4"]
    assert [e.facility_id for e in query.all(budi.pk, 10**9)] == ["P4"]
    assert query.all(10**9, 10**9 + 1) == []


# --- prepared on the server (PostgreSQL) ------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side prepared statements are PostgreSQL's"
)


def _prepared_statements() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        return dict(cursor.fetchall())


@postgresql_only
def test_on_postgresql_it_is_prepared_once_per_connection_then_executed(settings, django_assert_num_queries):
    settings.JAKPRENEUR_PREPARED_STATEMENTS = True
    siti, budi = EntrepreneurFactory(full_name="Siti Rahmawati"), EntrepreneurFactory(full_name="Budi Santoso")
    query = PreparedQuery(build_counting([]), stand_ins=(STAND_IN,))

    before = set(_prepared_statements())
    assert query.first(siti.user_id).full_name == "Siti Rahmawati"
    (name,) = set(_prepared_statements()) - before
    assert "registrations_entrepreneur" in _prepared_statements()[name]
    with django_assert_num_queries(1) as captured:
        got = query.first(budi.user_id)
    assert captured.captured_queries[0]["sql"].startswith(f"EXECUTE {name} (")
    assert (got.full_name, got.latest, got.one) == ("Budi Santoso", None, 1)  # converters as before
    assert query.first(10**9) is None


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_it_again(settings):
    settings.JAKPRENEUR_PREPARED_STATEMENTS = True
    siti = EntrepreneurFactory(full_name="Siti Rahmawati")
    query = PreparedQuery(build_counting([]), stand_ins=(STAND_IN,))
    before = set(_prepared_statements())
    assert query.first(siti.user_id).full_name == "Siti Rahmawati"
    (name,) = set(_prepared_statements()) - before

    # CONN_MAX_AGE passed, or a health check failed: the next request opens a new connection,
    # which has no prepared statements of its own.
    connection.close()
    assert _prepared_statements() == {}
    assert query.first(siti.user_id).full_name == "Siti Rahmawati"
    assert name in _prepared_statements()


@postgresql_only
def test_a_query_postgresql_cannot_prepare_runs_as_plain_sql_in_the_same_transaction(settings):
    settings.JAKPRENEUR_PREPARED_STATEMENTS = True
    siti = EntrepreneurFactory(full_name="Siti Rahmawati")
    # A parameter whose type nothing around it tells: PREPARE refuses "$2 IS NULL".
    query = PreparedQuery(
        lambda user_id: Entrepreneur.objects.filter(user_id=user_id).extra(where=["%s IS NULL"], params=[None])[:1],
        stand_ins=(STAND_IN,),
    )
    before = set(_prepared_statements())
    with transaction.atomic():
        assert query.first(siti.user_id).pk == siti.pk
        assert Entrepreneur.objects.filter(pk=siti.pk).exists()  # the transaction is still usable
    assert set(_prepared_statements()) == before  # nothing prepared: it ran as plain SQL


@postgresql_only
@pytest.mark.parametrize("switch", ["setting off", "no persistent connections"])
def test_nothing_is_prepared_when_switched_off_or_connections_do_not_persist(settings, switch):
    settings.JAKPRENEUR_PREPARED_STATEMENTS = switch != "setting off"
    siti = EntrepreneurFactory()
    query = PreparedQuery(build_counting([]), stand_ins=(STAND_IN,))
    max_age = connection.settings_dict["CONN_MAX_AGE"]
    if switch == "no persistent connections":
        connection.settings_dict["CONN_MAX_AGE"] = 0
    try:
        before = set(_prepared_statements())
        assert query.first(siti.user_id).pk == siti.pk
        assert set(_prepared_statements()) == before
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = max_age


def test_percent_signs_and_placeholders_are_numbered_for_prepare():
    from jakpreneur.prepared import _numbered

    assert _numbered("SELECT a FROM t WHERE b = %s AND c LIKE 'x%%' AND d IN (%s, %s)") == (
        "SELECT a FROM t WHERE b = $1 AND c LIKE 'x%' AND d IN ($2, $3)"
    )


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_statements_the_server_forgot_are_prepared_again(settings):
    """A pool that resets server connections between clients (DISCARD ALL, DEALLOCATE ALL)
    takes the statements away under the same connection."""
    settings.JAKPRENEUR_PREPARED_STATEMENTS = True
    siti = EntrepreneurFactory(full_name="Siti Rahmawati")
    query = PreparedQuery(build_counting([]), stand_ins=(STAND_IN,))
    assert query.first(siti.user_id).full_name == "Siti Rahmawati"
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert query.first(siti.user_id).full_name == "Siti Rahmawati"  # outside a transaction: again
    assert len(_prepared_statements()) == 1

    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with pytest.raises(DatabaseError), transaction.atomic():
        query.first(siti.user_id)  # inside one the error has aborted it: it stands
    assert query.first(siti.user_id).full_name == "Siti Rahmawati"  # and the next call prepares again
