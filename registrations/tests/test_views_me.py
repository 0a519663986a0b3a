import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from facilities.models import Activity
from facilities.tests.factories import MENTENG, ActivityFactory, center, facility
from registrations import me_panels, services
from registrations.models import Attendance, Business, Enrollment, Entrepreneur
from registrations.tests.factories import BusinessFactory, EnrollmentFactory, EntrepreneurFactory, UserFactory

pytestmark = pytest.mark.django_db
ME = "/me/"


@pytest.fixture
def siti(client):
    """An entrepreneur of Gambir, logged in (English)."""
    entrepreneur = EntrepreneurFactory(full_name="Siti Rahmawati")
    client.cookies["django_language"] = "en"
    client.force_login(entrepreneur.user)
    return entrepreneur


@pytest.fixture
def budi():
    """Another entrepreneur (Menteng), whose records siti must not reach."""
    return EntrepreneurFactory(full_name="Budi Santoso", kelurahan_code="31.71.06.1001")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


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
    """/me/ without the panels other apps register: registrations' own part of the page."""
    monkeypatch.setattr(me_panels, "_registry", {})


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
    assert siti.masked_nik in html
    assert siti.nik not in html
    assert "Cancel my request for P2" in html
    assert "Request P4" in html
    assert "Request P3" not in html  # already active


# Session, user, the entrepreneur with their business, the enrolments, the upcoming activities
# (with the entrepreneur's own sign-up for each). Regions, centres and facilities come from the
# reference cache (facilities/cache.py), the menu's dashboard link from the session.
ME_QUERIES = 5
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
    assert html.count("data-activity=") == 12
    assert html.count("You are signed up") == 4
    assert "Warung Siti" in html
    assert "Gambir" in html and "Jakarta Pusat" in html  # kecamatan and kota from the cache


# The whole page with the panels of the apps above registrations: growth 1 (the sessions; the
# mentor and the last report come with the entrepreneur's row through the panel's
# annotations), marketing 3 (products, submissions, open rounds; a 4th, what was already
# submitted, only while a round is open), financing 1 (the latest applications), privacy 0
# (the latest deletion request's status comes with the entrepreneur's row).
ME_PAGE_QUERIES = ME_QUERIES + 1 + 3 + 1 + 0


def test_the_whole_page_with_every_panel_takes_the_same_queries_with_more_data(client, siti, django_assert_num_queries):
    client.get(ME)
    with django_assert_num_queries(ME_PAGE_QUERIES):
        assert client.get(ME).status_code == 200
    _busy_week(siti, activities=6, enrolments=("P1", "P2", "P3"))
    BusinessFactory(entrepreneur=siti)
    with django_assert_num_queries(ME_PAGE_QUERIES):
        assert client.get(ME).status_code == 200


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
    response = client.get(ME)
    html = response.content.decode()
    assert here.title in html and everywhere.title in html
    for other in (elsewhere, hidden, past):
        assert other.title not in html
    assert "2 places left" in html


def test_each_activity_shows_its_kind_in_the_visitors_language(client, siti):
    ActivityFactory(title="Bazar Monas", center=None, kind=Activity.Kind.BAZAAR)
    ActivityFactory(title="Klinik NIB", kind=Activity.Kind.CLINIC)
    html = client.get(ME).content.decode()
    assert "Bazaar ·" in html and "Licensing clinic ·" in html
    client.cookies["django_language"] = "id"
    html = client.get(ME).content.decode()
    assert "Klinik perizinan ·" in html and "Licensing clinic" not in html


def test_requesting_a_facility_creates_a_requested_enrolment_at_the_home_centre(client, siti):
    response = client.post("/me/facilities/request/", {"facility": "P4"}, follow=True)
    enrollment = Enrollment.objects.get(entrepreneur=siti, facility_id="P4")
    assert enrollment.state == Enrollment.State.REQUESTED
    assert enrollment.center == siti.home_center
    assert any("P4" in m and "requested" in m for m in messages_of(response))


def test_requesting_a_facility_twice_is_refused_with_a_message(client, siti):
    client.post("/me/facilities/request/", {"facility": "P4"})
    response = client.post("/me/facilities/request/", {"facility": "P4"}, follow=True)
    assert Enrollment.objects.filter(entrepreneur=siti, facility_id="P4").count() == 1
    assert "P4 has already been requested." in messages_of(response)


