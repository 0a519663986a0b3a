"""Issue 15: the back office as staff use it. The admin index starts with the staff member's
work in their own scope (jakpreneur.work_panels), each figure a link to the filtered list; the
entrepreneur list shows short track labels and a drop-down kecamatan filter."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN, ActivityFactory, center
from jakpreneur import work_panels
from registrations import selectors
from registrations.models import Entrepreneur
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

WAITING = "/admin/registrations/entrepreneur/?status__exact=submitted"


@pytest.fixture
def english_client(client):
    client.cookies["django_language"] = "en"
    return client


def _waiting(kelurahan: str, count: int) -> None:
    for _ in range(count):
        EntrepreneurFactory(kelurahan_code=kelurahan, status=Entrepreneur.Status.SUBMITTED, user=None)


def _starting(kecamatan: str, when: dt.datetime, count: int = 1) -> None:
    for _ in range(count):
        ActivityFactory(
            center=center(kecamatan),
            starts_at=when,
            ends_at=when + dt.timedelta(hours=2),
            registration_deadline=when - dt.timedelta(hours=1),
        )


def _panels(response) -> dict[str, list[work_panels.WorkItem]]:
    return {panel.key: items for panel, items in response.context["work_panels"]}


@pytest.fixture
def work():
    """Gambir: 2 waiting, 1 activity today (in an hour: today unless it is 23:00 in Jakarta,
    then tomorrow and this week: the test allows for both); Menteng: 3 waiting, 2 activities
    today."""
    _waiting(GAMBIR_KELURAHAN, 2)
    _waiting(MENTENG_KELURAHAN, 3)
    EntrepreneurFactory(kelurahan_code=GAMBIR_KELURAHAN, status=Entrepreneur.Status.VERIFIED, user=None)
    now = timezone.localtime()
    today_noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    _starting("31.71.01", today_noon)
    _starting("31.71.06", today_noon, 2)
    _starting("31.71.01", today_noon - dt.timedelta(days=30))  # long ago: in neither


def test_alice_sees_the_work_of_gambir_only_each_a_link_to_the_filtered_list(english_client, alice, work):
    english_client.force_login(alice)
    response = english_client.get("/admin/")
    assert response.status_code == 200
    panels = _panels(response)
    [waiting] = panels["registrations.verification"]
    assert (waiting.count, waiting.url) == (2, WAITING)
    today, week = panels["registrations.activities"]
    assert today.count == 1 and today.url == "/admin/facilities/activity/?when=today"
    assert week.count >= 1 and week.url == "/admin/facilities/activity/?when=week"
    body = response.content.decode()
    assert body.index('id="work-panels"') < body.index('id="progress-summary"')
    assert f'href="{WAITING}"' in body and "Registrations waiting for verification" in body
    # The list the link opens shows the same rows.
    listed = english_client.get(WAITING)
    assert listed.context["cl"].result_count == 2
    assert english_client.get(today.url).context["cl"].result_count == 1


def test_the_dinas_sees_all_kecamatan(client, dina, work):
    client.force_login(dina)
    panels = _panels(client.get("/admin/"))
    assert panels["registrations.verification"][0].count == 5
    assert panels["registrations.activities"][0].count == 3


def test_staff_without_a_kecamatan_see_zero(client, carol, work):
    client.force_login(carol)
    panels = _panels(client.get("/admin/"))
    assert panels["registrations.verification"][0].count == 0
    assert panels["registrations.activities"][0].count == 0


def test_the_admin_index_costs_a_fixed_number_of_queries(client, alice, work, django_assert_max_num_queries):
    client.force_login(alice)
    client.get("/admin/")
    with django_assert_max_num_queries(14) as few:
        client.get("/admin/")
    _waiting(GAMBIR_KELURAHAN, 25)
    _starting("31.71.01", timezone.now() + dt.timedelta(hours=1), 10)
    with django_assert_max_num_queries(len(few)):
        assert client.get("/admin/").status_code == 200


def test_the_when_filter_lists_today_this_week_and_upcoming_and_refuses_other_values(client, dina):
    now = timezone.localtime()
    monday = (now - dt.timedelta(days=now.weekday())).replace(hour=9, minute=0, second=0, microsecond=0)
    _starting("31.71.01", monday)
    _starting("31.71.01", monday + dt.timedelta(days=6, hours=10))  # Sunday evening: this week
    _starting("31.71.01", monday + dt.timedelta(days=7, hours=1))  # next Monday: not this week
    _starting("31.71.01", monday - dt.timedelta(hours=10))  # last Sunday: not this week
    client.force_login(dina)
    assert client.get("/admin/facilities/activity/", {"when": "week"}).context["cl"].result_count == 2
    upcoming = selectors.activities_in_period(selectors.activities_visible_to(dina), "upcoming").count()
    assert client.get("/admin/facilities/activity/", {"when": "upcoming"}).context["cl"].result_count == upcoming
    response = client.get("/admin/facilities/activity/", {"when": "yesterday"})
    assert response.status_code == 302 and "e=1" in response.url  # the admin's "incorrect lookup"


def test_activity_periods_follow_jakarta_days():
    jakarta = timezone.get_fixed_timezone(7 * 60)
    now = dt.datetime(2026, 12, 2, 0, 30, tzinfo=dt.UTC)  # Wednesday 07:30 in Jakarta
    start, end = selectors.activity_period_bounds("today", now=now)
    assert start == dt.datetime(2026, 12, 2, 0, 0, tzinfo=jakarta) and end - start == dt.timedelta(days=1)
    late = dt.datetime(2026, 12, 1, 18, 0, tzinfo=dt.UTC)  # Wednesday 01:00 in Jakarta, Tuesday in UTC
    assert selectors.activity_period_bounds("today", now=late)[0] == start
    monday, sunday_end = selectors.activity_period_bounds("week", now=now)
    assert monday == dt.datetime(2026, 11, 30, 0, 0, tzinfo=jakarta) and sunday_end - monday == dt.timedelta(days=7)
    assert selectors.activity_period_bounds("upcoming", now=now) == (now, None)
    with pytest.raises(ValueError):
        selectors.activity_period_bounds("someday", now=now)


# --- the registry ---------------------------------------------------------------------------------


def test_a_panel_is_shown_only_to_those_with_its_permission_and_counts_are_capped(alice, dina, monkeypatch):
    monkeypatch.setattr(work_panels, "COUNT_CAP", 3)
    monkeypatch.setattr(work_panels, "_PANELS", dict(work_panels._PANELS))
    _waiting(GAMBIR_KELURAHAN, 5)
    work_panels.register(
        work_panels.WorkPanel(
            key="test.overdue",
            title="Overdue",
            order=5,
            permission="registrations.import_entrepreneur",  # the Dinas only
            items=lambda request: [
                work_panels.item("All waiting", selectors.entrepreneurs_visible_to(request.user), "/x/")
            ],
        )
    )
    request = RequestFactory().get("/admin/")
    request.user = dina
    panels = work_panels.panels_for(request)
    assert panels[0][0].key == "test.overdue"  # order 5: first
    assert panels[0][1][0].count == 3 and panels[0][1][0].capped
    request.user = alice
    assert "test.overdue" not in [panel.key for panel, _items in work_panels.panels_for(request)]
    work_panels.unregister("test.overdue")
    assert "test.overdue" not in [panel.key for panel in work_panels.registered()]


def test_a_capped_count_shows_a_plus(client, dina, monkeypatch):
    monkeypatch.setattr(work_panels, "COUNT_CAP", 2)
    _waiting(GAMBIR_KELURAHAN, 3)
    client.force_login(dina)
    assert '<span class="work-count">2+</span>' in client.get("/admin/").content.decode()


# --- the entrepreneur list --------------------------------------------------------------------------


def test_the_track_column_shows_short_labels(english_client, alice):
    EntrepreneurFactory(kelurahan_code=GAMBIR_KELURAHAN, track=Entrepreneur.Track.NAIK_KELAS, user=None)
    english_client.force_login(alice)
    body = english_client.get("/admin/registrations/entrepreneur/").content.decode()
    table = body.split('id="result_list"')[1].split("</table>")[0]
    assert '<td class="field-track_short">Naik kelas</td>' in table
    assert "growing an existing business" not in table


def test_the_kecamatan_filter_is_a_drop_down_of_the_staff_members_kecamatan(english_client, alice, dina):
    english_client.force_login(alice)
    body = english_client.get("/admin/registrations/entrepreneur/").content.decode()
    select = body.split('id="filter-kecamatan"')[1].split("</select>")[0]
    assert select.count("<option") == 2 and "Gambir" in select and "Menteng" not in select  # "All" and Gambir
    english_client.force_login(dina)
    body = english_client.get("/admin/registrations/entrepreneur/", {"kota": "31.71"}).content.decode()
    select = body.split('id="filter-kecamatan"')[1].split("</select>")[0]
    assert select.count("<option") == 9  # "All" and the 8 kecamatan of Jakarta Pusat
    assert "?kecamatan=31.71.06&amp;kota=31.71" in select or "?kota=31.71&amp;kecamatan=31.71.06" in select
    assert 'src="/static/js/admin.js"' in body
