"""Twenty simultaneous submissions of one application by one entrepreneur (a double tap, a
flaky phone network) give one application and clear refusals, never a 500. PostgreSQL only,
like the other races (tests/fault/test_concurrency.py)."""

import pytest
from django.db import connection

from financing.models import ApplicationStep, FinancingApplication, FinancingProduct
from financing.tests.conftest import eligible_person
from registrations.tests.factories import UserFactory
from tests.fault.test_concurrency import _session_cookie, post_all

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock and unique-index races need PostgreSQL"),
]

TAPS = 20


@pytest.fixture(autouse=True)
def _server_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.RATELIMIT_ENABLE = False


def test_twenty_simultaneous_applications_for_one_product_give_one(live_server):
    siti = eligible_person(user=UserFactory(email="siti.race@example.id"))
    monas = FinancingProduct.objects.get(name="Kredit Monas Pemula")
    form = {"product": monas.pk, "amount": "Rp 5.000.000", "tenor_months": "12", "purpose": "Stok Ramadan"}
    cookie = {"sessionid": _session_cookie(siti.user)}
    results = post_all(live_server.url, [("/me/financing/", form, cookie) for _ in range(TAPS)])

    statuses = [status for status, _ in results]
    assert 500 not in statuses
    assert statuses.count(302) == 1, statuses
    assert statuses.count(200) == TAPS - 1, statuses
    assert all(
        "You already have an open application for Kredit Monas Pemula" in body for s, body in results if s == 200
    )
    assert FinancingApplication.objects.filter(entrepreneur=siti).count() == 1
    assert ApplicationStep.objects.count() == 1
