"""Issue 13.1, defence in depth: every service that acts for a staff member checks that
member's scope itself (registrations.services.common.ensure_in_scope), whoever calls it.

Each service is called directly with an actor who may not act on the row: alice (Gambir) on
people, classes and enrolments of Menteng or Pasar Minggu; carol (centre staff without a
kecamatan); olga (an official); another entrepreneur. Each call is refused with the code
"out_of_scope" and leaves every table as it was."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from facilities.models import Activity
from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN, ActivityFactory, center, kelurahan
from registrations import services
from registrations.imports import RowValidator
from registrations.models import Attendance, Enrollment, Entrepreneur, StatusChange
from registrations.tests.admin_fixtures import admin_url
from registrations.tests.factories import BusinessFactory, EnrollmentFactory, EntrepreneurFactory, make_nik

pytestmark = pytest.mark.django_db

PASAR_MINGGU_KELURAHAN = "31.74.04.1001"


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def database_state() -> dict:
    """Every row of the people's and activities' tables (history included), as values."""
    models = [*apps.get_app_config("registrations").get_models(), Activity]
    return {m._meta.label: list(m._base_manager.order_by("pk").values()) for m in models}


class World:
    def __init__(self):
        self.gambir = EntrepreneurFactory(kelurahan_code=GAMBIR_KELURAHAN, full_name="Ani Gambir")
        self.menteng = EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN, full_name="Budi Menteng")
        self.pasar_minggu = EntrepreneurFactory(kelurahan_code=PASAR_MINGGU_KELURAHAN, full_name="Siti Pasar Minggu")
        BusinessFactory(entrepreneur=self.menteng)
        self.gambir_class = ActivityFactory(center=center("31.71.01"))
        self.menteng_class = ActivityFactory(center=center("31.71.06"))
        self.menteng_p3 = EnrollmentFactory(entrepreneur=self.menteng, facility_id="P3")
        self.menteng_seat = Attendance.objects.create(activity=self.menteng_class, entrepreneur=self.menteng)
        # Written before the fix: alice's class, a participant from Pasar Minggu.
        self.outsider_seat = Attendance.objects.create(
            activity=self.gambir_class, entrepreneur=self.pasar_minggu, status=Attendance.Status.ATTENDED
        )


@pytest.fixture
def world():
    return World()


def walk_in(kelurahan_code: str) -> services.EntrepreneurData:
    birth = dt.date(1990, 3, 17)
    return services.EntrepreneurData(
        nik=make_nik(birth, "P", 4242),
        full_name="Dewi Baru",
        birth_date=birth,
        gender="P",
        phone="+6281299990000",
        kelurahan=kelurahan(kelurahan_code),
        address="Jl. Kebon Sirih 1",
        facilities=["P2"],
    )


def import_row(kelurahan_code: str, *, serial: int = 777, person: Entrepreneur | None = None):
    """A checked import row; with `person`, one carrying that person's NIK."""
    birth, gender = (person.birth_date, person.gender) if person else (dt.date(1985, 1, 2), "L")
    values = {
        "nik": person.nik if person else make_nik(birth, gender, serial),
        "full_name": "Joko Impor",
        "birth_date": birth.isoformat(),
        "gender": gender,
        "phone": "081277776666",
        "kelurahan_code": kelurahan_code,
        "address": "Jl. Impor 2",
        "track": "pemula",
    }
    row = RowValidator().clean(2, values)
    assert isinstance(row, services.ImportRow), row
    return row


