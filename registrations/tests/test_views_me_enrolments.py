"""/me/'s facility requests: requesting a facility, the sequential mode, withdrawing a request,
and someone else's enrolment out of reach."""

import pytest
from django.core.exceptions import ValidationError

from registrations import services
from registrations.models import Enrollment
from registrations.tests import me_fixtures
from registrations.tests.factories import EnrollmentFactory
from registrations.tests.me_fixtures import ME, messages_of

pytestmark = pytest.mark.django_db

# Shared fixtures (a module rather than a conftest, so that parallel branches do not collide).
siti = me_fixtures.siti
budi = me_fixtures.budi


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
