"""The back office's list filters keep exactly the rows of the chosen value, and turn a value
that does not fit into the admin's "incorrect lookup" page."""

import pytest

from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN, ActivityFactory, center
from registrations.models import Attendance, Business
from registrations.tests.admin_fixtures import admin_url, changelist_results
from registrations.tests.factories import BusinessFactory, EnrollmentFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db

TEBET_KELURAHAN = "31.74.01.1001"  # Jakarta Selatan


@pytest.fixture
def people(db):
    gambir = EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN)
    menteng = EntrepreneurFactory(user=None, kelurahan_code=MENTENG_KELURAHAN)
    tebet = EntrepreneurFactory(user=None, kelurahan_code=TEBET_KELURAHAN)
    BusinessFactory(entrepreneur=gambir, sector=Business.Sector.CULINARY)
    BusinessFactory(entrepreneur=tebet, sector=Business.Sector.FASHION)
    EnrollmentFactory(entrepreneur=menteng, facility_id="P2", state="completed")
    EnrollmentFactory(entrepreneur=tebet, facility_id="P2")
    return gambir, menteng, tebet


def listed(client, name, **query) -> set:
    response = client.get(admin_url(name), query)
    assert response.status_code == 200
    return set(changelist_results(response))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kota": "31.71"}, {"gambir", "menteng"}),
        ({"kecamatan": "31.74.01"}, {"tebet"}),
        ({"sector": Business.Sector.FASHION}, {"tebet"}),
        ({"completed": "P2"}, {"menteng"}),
        ({"kota": "31.71", "kecamatan": "31.71.06"}, {"menteng"}),
    ],
)
def test_entrepreneur_filters_keep_the_matching_rows(client, dina, people, query, expected):
    by_name = dict(zip(("gambir", "menteng", "tebet"), people, strict=True))
    client.force_login(dina)
    assert listed(client, "registrations_entrepreneur_changelist", **query) == {by_name[n] for n in expected}


def test_centre_and_activity_filters_keep_the_matching_rows(client, dina, people):
    gambir, menteng, _tebet = people
    at_menteng = EnrollmentFactory(entrepreneur=menteng, facility_id="P3")
    EnrollmentFactory(entrepreneur=gambir, facility_id="P3")
    client.force_login(dina)
    menteng_centre = at_menteng.center_id
    enrolments = listed(client, "registrations_enrollment_changelist", center=str(menteng_centre))
    assert enrolments and {e.center_id for e in enrolments} == {menteng_centre}

    class_ = ActivityFactory(center=center("31.71.01"))
    other = ActivityFactory(center=center("31.71.01"))
    mine = Attendance.objects.create(activity=class_, entrepreneur=gambir)
    Attendance.objects.create(activity=other, entrepreneur=gambir)
    assert listed(client, "registrations_attendance_changelist", activity=str(class_.pk)) == {mine}


@pytest.mark.parametrize("query", [{"kota": "31.71'--"}, {"center": "abc"}, {"completed": "P\u202e2"}])
def test_a_value_that_does_not_fit_is_an_incorrect_lookup(client, dina, people, query):
    client.force_login(dina)
    url = admin_url(
        "registrations_entrepreneur_changelist" if "center" not in query else "registrations_enrollment_changelist"
    )
    response = client.get(url, query)
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
