"""The entrepreneur's own page, /me/: who may open it, what it shows (their status,
enrolments, a line of their data and the next few activities, nobody else's), that every
action stays one tap away, and its fixed number of queries; /me/activities/, where every
upcoming activity and sign-up is."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from facilities.models import Activity
from facilities.tests.factories import MENTENG, ActivityFactory, center, facility
from registrations import me_panels, selectors, services
from registrations.models import Attendance, Business, Enrollment
from registrations.tests import me_fixtures
from registrations.tests.factories import BusinessFactory, EnrollmentFactory, UserFactory
from registrations.tests.me_fixtures import ME

pytestmark = pytest.mark.django_db

# Shared fixtures (a module rather than a conftest, so that parallel branches do not collide).
siti = me_fixtures.siti
budi = me_fixtures.budi


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(ME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_staff_account_without_a_registration_gets_a_friendly_page(client, alice):
    client.force_login(alice)
    response = client.get(ME)
    assert response.status_code == 200
    assert reverse("admin:index").encode() in response.content


@pytest.mark.parametrize(
    "path",
    ["/me/facilities/request/", "/me/enrollments/{enrollment}/cancel/", "/me/activities/{activity}/signup/"]
    + ["/me/contact/", "/me/business/"],
)
def test_an_account_without_a_registration_is_sent_to_the_explanation(client, budi, path):
    ids = {"enrollment": EnrollmentFactory(entrepreneur=budi, facility_id="P2").pk, "activity": ActivityFactory().pk}
    client.force_login(UserFactory())
    response = client.post(path.format(**ids), {"facility": "P2", "business_name": "Warung"})
    assert (response.status_code, response["Location"]) == (302, ME)
    assert list(Enrollment.objects.values_list("state", flat=True)) == ["requested"]
    assert not Attendance.objects.exists() and not Business.objects.exists()


@pytest.mark.parametrize("path", ["/me/", "/me/contact/", "/me/business/"])
def test_an_account_without_a_registration_is_told_why_on_me(client, path):
    client.force_login(UserFactory())
    response = client.get(path, follow=True)
    assert response.redirect_chain == ([] if path == ME else [(ME, 302)])
    assert "registrations/me_no_record.html" in [t.name for t in response.templates]


@pytest.fixture
def no_panels(monkeypatch):
    """/me/ without the panels (and facility notes) other apps register: registrations' own
    part of the page."""
    monkeypatch.setattr(me_panels, "_registry", {})
    monkeypatch.setattr(me_panels, "_notes", {})


def test_the_page_shows_status_enrolments_and_data(client, siti, no_panels, django_assert_max_num_queries):
    EnrollmentFactory(entrepreneur=siti, facility_id="P1", state="completed")
    EnrollmentFactory(entrepreneur=siti, facility_id="P2", state="requested")
    EnrollmentFactory(entrepreneur=siti, facility_id="P3", state="active", started_at=timezone.now())
    BusinessFactory(entrepreneur=siti, name="Warung Siti")
    with django_assert_max_num_queries(ME_QUERIES_COLD):
        response = client.get(ME)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hello, Siti Rahmawati" in html
    assert 'data-status="submitted"' in html
    assert "Warung Siti" in html
    assert siti.user.email in html and siti.phone in html
    assert siti.nik not in html  # not even masked: the whole record is on /me/data/
    assert "Cancel my request for P2" in html
    assert "Request P4" in html
    assert "Request P3" not in html  # already active


# Session, user, and the entrepreneur with their business, enrolments and next activities (with
# the entrepreneur's own sign-up for each) in one row. Regions, centres and facilities come
# from the reference cache (facilities/cache.py), the menu's dashboard link from the session.
ME_QUERIES = 3
# The first request of a process also builds the reference cache (regions, centres,
# facilities) and remembers the menu's dashboard link (two permission reads; the session
# write with its savepoint and release).
ME_QUERIES_COLD = ME_QUERIES + 3 + 2 + 3


def _busy_week(entrepreneur, *, activities: int, enrolments: tuple[str, ...]) -> None:
    for code in enrolments:
        EnrollmentFactory(entrepreneur=entrepreneur, facility_id=code, state="requested")
    for i in range(activities):
        activity = ActivityFactory(title=f"Kelas {i}", center=None if i % 2 else center())
        if i % 3 == 0:
            services.attendance_signup(activity=activity, entrepreneur=entrepreneur, actor=entrepreneur.user)


def test_the_page_takes_a_fixed_number_of_queries_however_much_it_shows(
    client, siti, no_panels, django_assert_num_queries
):
    client.get(ME)  # the reference cache and the menu's link, once per process and session
    with django_assert_num_queries(ME_QUERIES):
        assert client.get(ME).status_code == 200
    _busy_week(siti, activities=12, enrolments=("P1", "P2", "P3", "P5", "P7"))
    BusinessFactory(entrepreneur=siti, name="Warung Siti")
    with django_assert_num_queries(ME_QUERIES):
        response = client.get(ME)
    html = response.content.decode()
    assert html.count("data-activity=") == 3  # the next three; all of them on /me/activities/
    assert html.count("You are signed up") == 1  # the first of them (every third is signed up)
    assert "Warung Siti" in html
    assert "Gambir" in html  # the home centre, from the cache


def test_the_enrolments_and_next_activities_read_alone_are_those_of_the_page(siti, django_assert_num_queries):
    """Read for an entrepreneur without /me/'s own row, each is one query and the same list."""
    _busy_week(siti, activities=5, enrolments=("P1", "P2", "P3"))
    EnrollmentFactory(entrepreneur=siti, facility_id="P2", state="cancelled")
    page = selectors.me_page_entrepreneur(user=siti.user)
    plain = selectors.me_entrepreneur(user=siti.user)

    def seen(enrollments, activities):
        return (
            [(e.pk, e.facility_id, e.state, e.requested_at) for e in enrollments],
            [(a.pk, a.taken, a.my_status, a.free_places) for a in activities],
        )

    selectors.me_facility_rows(entrepreneur=page, enrollments=[])  # the reference cache, once per process
    with django_assert_num_queries(0):
        from_page = seen(selectors.me_enrollments(entrepreneur=page), selectors.me_next_activities(entrepreneur=page))
    with django_assert_num_queries(2):
        alone = seen(selectors.me_enrollments(entrepreneur=plain), selectors.me_next_activities(entrepreneur=plain))
    assert from_page == alone
    assert [code for _, code, _, _ in from_page[0]] == ["P1", "P2", "P2", "P3"]  # facility order, newest first
    assert len(from_page[1]) == 3 and from_page[1][0][2] == "registered"  # the first is signed up for


