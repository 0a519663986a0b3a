"""The back office's lists at scale: a fixed number of queries whatever the rows, and the
capped (or estimated) count of large tables."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN, ActivityFactory, center
from registrations.models import Attendance, Entrepreneur
from registrations.tests.admin_fixtures import admin_url
from registrations.tests.factories import (
    BusinessFactory,
    EnrollmentFactory,
    EntrepreneurFactory,
)

pytestmark = pytest.mark.django_db


# --- query counts: fixed, independent of the number of rows ---


def make_rows(n: int) -> None:
    for i in range(n):
        person = EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN if i % 2 else MENTENG_KELURAHAN)
        BusinessFactory(entrepreneur=person)
        EnrollmentFactory(entrepreneur=person)
        activity = ActivityFactory(center=center("31.71.01")) if i < 3 else None
        if activity:
            Attendance.objects.create(activity=activity, entrepreneur=person)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


LIST_PAGES = [
    ("registrations_entrepreneur_changelist", 13),
    ("registrations_enrollment_changelist", 13),
    ("registrations_business_changelist", 11),
    ("facilities_activity_changelist", 13),
    ("registrations_attendance_changelist", 13),
]


@pytest.mark.parametrize("user_fixture", ["dina", "alice"])
def test_changelists_use_a_fixed_number_of_queries(
    client, request, monkeypatch, user_fixture, django_assert_max_num_queries
):
    from registrations.admin import base as admin_base

    # 10 rows are counted exactly, 200 rows pass the cap: the same queries either way.
    monkeypatch.setattr(admin_base, "COUNT_CAP", 50)
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    make_rows(10)
    small = {name: queries_for(client, admin_url(name)) for name, _limit in LIST_PAGES}
    make_rows(190)
    for name, limit in LIST_PAGES:
        with django_assert_max_num_queries(limit):
            assert client.get(admin_url(name)).status_code == 200
        assert queries_for(client, admin_url(name)) == small[name], name


def test_change_views_use_a_fixed_number_of_queries(client, dina, django_assert_max_num_queries):
    client.force_login(dina)
    person = EntrepreneurFactory(user=None)
    BusinessFactory(entrepreneur=person)
    enrolment = EnrollmentFactory(entrepreneur=person, facility_id="P3")
    activity = ActivityFactory(center=center("31.71.01"))
    attendance = Attendance.objects.create(activity=activity, entrepreneur=person)
    pages = [
        admin_url("registrations_entrepreneur_change", person.pk),
        admin_url("registrations_enrollment_change", enrolment.pk),
        admin_url("facilities_activity_change", activity.pk),
        admin_url("registrations_attendance_change", attendance.pk),
        admin_url("registrations_business_change", person.business.pk),
        admin_url("registrations_entrepreneur_history", person.pk),
    ]
    for url in pages:  # warm the content-type cache
        client.get(url)
    small = [queries_for(client, url) for url in pages]
    for code in ("P2", "P4", "P5", "P6", "P7"):
        EnrollmentFactory(entrepreneur=person, facility_id=code)
    for _ in range(30):
        Attendance.objects.create(activity=activity, entrepreneur=EntrepreneurFactory(user=None))
    for url, before in zip(pages, small, strict=True):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200
        assert queries_for(client, url) == before, url


# --- large tables ---


def test_a_list_under_the_cap_is_counted_exactly(dina):
    from registrations.admin import base as admin_base

    for _ in range(3):
        EntrepreneurFactory(user=None)
    paginator = admin_base.EstimatedCountPaginator(Entrepreneur.objects.order_by("-id"), 50)
    assert (paginator.count, paginator.count_kind, paginator.count_label) == (3, "exact", "3")
    filtered = admin_base.EstimatedCountPaginator(Entrepreneur.objects.filter(gender="L").order_by("-id"), 50)
    assert filtered.count == Entrepreneur.objects.filter(gender="L").count()


def test_a_filtered_list_past_the_cap_says_cap_plus(monkeypatch, dina):
    from registrations.admin import base as admin_base

    monkeypatch.setattr(admin_base, "COUNT_CAP", 2)
    for _ in range(3):
        EntrepreneurFactory(user=None, status=Entrepreneur.Status.VERIFIED)
    paginator = admin_base.EstimatedCountPaginator(Entrepreneur.objects.verified().order_by("-id"), 50)
    assert (paginator.count, paginator.count_kind, paginator.count_label) == (2, "capped", "2+")


def test_the_unfiltered_list_past_the_cap_shows_the_table_estimate_on_postgresql(monkeypatch, dina):
    from django.db import connection

    from registrations.admin import base as admin_base

    monkeypatch.setattr(admin_base, "COUNT_CAP", 2)
    for _ in range(3):
        EntrepreneurFactory(user=None)
    paginator = admin_base.EstimatedCountPaginator(Entrepreneur.objects.order_by("-id"), 50)
    if connection.vendor != "postgresql":  # no table statistics: the cap, as for a filter
        assert (paginator.count, paginator.count_label) == (2, "2+")
        return
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pg_class SET reltuples = 12345 WHERE oid = 'registrations_entrepreneur'::regclass")
    with translation.override("en"):
        assert (paginator.count, paginator.count_kind, paginator.count_label) == (12345, "estimate", "about 12,345")


def test_a_user_who_sees_nothing_costs_no_count(carol, django_assert_num_queries):
    from registrations.admin import base as admin_base
    from registrations.selectors import entrepreneurs_visible_to

    EntrepreneurFactory(user=None)
    paginator = admin_base.EstimatedCountPaginator(entrepreneurs_visible_to(carol).order_by("-id"), 50)
    with django_assert_num_queries(0):
        assert paginator.count == 0


@pytest.mark.parametrize("user_fixture", ["dina", "alice"])
def test_the_changelist_shows_the_capped_count_with_the_same_queries(
    client, request, english, monkeypatch, user_fixture
):
    from registrations.admin import base as admin_base

    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    monkeypatch.setattr(admin_base, "COUNT_CAP", 5)
    url = admin_url("registrations_entrepreneur_changelist") + "?status__exact=submitted&q=aminah"

    def gambir_rows(n):
        for _ in range(n):
            EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN, full_name="Siti Aminah")
        Entrepreneur.objects.update(status=Entrepreneur.Status.SUBMITTED)

    gambir_rows(4)
    under = queries_for(client, url)
    assert "4 results" in client.get(url).content.decode()
    gambir_rows(20)
    assert queries_for(client, url) == under
    page = client.get(url).content.decode()
    assert "5+ results" in page
    assert "5+ entrepreneurs" in page
    assert "Select all 5+ entrepreneurs" in page