# Each case: (name, call(world, actor)). Every one is refused for every outsider below.
CASES = {
    "attendance_signup: a Menteng person for alice's class": lambda w, actor: services.attendance_signup(
        activity=w.gambir_class, entrepreneur=w.menteng, actor=actor
    ),
    "attendance_signup: a Pasar Minggu person for alice's class": lambda w, actor: services.attendance_signup(
        activity=w.gambir_class, entrepreneur=w.pasar_minggu, actor=actor
    ),
    "attendance_signup: a Gambir person for Menteng's class": lambda w, actor: services.attendance_signup(
        activity=w.menteng_class, entrepreneur=w.gambir, actor=actor
    ),
    "attendance_cancel": lambda w, actor: services.attendance_cancel(attendance=w.menteng_seat, actor=actor),
    "attendance_mark": lambda w, actor: services.attendance_mark(
        attendance=w.menteng_seat, status=Attendance.Status.ATTENDED, actor=actor
    ),
    "activity_complete_facility_for_attendees": lambda w, actor: services.activity_complete_facility_for_attendees(
        activity=w.menteng_class, actor=actor
    ),
    "enrollment_request": lambda w, actor: services.enrollment_request(
        entrepreneur=w.menteng, facility=w.menteng_class.facility, actor=actor
    ),
    "enrollment_start": lambda w, actor: services.enrollment_start(enrollment=w.menteng_p3, actor=actor),
    "enrollment_complete": lambda w, actor: services.enrollment_complete(enrollment=w.menteng_p3, actor=actor),
    "enrollment_cancel": lambda w, actor: services.enrollment_cancel(enrollment=w.menteng_p3, actor=actor, reason="x"),
    "enrollment_record_completion": lambda w, actor: services.enrollment_record_completion(
        entrepreneur=w.menteng, facility=w.menteng_class.facility, actor=actor
    ),
    "entrepreneur_register: a walk-in living in Menteng": lambda w, actor: services.entrepreneur_register(
        data=walk_in(MENTENG_KELURAHAN), source=Entrepreneur.Source.STAFF, actor=actor
    ),
    "entrepreneur_verify": lambda w, actor: services.entrepreneur_verify(entrepreneur=w.menteng, actor=actor),
    "entrepreneur_reject": lambda w, actor: services.entrepreneur_reject(
        entrepreneur=w.menteng, actor=actor, reason="x"
    ),
    "entrepreneur_update": lambda w, actor: services.entrepreneur_update(
        entrepreneur=w.menteng, actor=actor, changes={"full_name": "Nama Baru"}
    ),
    "business_upsert": lambda w, actor: services.business_upsert(
        entrepreneur=w.menteng, data=services.BusinessData(name="Toko Baru"), actor=actor
    ),
}


@pytest.fixture(params=["alice", "carol", "olga", "another entrepreneur"])
def outsider(request):
    if request.param == "another entrepreneur":
        return EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN).user
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("case", CASES)
def test_a_service_refuses_an_actor_outside_its_scope_and_writes_nothing(case, world, outsider):
    call = CASES[case]
    before = database_state()
    with pytest.raises(ValidationError) as refused:
        call(world, outsider)
    assert codes(refused.value) == {"out_of_scope"}
    assert database_state() == before


@pytest.mark.parametrize("case", CASES)
def test_the_dinas_may_do_each_of_them(case, world, dina):
    """The same calls by the Dinas go through (those the state machine allows), so the refusals
    above are the scope's."""
    try:
        CASES[case](world, dina)
    except ValidationError as error:
        assert "out_of_scope" not in codes(error)


def test_completing_alices_class_skips_a_participant_from_outside_gambir(world, alice):
    insider = Attendance.objects.create(
        activity=world.gambir_class, entrepreneur=world.gambir, status=Attendance.Status.ATTENDED
    )
    done, errors = services.activity_complete_facility_for_attendees(activity=world.gambir_class, actor=alice)
    assert done == 1
    assert Enrollment.objects.get(entrepreneur=insider.entrepreneur, facility_id="P2").state == "completed"
    assert not Enrollment.objects.filter(entrepreneur=world.pasar_minggu, facility_id="P2").exists()
    assert not StatusChange.objects.filter(entrepreneur=world.pasar_minggu, changed_by=alice).exists()
    assert len(errors) == 1 and "Siti Pasar Minggu" in errors[0]


def test_alice_cannot_move_a_gambir_person_to_menteng(world, alice):
    with pytest.raises(ValidationError) as refused:
        services.entrepreneur_update(
            entrepreneur=world.gambir, actor=alice, changes={"kelurahan": kelurahan(MENTENG_KELURAHAN)}
        )
    assert refused.value.error_dict["kelurahan"][0].code == "out_of_scope"
    world.gambir.refresh_from_db()
    assert world.gambir.kecamatan_id == "31.71.01"


def test_alice_cannot_enrol_her_person_at_another_centre(world, alice):
    with pytest.raises(ValidationError):
        services.enrollment_request(
            entrepreneur=world.gambir, facility=world.gambir_class.facility, actor=alice, center=center("31.71.06")
        )
    assert not Enrollment.objects.filter(entrepreneur=world.gambir).exclude(facility_id="P1").exists()


def test_alice_acts_on_her_own_kecamatan(world, alice):
    services.entrepreneur_verify(entrepreneur=world.gambir, actor=alice)
    services.attendance_signup(activity=world.gambir_class, entrepreneur=world.gambir, actor=alice)
    enrollment = services.enrollment_request(
        entrepreneur=world.gambir, facility=world.gambir_class.facility, actor=alice
    )
    services.enrollment_complete(enrollment=enrollment, actor=alice)
    services.entrepreneur_register(data=walk_in(GAMBIR_KELURAHAN), source=Entrepreneur.Source.STAFF, actor=alice)
    assert Entrepreneur.objects.filter(kecamatan_id="31.71.01").count() == 2