@pytest.mark.parametrize("code", ["P1", "P8", ""])
def test_requesting_an_unknown_or_implicit_facility_is_refused(client, siti, code):
    response = client.post("/me/facilities/request/", {"facility": code}, follow=True)
    assert Enrollment.objects.filter(entrepreneur=siti).count() == 0
    assert messages_of(response)


def test_sequential_mode_locks_facilities_until_the_previous_one_is_completed(client, siti, settings):
    settings.JAKPRENEUR_SEQUENTIAL_FACILITIES = True
    EnrollmentFactory(entrepreneur=siti, facility_id="P1", state="completed")
    html = client.get(ME).content.decode()
    assert "Request P2" in html
    assert "Request P3" not in html
    assert "Complete P2 first" in html
    response = client.post("/me/facilities/request/", {"facility": "P3"}, follow=True)
    assert not Enrollment.objects.filter(entrepreneur=siti, facility_id="P3").exists()
    assert any("complete P2 before requesting P3" in m for m in messages_of(response))


def test_cancelling_a_request_cancels_it_and_logs_who(client, siti):
    enrollment = EnrollmentFactory(entrepreneur=siti, facility_id="P2")
    response = client.post(f"/me/enrollments/{enrollment.pk}/cancel/", follow=True)
    enrollment.refresh_from_db()
    assert enrollment.state == Enrollment.State.CANCELLED
    assert enrollment.status_changes.get(to_status="cancelled").changed_by == siti.user
    assert "Your request for P2 was cancelled." in messages_of(response)


def test_an_active_enrolment_cannot_be_cancelled_from_the_page(client, siti):
    enrollment = EnrollmentFactory(entrepreneur=siti, facility_id="P2", state="active")
    response = client.post(f"/me/enrollments/{enrollment.pk}/cancel/", follow=True)
    enrollment.refresh_from_db()
    assert enrollment.state == Enrollment.State.ACTIVE
    assert messages_of(response) == [
        "Only a request that has not started yet can be cancelled here; ask your centre instead."
    ]
    assert "Cancel my request for P2" not in response.content.decode()


def test_the_withdrawal_rule_is_the_services_whoever_calls_it(siti, budi):
    started = EnrollmentFactory(entrepreneur=siti, facility_id="P3", state="active")
    theirs = EnrollmentFactory(entrepreneur=budi, facility_id="P2")
    for enrollment, code in ((started, "not_cancellable"), (theirs, "not_yours")):
        with pytest.raises(ValidationError) as error:
            services.enrollment_withdraw(enrollment=enrollment, entrepreneur=siti, actor=siti.user)
        assert error.value.code == code
    assert list(Enrollment.objects.order_by("pk").values_list("state", flat=True)) == ["active", "requested"]
    assert not siti.status_changes.exists() and not budi.status_changes.exists()


def test_someone_elses_enrolment_is_a_404(client, siti, budi):
    enrollment = EnrollmentFactory(entrepreneur=budi, facility_id="P2")
    assert client.post(f"/me/enrollments/{enrollment.pk}/cancel/").status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.state == Enrollment.State.REQUESTED


def test_actions_refuse_get(client, siti):
    assert client.get("/me/facilities/request/").status_code == 405
    assert client.get("/me/enrollments/1/cancel/").status_code == 405


def test_signing_up_for_an_activity_takes_a_place(client, siti):
    activity = ActivityFactory()
    response = client.post(f"/me/activities/{activity.pk}/signup/", follow=True)
    assert Attendance.objects.get(activity=activity).entrepreneur == siti
    assert f"You are signed up for “{activity.title}”." in messages_of(response)
    assert b"Give my place back" in response.content


def test_a_full_activity_refuses_the_sign_up(client, siti, budi):
    activity = ActivityFactory(capacity=1)
    Attendance.objects.create(activity=activity, entrepreneur=budi)
    response = client.post(f"/me/activities/{activity.pk}/signup/", follow=True)
    assert not Attendance.objects.filter(entrepreneur=siti).exists()
    assert "This activity is full." in messages_of(response)


def test_sign_up_closes_at_the_deadline(client, siti):
    starts = timezone.now() + dt.timedelta(hours=5)
    activity = ActivityFactory(starts_at=starts, registration_deadline=timezone.now() - dt.timedelta(minutes=1))
    response = client.post(f"/me/activities/{activity.pk}/signup/", follow=True)
    assert not Attendance.objects.exists()
    assert "Sign-up for this activity has closed." in messages_of(response)