ME_ACTIVITIES = "/me/activities/"
# Session, user, the entrepreneur, the activities (with the person's own sign-up for each).
ME_ACTIVITIES_QUERIES = 4


def test_the_activities_page_lists_every_upcoming_activity_in_a_fixed_number_of_queries(
    client, siti, django_assert_num_queries
):
    client.get(ME_ACTIVITIES)
    with django_assert_num_queries(ME_ACTIVITIES_QUERIES):
        assert b"No activities are planned yet" in client.get(ME_ACTIVITIES).content
    _busy_week(siti, activities=12, enrolments=())
    with django_assert_num_queries(ME_ACTIVITIES_QUERIES):
        response = client.get(ME_ACTIVITIES)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("data-activity=") == 12
    assert html.count("You are signed up") == 4
    assert html.count("Give my place back") == 4
    assert html.count(">Sign up<") == 8


def test_the_activities_page_needs_a_signed_in_entrepreneur(client, alice):
    assert client.get(ME_ACTIVITIES)["Location"].startswith(reverse("login"))
    client.force_login(alice)
    assert client.get(ME_ACTIVITIES)["Location"] == ME
    assert client.post(ME_ACTIVITIES).status_code == 405


def test_each_next_activity_on_me_links_to_its_card_on_the_activities_page(client, siti):
    activity = ActivityFactory(title="Kelas pembukuan")
    html = client.get(ME).content.decode()
    assert f'href="{ME_ACTIVITIES}#activity-{activity.pk}"' in html
    assert f'id="activity-{activity.pk}"' in client.get(ME_ACTIVITIES).content.decode()


# Every page a person could act from on the old, long /me/ is one tap away on the summary.
ONE_TAP_AWAY = [
    "/me/activities/",
    "/me/mentoring/",
    "/me/reports/",
    "/me/products/",
    "/me/curation/",
    "/me/financing/",
    "/me/data/",
    "/me/contact/",
    "/me/business/",
    "/accounts/password_change/",
]


def test_every_action_is_one_tap_away(client, siti):
    html = client.get(ME).content.decode()
    for path in ONE_TAP_AWAY:
        assert f'href="{path}' in html, path
        assert client.get(path).status_code == 200, path


# The whole page with the panels of the apps above registrations: none of their own. Each
# panel is a line whose values (growth's mentor and last report, marketing's counts and latest
# submission, financing's latest application, privacy's deletion request) come with the
# entrepreneur's row through the panels' annotations; the lists are on the apps' own pages.
ME_PAGE_QUERIES = ME_QUERIES


