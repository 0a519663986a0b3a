"""/me/data/: the resident's copy of their data, withdrawing consent, asking for deletion."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facilities.models import Facility
from facilities.tests.factories import ActivityFactory, center
from privacy import services as privacy_services
from privacy.models import DeletionRequest
from registrations import personal_data, services
from registrations.models import Entrepreneur
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def siti():
    siti = EntrepreneurFactory(full_name="Siti Rahmawati", phone="+6281234567890")
    BusinessFactory(entrepreneur=siti, name="Warung Siti", nib="1234567890123")
    return siti


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_the_download_is_a_json_attachment_with_everything(client, siti, dina):
    enrollment = services.enrollment_request(entrepreneur=siti, facility=Facility.objects.get(code="P2"), actor=dina)
    services.enrollment_start(enrollment=enrollment, actor=dina)
    services.attendance_signup(activity=ActivityFactory(center=center("31.71.01")), entrepreneur=siti, actor=dina)
    client.force_login(siti.user)
    client.post(
        "/me/contact/",
        {"phone": "081234567890", "email": siti.email, "kelurahan": siti.kelurahan_id, "address": "Jl. Baru 2"},
    )

    response = client.get("/me/data/download.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="jakpreneur-my-data-')
    assert no_store(response)
    data = json.loads(response.content)
    mine = data["sections"]["registrations"]["data"]
    assert mine["person"]["nik"] == siti.nik
    assert mine["person"]["full_name"] == "Siti Rahmawati"
    assert mine["person"]["address"] == "Jl. Baru 2"
    assert mine["business"]["nib"] == "1234567890123"
    assert [e["facility"] for e in mine["enrollments"]] == ["P2"]
    assert len(mine["attendance"]) == 1
    assert [(c["to"], c["by"]) for c in mine["status_history"]] == [("requested", "staff"), ("active", "staff")]
    changes = mine["change_history"]["person"]
    assert changes[-1]["by"] == "self" and changes[-1]["fields"] == {"address": "Jl. Baru 2"}
    assert data["sections"]["privacy"]["data"] == {"deletion_requests": []}


def test_the_readable_page_shows_the_same_data(client, siti):
    client.force_login(siti.user)

    response = client.get("/me/data/")

    assert response.status_code == 200 and no_store(response)
    html = response.content.decode()
    assert siti.nik in html and "Warung Siti" in html and "1234567890123" in html


def test_a_source_other_apps_register_appears_in_the_export(client, siti):
    personal_data.register(
        personal_data.Source(
            key="test-growth",
            label="Monthly reports",
            export=lambda e: {"reports": [{"period": "2026-01", "turnover": 1500000}]},
            erase=lambda e, *, actor: None,
        )
    )
    try:
        client.force_login(siti.user)
        data = json.loads(client.get("/me/data/download.json").content)
        html = client.get("/me/data/").content.decode()
    finally:
        personal_data.unregister("test-growth")
    assert data["sections"]["test-growth"]["data"]["reports"][0]["turnover"] == 1500000
    assert "Monthly reports" in html and "2026-01" in html


def test_the_data_page_answers_in_a_fixed_number_of_queries(client, siti, dina, django_assert_max_num_queries):
    for code in ("P2", "P3", "P4"):
        services.enrollment_request(entrepreneur=siti, facility=Facility.objects.get(code=code), actor=dina)
    client.force_login(siti.user)
    # Every registered source reads a fixed number of queries (growth 5, financing 3, marketing
    # 4, each asserted exactly in its app's tests); the page adds the session, user and person.
    with django_assert_max_num_queries(28):
        assert client.get("/me/data/download.json").status_code == 200


def test_withdrawing_consent_records_the_time_and_leaves_them_out_of_contactable(client, siti):
    other = EntrepreneurFactory()
    client.force_login(siti.user)

    response = client.post("/me/data/consent/withdraw/", {"confirm": "on"})

    assert response.status_code == 302 and response["Location"] == "/me/data/"
    siti.refresh_from_db()
    assert siti.consent_withdrawn_at is not None
    assert set(Entrepreneur.objects.contactable()) == {other}
    assert b'data-consent="withdrawn"' in client.get("/me/data/").content
    # History records who did it.
    assert siti.history.first().history_user == siti.user


def test_withdrawing_consent_needs_the_box_ticked(english, siti):
    client = english
    client.force_login(siti.user)

    response = client.post("/me/data/consent/withdraw/", {}, follow=True)

    siti.refresh_from_db()
    assert siti.consent_withdrawn_at is None
    assert "Tick the box" in [str(m) for m in response.context["messages"]][0]


def test_withdrawing_consent_twice_says_so(english, siti):
    client = english
    client.force_login(siti.user)
    client.post("/me/data/consent/withdraw/", {"confirm": "on"})
    siti.refresh_from_db()
    first = siti.consent_withdrawn_at

    response = client.post("/me/data/consent/withdraw/", {"confirm": "on"}, follow=True)

    siti.refresh_from_db()
    assert siti.consent_withdrawn_at == first
    assert "already withdrawn" in [str(m) for m in response.context["messages"]][-1]


def test_a_deletion_request_is_recorded_and_its_status_shown(client, siti):
    client.force_login(siti.user)

    response = client.post("/me/data/deletion/", {"reason": "Saya pindah ke Bandung.", "confirm": "on"}, follow=True)

    request = DeletionRequest.objects.get(entrepreneur=siti)
    assert request.status == "open" and request.reason == "Saya pindah ke Bandung."
    assert response.redirect_chain == [("/me/data/", 302)]
    assert b'data-deletion-status="open"' in response.content
    assert b'data-deletion-status="open"' in client.get("/me/").content


def test_one_open_deletion_request_at_a_time(english, siti):
    client = english
    client.force_login(siti.user)
    client.post("/me/data/deletion/", {"reason": "", "confirm": "on"})

    response = client.post("/me/data/deletion/", {"reason": "again", "confirm": "on"}, follow=True)

    assert DeletionRequest.objects.filter(entrepreneur=siti).count() == 1
    assert "already have an open deletion request" in [str(m) for m in response.context["messages"]][-1]


def test_a_deletion_request_needs_the_confirmation_and_clean_text(client, siti):
    client.force_login(siti.user)

    unconfirmed = client.post("/me/data/deletion/", {"reason": "x"})
    hidden = client.post("/me/data/deletion/", {"reason": "abc\u202edef", "confirm": "on"})
    too_long = client.post("/me/data/deletion/", {"reason": "x" * 2001, "confirm": "on"})
    nul = client.post("/me/data/deletion/", {"reason": "a\x00b", "confirm": "on"})

    assert [r.status_code for r in (unconfirmed, hidden, too_long, nul)] == [302, 302, 302, 302]
    assert not DeletionRequest.objects.exists()


def test_the_pages_need_a_signed_in_entrepreneur_and_posts_only_for_writes(client, siti, alice):
    assert client.get("/me/data/")["Location"].startswith("/accounts/login/")
    assert client.post("/me/data/deletion/", {"confirm": "on"})["Location"].startswith("/accounts/login/")
    client.force_login(siti.user)
    assert client.get("/me/data/consent/withdraw/").status_code == 405
    assert client.get("/me/data/deletion/").status_code == 405
    client.force_login(alice)  # staff have no record: sent to /me/, which says why
    assert client.get("/me/data/download.json")["Location"] == "/me/"
    assert not DeletionRequest.objects.exists()


def test_posts_need_the_csrf_token(siti):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(siti.user)

    assert client.post("/me/data/deletion/", {"confirm": "on"}).status_code == 403
    assert client.post("/me/data/consent/withdraw/", {"confirm": "on"}).status_code == 403
    assert not DeletionRequest.objects.exists()


def test_the_privacy_notice_is_public(client):
    response = client.get("/privacy/")
    assert response.status_code == 200 and b"UU 27/2022" in response.content


def test_the_me_panel_shows_the_latest_requests_status_without_a_query_of_its_own(
    client, siti, dina, django_assert_num_queries
):
    client.force_login(siti.user)
    client.get("/me/")
    with CaptureQueriesContext(connection) as before:
        assert b"data-deletion-status" not in client.get("/me/").content
    first = privacy_services.deletion_request_create(entrepreneur=siti, reason="Saya pindah ke luar Jakarta.")
    privacy_services.deletion_request_reject(request=first, actor=dina, reason="Masih ada pinjaman berjalan.")
    other = EntrepreneurFactory()
    privacy_services.deletion_request_create(entrepreneur=other, reason="Bukan milik Siti.")
    with django_assert_num_queries(len(before.captured_queries)):
        html = client.get("/me/").content.decode()
    assert 'data-deletion-status="rejected"' in html  # hers, not the other person's open one