@pytest.mark.parametrize("where", ["other_centre", "unpublished"])
def test_activities_the_entrepreneur_cannot_see_are_a_404(client, siti, where):
    kwargs = {"center": center(MENTENG)} if where == "other_centre" else {"published": False}
    activity = ActivityFactory(**kwargs)
    assert client.post(f"/me/activities/{activity.pk}/signup/").status_code == 404
    assert not Attendance.objects.exists()


def test_giving_a_place_back(client, siti, budi):
    activity = ActivityFactory()
    mine = Attendance.objects.create(activity=activity, entrepreneur=siti)
    response = client.post(f"/me/activities/{activity.pk}/cancel/", follow=True)
    mine.refresh_from_db()
    assert mine.status == Attendance.Status.CANCELLED
    assert messages_of(response)


def test_someone_elses_sign_up_cannot_be_cancelled(client, siti, budi):
    activity = ActivityFactory(center=None)
    theirs = Attendance.objects.create(activity=activity, entrepreneur=budi)
    assert client.post(f"/me/activities/{activity.pk}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Attendance.Status.REGISTERED


def test_editing_contact_data_saves_it_and_moves_the_home_centre(client, siti):
    assert client.get("/me/contact/").status_code == 200
    response = client.post(
        "/me/contact/",
        {
            "phone": "0813 1111 2222",
            "email": "Siti.Baru@example.com",
            "kelurahan": "31.71.06.1001",
            "address": "Jl. Cikini 1",
        },
    )
    assert response.status_code == 302
    siti.refresh_from_db()
    siti.user.refresh_from_db()
    assert siti.phone == "+6281311112222"
    assert siti.email == siti.user.email == "siti.baru@example.com"
    assert siti.kecamatan_id == MENTENG
    assert siti.home_center == center(MENTENG)
    assert siti.history.first().history_change_reason == "contact data changed"


def test_editing_contact_data_refuses_an_email_that_is_taken(client, siti, budi):
    before = siti.user.email
    response = client.post(
        "/me/contact/",
        {"phone": "081311112222", "email": budi.user.email, "kelurahan": siti.kelurahan_id, "address": "Jl. Baru 2"},
    )
    assert response.status_code == 200
    assert b"Another account already uses this email address." in response.content
    siti.user.refresh_from_db()
    assert siti.user.email == before


def test_the_service_refuses_a_taken_email_even_past_the_form(siti, budi):
    with pytest.raises(ValidationError) as error:
        services.entrepreneur_update(
            entrepreneur=siti, actor=siti.user, changes={"email": budi.user.email.upper(), "address": "Jl. Baru 2"}
        )
    assert [e.code for e in error.value.error_dict["email"]] == ["duplicate_email"]
    siti.refresh_from_db()
    siti.user.refresh_from_db()
    assert siti.user.email == siti.email != budi.user.email
    assert siti.address != "Jl. Baru 2"


def test_editing_business_data_creates_then_updates_it(client, siti):
    assert client.get("/me/business/").status_code == 200
    data = {"business_name": "Kue Siti", "sector": "kuliner", "workers": "1", "turnover_band": "lt5jt"}
    assert client.post("/me/business/", data).status_code == 302
    assert client.post("/me/business/", {**data, "workers": "4", "nib": "9876543210123"}).status_code == 302
    business = Business.objects.get(entrepreneur=siti)
    assert (business.name, business.workers, business.nib) == ("Kue Siti", 4, "9876543210123")


def test_naik_kelas_business_data_needs_every_answer(client, siti):
    Entrepreneur.objects.filter(pk=siti.pk).update(track=Entrepreneur.Track.NAIK_KELAS)
    response = client.post("/me/business/", {"business_name": "Kue Siti"})
    assert response.status_code == 200
    assert b'id="error-summary"' in response.content
    assert not Business.objects.exists()


def test_a_bad_nib_is_refused_on_the_business_page(client, siti):
    response = client.post("/me/business/", {"business_name": "Kue Siti", "nib": "123"})
    assert response.status_code == 200
    assert b"An NIB has exactly 13 digits." in response.content


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads racing on a row lock need PostgreSQL's row locking"
)
@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_the_last_place_get_one_place():
    activity = ActivityFactory(capacity=1)
    people = [EntrepreneurFactory(), EntrepreneurFactory()]
    barrier = threading.Barrier(2)
    statuses: list = []

    def sign_up(entrepreneur) -> None:
        try:
            client = Client()
            client.force_login(entrepreneur.user)
            barrier.wait(timeout=10)
            statuses.append(client.post(f"/me/activities/{activity.pk}/signup/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302, 302]
    assert Attendance.objects.filter(activity=activity).count() == 1