def test_an_entrepreneur_acts_on_their_own_record_only(world):
    me = world.menteng.user
    services.entrepreneur_update(entrepreneur=world.menteng, actor=me, changes={"address": "Jl. Baru 3"})
    services.business_upsert(entrepreneur=world.menteng, data=services.BusinessData(name="Warung Saya"), actor=me)
    services.enrollment_request(entrepreneur=world.menteng, facility=world.menteng_class.facility, actor=me)
    world.menteng.refresh_from_db()
    assert world.menteng.address == "Jl. Baru 3" and world.menteng.business.name == "Warung Saya"
    assert Enrollment.objects.filter(entrepreneur=world.menteng, facility_id="P2").exists()


def test_an_entrepreneur_signs_up_only_for_activities_offered_to_them(world):
    gambir_user = world.gambir.user
    with pytest.raises(ValidationError) as refused:
        services.attendance_signup(activity=world.menteng_class, entrepreneur=world.gambir, actor=gambir_user)
    assert codes(refused.value) == {"out_of_scope"}
    seat = services.attendance_signup(activity=world.gambir_class, entrepreneur=world.gambir, actor=gambir_user)
    assert seat.entrepreneur == world.gambir
    services.attendance_cancel(attendance=seat, actor=gambir_user)
    seat.refresh_from_db()
    assert seat.status == Attendance.Status.CANCELLED


def test_an_entrepreneur_cannot_verify_themselves(world):
    with pytest.raises(ValidationError):
        services.entrepreneur_verify(entrepreneur=world.menteng, actor=world.menteng.user)
    world.menteng.refresh_from_db()
    assert world.menteng.status == Entrepreneur.Status.SUBMITTED


def test_the_import_service_refuses_rows_outside_the_importers_kecamatan(world, alice):
    outside = import_row(MENTENG_KELURAHAN)
    # A Gambir address with the NIK of someone registered in Menteng: it would move her.
    takeover = import_row(GAMBIR_KELURAHAN, person=world.menteng)
    inside = import_row(GAMBIR_KELURAHAN, serial=778)
    outcome = services.entrepreneurs_import_batch(rows=[outside, takeover, inside], actor=alice)
    assert [(row.nik, field, code) for row, field, code, _ in outcome.refused] == [
        (outside.nik, "kelurahan", "out_of_scope"),
        (takeover.nik, "kelurahan", "out_of_scope"),
    ]
    assert outcome.created == 1
    world.menteng.refresh_from_db()
    assert world.menteng.kecamatan_id == "31.71.06" and world.menteng.full_name == "Budi Menteng"
    assert not Entrepreneur.objects.filter(nik=outside.nik).exists()


# --- through the admin: the attack of the issue -----------------------------------------------


def post_action(client, url_name, action, objs, **extra):
    return client.post(
        admin_url(url_name), {"action": action, "_selected_action": [o.pk for o in objs], **extra}, follow=True
    )


def test_attendance_already_recorded_never_completes_an_outsiders_facility(english, alice):
    """Rows written before the fix (or by the Dinas): marking them and completing the class
    completes the facility for alice's own people only."""
    gambir_class = ActivityFactory(center=center("31.71.01"))
    insider = EntrepreneurFactory(user=None, kelurahan_code=GAMBIR_KELURAHAN)
    outsider = EntrepreneurFactory(user=None, kelurahan_code=PASAR_MINGGU_KELURAHAN, full_name="Siti Pasar Minggu")
    open_p2 = EnrollmentFactory(entrepreneur=outsider, facility_id="P2")
    rows = [Attendance.objects.create(activity=gambir_class, entrepreneur=p) for p in (insider, outsider)]
    english.force_login(alice)
    post_action(english, "registrations_attendance_changelist", "mark_attended", rows)
    response = post_action(english, "facilities_activity_changelist", "complete_facility_for_attendees", [gambir_class])

    assert Enrollment.objects.get(entrepreneur=insider, facility_id="P2").state == Enrollment.State.COMPLETED
    open_p2.refresh_from_db()
    assert open_p2.state == Enrollment.State.REQUESTED
    assert not StatusChange.objects.filter(entrepreneur=outsider, changed_by=alice).exists()
    assert any("outside" in str(message) for message in response.context["messages"])
