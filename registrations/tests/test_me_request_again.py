"""A facility the entrepreneur completed can be requested again (another class, another round
of mentoring): /me/ says "again" and makes it the quieter button, so a finished P2 does not
look like one never taken; the request itself writes a new enrolment."""

import pytest

from registrations.models import Enrollment
from registrations.tests.factories import EnrollmentFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db


def test_a_completed_facility_offers_a_second_request_and_it_is_written(english):
    siti = EntrepreneurFactory(full_name="Siti Rahmawati")
    EnrollmentFactory(entrepreneur=siti, facility_id="P2", state=Enrollment.State.COMPLETED)
    english.force_login(siti.user)
    html = english.get("/me/").content.decode()
    assert "Request P2 again" in html
    assert ">Request P2<" not in html.replace("\n", "").replace("  ", "")
    response = english.post("/me/facilities/request/", {"facility": "P2"})
    assert response.status_code == 302
    assert Enrollment.objects.filter(entrepreneur=siti, facility_id="P2").count() == 2
    assert "Request P2 again" not in english.get("/me/").content.decode()  # a request is open now
