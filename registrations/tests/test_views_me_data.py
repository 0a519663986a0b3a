"""/me/'s own data: editing contact data (the login email kept in step, the home centre moved)
and business data, with the registration rules."""

import pytest
from django.core.exceptions import ValidationError

from facilities.tests.factories import MENTENG, center
from registrations import services
from registrations.models import Business, Entrepreneur
from registrations.tests import me_fixtures

pytestmark = pytest.mark.django_db

# Shared fixtures (a module rather than a conftest, so that parallel branches do not collide).
siti = me_fixtures.siti
budi = me_fixtures.budi


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
