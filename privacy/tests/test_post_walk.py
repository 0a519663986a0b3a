"""Every POST of the PDP features, sent by each kind of visitor: only the person themselves
changes their consent or asks for their deletion; only staff allowed to see personal data
reveal, within their scope; only the Dinas handles deletion requests. Everyone else changes
nothing (and gets the login page, a 403 or a 404)."""

import pytest

from facilities.tests.factories import MENTENG_KELURAHAN
from privacy.models import DeletionRequest
from registrations.models import Entrepreneur, RevealLog
from registrations.tests.factories import EntrepreneurFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "entrepreneur", "other_entrepreneur", "alice", "olga", "dina")


@pytest.fixture
def menteng():
    return EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN, user=UserFactory(email="warga.menteng@example.id"))


@pytest.fixture
def login(client, menteng, alice, olga, dina):
    other = EntrepreneurFactory()
    users = {
        "anonymous": None,
        "entrepreneur": menteng.user,
        "other_entrepreneur": other.user,
        "alice": alice,
        "olga": olga,
        "dina": dina,
    }

    def as_role(role):
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return as_role


def state(menteng) -> tuple:
    menteng.refresh_from_db()
    return (
        menteng.consent_withdrawn_at is not None,
        DeletionRequest.objects.filter(entrepreneur=menteng).count(),
        RevealLog.objects.count(),
        menteng.anonymised_at is not None,
    )


@pytest.mark.parametrize("role", ROLES)
def test_consent_and_deletion_posts_change_only_ones_own_record(login, menteng, role):
    client = login(role)
    client.post("/me/data/consent/withdraw/", {"confirm": "on"})
    client.post("/me/data/deletion/", {"confirm": "on", "reason": "pindah"})

    withdrawn, requests, _logs, _erased = state(menteng)
    assert (withdrawn, requests) == ((True, 1) if role == "entrepreneur" else (False, 0))
    others = Entrepreneur.objects.exclude(pk=menteng.pk)
    changed = others.filter(consent_withdrawn_at__isnull=False).count()
    assert changed == (1 if role == "other_entrepreneur" else 0)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("entrepreneur", 302),
        ("other_entrepreneur", 302),
        ("alice", 404),
        ("olga", 302),
        ("dina", 302),
    ],
)
def test_only_staff_in_scope_reveal(login, menteng, role, status):
    client = login(role)
    response = client.post(
        f"/admin/registrations/entrepreneur/{menteng.pk}/reveal/", {"fields": ["nik"], "reason": "KTP check"}
    )
    assert response.status_code == status
    logged = RevealLog.objects.filter(entrepreneur=menteng).count()
    assert logged == (1 if role == "dina" else 0)
    if role != "dina" and status == 302:
        assert "/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_dinas_handles_deletion_requests(login, menteng, role):
    deletion = DeletionRequest.objects.create(entrepreneur=menteng, reason="pindah")
    client = login(role)
    client.post(
        "/admin/privacy/deletionrequest/",
        {"action": "approve", "_selected_action": [deletion.pk], "apply": "1", "confirm": "on"},
    )
    deletion.refresh_from_db()
    assert deletion.status == ("done" if role == "dina" else "open")
    assert state(menteng)[3] == (role == "dina")


@pytest.mark.parametrize("role", ROLES)
def test_a_full_export_is_logged_only_for_staff_who_may_see_personal_data(login, menteng, role):
    client = login(role)
    response = client.post("/admin/registrations/entrepreneur/export/csv/full/", {"reason": "Bank DKI batch"})
    if role in ("alice", "dina"):
        body = b"".join(response.streaming_content).decode()
        assert (menteng.nik in body) == (role == "dina")  # alice: Gambir only
        assert RevealLog.objects.get().user.email.startswith(role)
    else:
        assert response.status_code == 302 and "/login/" in response["Location"]
        assert not RevealLog.objects.exists()
