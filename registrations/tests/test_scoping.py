import pytest

from facilities.tests.factories import ActivityFactory, center
from registrations import selectors
from registrations.models import Attendance
from registrations.tests import admin_fixtures
from registrations.tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db

# Shared fixtures (a module rather than a conftest, so that parallel branches do not collide).
gambir_person = admin_fixtures.gambir_person
menteng_person = admin_fixtures.menteng_person

GAMBIR, MENTENG = "31.71.01", "31.71.06"


def test_dinas_admin_sees_every_kecamatan(dina):
    assert selectors.kecamatan_codes_for(dina) is None


def test_centre_staff_see_their_kecamatan_only(alice):
    assert selectors.kecamatan_codes_for(alice) == frozenset({GAMBIR})


def test_staff_without_kecamatan_see_nothing(carol, gambir_person):
    assert selectors.kecamatan_codes_for(carol) == frozenset()
    assert not selectors.entrepreneurs_visible_to(carol).exists()


def test_an_official_sees_no_personal_records(olga, gambir_person):
    assert not selectors.entrepreneurs_visible_to(olga).exists()


def test_staff_without_a_group_see_nothing(gambir_person):
    nobody = UserFactory(email="nogroup@jakpreneur.test", is_staff=True)
    assert not selectors.entrepreneurs_visible_to(nobody).exists()


def test_an_anonymous_user_sees_nothing(gambir_person):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.entrepreneurs_visible_to(AnonymousUser()).exists()


def test_a_superuser_sees_everything(gambir_person, menteng_person):
    root = UserFactory(email="root@jakpreneur.test", is_staff=True, is_superuser=True)
    assert selectors.entrepreneurs_visible_to(root).count() == 2


def test_entrepreneurs_are_scoped_by_kecamatan(alice, bob, gambir_person, menteng_person):
    assert list(selectors.entrepreneurs_visible_to(alice)) == [gambir_person.entrepreneur]
    assert list(selectors.entrepreneurs_visible_to(bob)) == [menteng_person]


def test_enrolments_and_businesses_follow_the_entrepreneur(alice, gambir_person, menteng_person):
    mine = EnrollmentFactory(entrepreneur=gambir_person.entrepreneur)
    EnrollmentFactory(entrepreneur=menteng_person)
    assert list(selectors.enrollments_visible_to(alice)) == [mine]
    assert list(selectors.businesses_visible_to(alice)) == [gambir_person]


def test_activities_are_scoped_by_centre(alice, dina):
    mine = ActivityFactory(center=center(GAMBIR))
    ActivityFactory(center=center(MENTENG))
    province_wide = ActivityFactory(center=None)
    assert list(selectors.activities_visible_to(alice)) == [mine]
    assert province_wide in selectors.activities_visible_to(dina)


def test_attendance_of_my_activity_is_visible_whoever_attends(alice, menteng_person):
    activity = ActivityFactory(center=center(GAMBIR))
    attendance = Attendance.objects.create(activity=activity, entrepreneur=menteng_person)
    assert list(selectors.attendance_visible_to(alice)) == [attendance]


def test_personal_data_permission_follows_the_role(alice, dina, olga):
    assert selectors.can_see_personal_data(alice)
    assert selectors.can_see_personal_data(dina)
    assert not selectors.can_see_personal_data(olga)


def test_scope_is_read_once_per_user_object(alice, django_assert_num_queries):
    selectors.kecamatan_codes_for(alice)
    with django_assert_num_queries(0):
        selectors.kecamatan_codes_for(alice)