def test_the_whole_page_with_every_panel_takes_the_same_queries_with_more_data(client, siti, django_assert_num_queries):
    client.get(ME)
    with django_assert_num_queries(ME_PAGE_QUERIES):
        assert client.get(ME).status_code == 200
    _busy_week(siti, activities=6, enrolments=("P1", "P2", "P3"))
    BusinessFactory(entrepreneur=siti)
    with django_assert_num_queries(ME_PAGE_QUERIES):
        response = client.get(ME)
    for line in ("mentor", "reports", "products", "financing", "contact", "business", "privacy"):
        assert f'data-line="{line}"' in response.content.decode(), line


def test_the_dashboard_link_is_shown_to_officials_only_and_asked_once_per_session(
    client, siti, olga, no_panels, django_assert_num_queries
):
    assert b'href="/dashboard/"' not in client.get(ME).content
    with django_assert_num_queries(ME_QUERIES):
        assert b'href="/dashboard/"' not in client.get(ME).content
    official = Client()
    official.force_login(olga)
    assert b'href="/dashboard/"' in official.get("/centers/").content
    assert b'href="/dashboard/"' in official.get("/centers/").content


def test_a_new_sign_in_asks_again_for_the_dashboard_link(client, siti, olga):
    client.get(ME)
    client.force_login(olga)  # same browser, another account
    assert b'href="/dashboard/"' in client.get("/centers/").content


def test_a_rejected_entrepreneur_sees_the_reason(client, siti, dina):
    services.entrepreneur_reject(entrepreneur=siti, actor=dina, reason="The KTP photo is unreadable.")
    response = client.get(ME)
    assert 'data-status="rejected"' in response.content.decode()
    assert b"The KTP photo is unreadable." in response.content
    assert b"Request P2" not in response.content


def test_the_page_shows_only_the_entrepreneurs_own_data(client, siti, budi):
    EnrollmentFactory(entrepreneur=budi, facility_id="P5")
    response = client.get(ME)
    assert b"Budi Santoso" not in response.content
    assert budi.user.email.encode() not in response.content


def test_activities_at_the_home_centre_and_province_wide_are_listed_with_free_places(client, siti, budi):
    here = ActivityFactory(title="Kelas pembukuan Gambir", capacity=3)
    everywhere = ActivityFactory(title="Bazar Monas", center=None, facility=facility("P5"))
    elsewhere = ActivityFactory(title="Kelas Menteng", center=center(MENTENG))
    hidden = ActivityFactory(title="Kelas draf", published=False)
    past = ActivityFactory(
        title="Kelas lalu",
        starts_at=timezone.now() - dt.timedelta(days=2),
        registration_deadline=timezone.now() - dt.timedelta(days=3),
    )
    Attendance.objects.create(activity=here, entrepreneur=budi)
    response = client.get(ME_ACTIVITIES)
    html = response.content.decode()
    assert here.title in html and everywhere.title in html
    for other in (elsewhere, hidden, past):
        assert other.title not in html
    assert "2 places left" in html
    assert "You are signed up" not in html  # budi's sign-up is not hers
    html = client.get(ME).content.decode()  # the next ones on /me/ are the same, and no others
    assert here.title in html and everywhere.title in html
    for other in (elsewhere, hidden, past):
        assert other.title not in html


def test_each_activity_shows_its_kind_in_the_visitors_language(client, siti):
    ActivityFactory(title="Bazar Monas", center=None, kind=Activity.Kind.BAZAAR)
    ActivityFactory(title="Klinik NIB", kind=Activity.Kind.CLINIC)
    html = client.get(ME_ACTIVITIES).content.decode()
    assert "Bazaar ·" in html and "Licensing clinic ·" in html
    client.cookies["django_language"] = "id"
    html = client.get(ME_ACTIVITIES).content.decode()
    assert "Klinik perizinan ·" in html and "Licensing clinic" not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side prepared statements are PostgreSQL's")
def test_in_production_its_reads_run_as_prepared_statements_and_show_the_same(
    client, siti, settings, django_assert_num_queries
):
    """The suite runs with DATABASE_PREPARED_STATEMENTS=0 (pytest.ini); production runs the
    session, the account and /me/'s own reads as EXECUTEs of statements prepared once per
    connection (jakpreneur/prepared.py)."""
    _busy_week(siti, activities=2, enrolments=("P1", "P2"))
    client.force_login(siti.user)
    plain = client.get(ME).content.decode()
    settings.JAKPRENEUR_PREPARED_STATEMENTS = True
    client.get(ME)  # prepares what this connection has not prepared yet
    with django_assert_num_queries(ME_PAGE_QUERIES) as captured:
        prepared = client.get(ME)
    assert prepared.status_code == 200
    assert [query["sql"].split()[0] for query in captured.captured_queries] == ["EXECUTE"] * ME_PAGE_QUERIES
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", prepared.content.decode()) == strip.sub("", plain)
