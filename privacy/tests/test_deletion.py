"""Deletion requests handled by the Dinas: approval erases what identifies the person (history
included) while the statistics stay the same; rejection gives a reason; the resident is
emailed once the decision is committed; centre staff neither see nor handle requests."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.messages import constants
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from facilities.models import Facility
from facilities.tests.factories import ActivityFactory, center
from privacy import services
from privacy.models import DeletionRequest
from registrations import services as registration_services
from registrations.models import Business, Enrollment, Entrepreneur, StatusChange
from registrations.services.privacy import ANONYMOUS_NAME, ANONYMOUS_PHONE, anonymous_nik
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def siti(dina):
    siti = EntrepreneurFactory(
        full_name="Siti Rahmawati",
        birth_date=dt.date(1990, 3, 14),
        gender="P",
        phone="+6281234567890",
        address="Jl. Kenari 7",
        legacy_id="OKOCE-777",
    )
    BusinessFactory(entrepreneur=siti, name="Warung Siti", nib="1234567890123")
    enrollment = registration_services.enrollment_request(
        entrepreneur=siti, facility=Facility.objects.get(code="P4"), actor=dina, note="Siti's PIRT, call 0812"
    )
    registration_services.enrollment_complete(
        enrollment=enrollment, actor=dina, permit_type="pirt", permit_number="PIRT-2071-SITI"
    )
    registration_services.attendance_signup(
        activity=ActivityFactory(center=center("31.71.01")), entrepreneur=siti, actor=dina
    )
    registration_services.entrepreneur_reject(entrepreneur=siti, actor=dina, reason="Siti Rahmawati: NIK double")
    return siti


def request_of(entrepreneur, reason="Saya pindah, Siti") -> DeletionRequest:
    return services.deletion_request_create(entrepreneur=entrepreneur, reason=reason)


def all_text_of(entrepreneur) -> str:
    """Every value stored about the person, history included, as one string."""
    rows = [
        *Entrepreneur.objects.filter(pk=entrepreneur.pk).values(),
        *Entrepreneur.history.filter(id=entrepreneur.pk).values(),
        *Business.objects.filter(entrepreneur=entrepreneur).values(),
        *Business.history.filter(entrepreneur_id=entrepreneur.pk).values(),
        *Enrollment.objects.filter(entrepreneur=entrepreneur).values(),
        *Enrollment.history.filter(entrepreneur_id=entrepreneur.pk).values(),
        *StatusChange.objects.filter(entrepreneur=entrepreneur).values(),
        *DeletionRequest.objects.filter(entrepreneur=entrepreneur).values(),
    ]
    if entrepreneur.user_id:
        from registrations.models import User

        rows += list(User.objects.filter(pk=entrepreneur.user_id).values())
    return repr(rows)


def test_approval_erases_what_identifies_the_person_history_included(siti, dina, django_capture_on_commit_callbacks):
    email = siti.user.email
    AccessAttempt.objects.create(username=email, ip_address="203.0.113.9", failures_since_start=2)
    before = all_text_of(siti)
    for secret in ("Siti Rahmawati", siti.nik, "+6281234567890", "Jl. Kenari 7", "OKOCE-777", "Warung Siti", email):
        assert secret in before
    request = request_of(siti)

    with django_capture_on_commit_callbacks(execute=True):
        services.deletion_request_approve(request=request, actor=dina)

    after = all_text_of(siti)
    for secret in (
        "Siti",
        siti.nik,
        "6281234567890",
        "Kenari",
        "OKOCE-777",
        "1234567890123",
        "PIRT-2071",
        "0812",
        "NIK double",
        email,
        "1990, 3, 14",
    ):
        assert secret not in after, after[max(0, after.find(secret) - 300) : after.find(secret) + 50]
    siti.refresh_from_db()
    assert (siti.full_name, siti.nik, siti.phone, siti.email, siti.address) == (
        ANONYMOUS_NAME,
        anonymous_nik(siti.pk),
        ANONYMOUS_PHONE,
        "",
        "",
    )
    assert siti.birth_date == dt.date(1990, 7, 1)  # the year only
    assert siti.anonymised_at is not None and siti.consent_withdrawn_at is not None
    siti.user.refresh_from_db()
    assert not siti.user.is_active and not siti.user.has_usable_password()
    assert not AccessAttempt.objects.filter(username=email).exists()
    request.refresh_from_db()
    assert (request.status, request.handled_by, request.reason) == ("done", dina, "")
    # The resident is told, at the address they had; then that address is forgotten too.
    assert [m.to for m in mail.outbox] == [[email]]
    assert "deleted" in mail.outbox[0].subject or "dihapus" in mail.outbox[0].subject
    request.refresh_from_db()
    assert request.notify_email == ""


def test_the_erased_person_can_no_longer_sign_in(client, siti, dina):
    siti.user.set_password("correct-horse-battery-staple")
    siti.user.save()
    email = siti.user.email
    client.force_login(siti.user)
    services.deletion_request_approve(request=request_of(siti), actor=dina)

    assert client.get("/me/")["Location"].startswith("/accounts/login/")  # the session is gone
    response = client.post("/accounts/login/", {"username": email, "password": "correct-horse-battery-staple"})
    assert response.status_code == 200  # the form again, with an error
    assert response.context["form"].errors
    assert client.get("/me/")["Location"].startswith("/accounts/login/")


def test_rejection_needs_a_reason_and_tells_the_resident(siti, dina, django_capture_on_commit_callbacks):
    request = request_of(siti)
    with pytest.raises(ValidationError):
        services.deletion_request_reject(request=request, actor=dina, reason="  ")

    with django_capture_on_commit_callbacks(execute=True):
        services.deletion_request_reject(request=request, actor=dina, reason="Pinjaman P7 masih berjalan.")

    request.refresh_from_db()
    assert (request.status, request.decision_reason) == ("rejected", "Pinjaman P7 masih berjalan.")
    siti.refresh_from_db()
    assert siti.full_name == "Siti Rahmawati" and siti.anonymised_at is None
    assert len(mail.outbox) == 1 and "Pinjaman P7 masih berjalan." in mail.outbox[0].body


def test_a_handled_request_cannot_be_handled_again(siti, dina):
    request = request_of(siti)
    services.deletion_request_reject(request=request, actor=dina, reason="Data needed for an audit.")

    with pytest.raises(ValidationError) as refused:
        services.deletion_request_approve(request=request, actor=dina)
    assert refused.value.code == "handled"
    siti.refresh_from_db()
    assert siti.anonymised_at is None


def test_nothing_is_emailed_when_the_approval_rolls_back(siti, dina, django_capture_on_commit_callbacks, monkeypatch):
    from registrations import personal_data

    def failing_erase(entrepreneur, *, actor):
        raise RuntimeError("disk full")

    personal_data.register(personal_data.Source(key="zz-failing", label="x", export=dict, erase=failing_erase))
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            services.deletion_request_approve(request=request_of(siti), actor=dina)
    finally:
        personal_data.unregister("zz-failing")
    siti.refresh_from_db()
    assert siti.full_name == "Siti Rahmawati" and siti.anonymised_at is None
    assert DeletionRequest.objects.get(entrepreneur=siti).status == "open"
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["alice", "bob", "olga"])
def test_only_the_dinas_handles_requests(siti, who, request):
    actor = request.getfixturevalue(who)
    deletion = request_of(siti)

    with pytest.raises(PermissionDenied):
        services.deletion_request_approve(request=deletion, actor=actor)
    with pytest.raises(PermissionDenied):
        services.deletion_request_reject(request=deletion, actor=actor, reason="no")
    siti.refresh_from_db()
    assert siti.anonymised_at is None


def test_an_erased_person_cannot_ask_again(siti, dina):
    services.deletion_request_approve(request=request_of(siti), actor=dina)
    siti.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        request_of(siti)
    assert refused.value.code == "already_anonymised"


def test_the_database_keeps_one_open_request_per_person(siti):
    from django.db import IntegrityError, transaction

    request_of(siti)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeletionRequest.objects.create(entrepreneur=siti, reason="a second one")


# --- the back office ------------------------------------------------------------------------

LIST = "/admin/privacy/deletionrequest/"


def messages_of(response, level):
    return [str(m) for m in response.context["messages"] if m.level == level]


def test_the_dinas_approves_in_the_admin_after_confirming(english, siti, dina, django_capture_on_commit_callbacks):
    deletion = request_of(siti)
    english.force_login(dina)
    form_page = english.post(LIST, {"action": "approve", "_selected_action": [deletion.pk]})
    assert form_page.status_code == 200 and b"cannot be undone" in form_page.content
    siti.refresh_from_db()
    assert siti.anonymised_at is None

    with django_capture_on_commit_callbacks(execute=True):
        done = english.post(
            LIST, {"action": "approve", "_selected_action": [deletion.pk], "apply": "1", "confirm": "on"}, follow=True
        )

    assert messages_of(done, constants.SUCCESS) == [
        "1 request(s) carried out: the data was erased and the residents are emailed."
    ]
    siti.refresh_from_db()
    assert siti.anonymised_at is not None and len(mail.outbox) == 1


def test_the_dinas_rejects_in_the_admin_with_a_reason(english, siti, dina):
    deletion = request_of(siti)
    english.force_login(dina)
    english.post(LIST, {"action": "reject", "_selected_action": [deletion.pk], "apply": "1", "reason": "Audit."})
    deletion.refresh_from_db()
    assert (deletion.status, deletion.decision_reason) == ("rejected", "Audit.")


def test_the_request_list_is_the_dinas_alone(client, siti, dina, alice, bob, django_assert_max_num_queries):
    for person in [siti, *(EntrepreneurFactory() for _ in range(5))]:
        request_of(person)
    client.force_login(dina)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 6
    for staff in (alice, bob):
        client.force_login(staff)
        assert client.get(LIST).status_code == 403
        deletion = DeletionRequest.objects.get(entrepreneur=siti)
        assert client.get(f"{LIST}{deletion.pk}/change/").status_code == 403
        client.post(LIST, {"action": "approve", "_selected_action": [deletion.pk], "apply": "1", "confirm": "on"})
    siti.refresh_from_db()
    assert siti.anonymised_at is None


def test_nobody_edits_or_deletes_a_request_in_the_admin(client, siti, dina):
    deletion = request_of(siti)
    client.force_login(dina)
    assert client.get(f"{LIST}{deletion.pk}/delete/").status_code == 403
    client.post(f"{LIST}{deletion.pk}/change/", {"status": "done", "reason": "x"})
    deletion.refresh_from_db()
    assert deletion.status == "open"


def test_an_erased_person_cannot_be_edited_back(siti, dina):
    services.deletion_request_approve(request=request_of(siti), actor=dina)
    siti.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        registration_services.entrepreneur_update(entrepreneur=siti, actor=dina, changes={"full_name": "Siti R"})
    assert refused.value.code == "erased"
    siti.refresh_from_db()
    assert siti.full_name == ANONYMOUS_NAME
