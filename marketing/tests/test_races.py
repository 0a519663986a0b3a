"""Submissions racing for the last place of a round, and the same product submitted twice
at once (PostgreSQL: threads on row locks)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from marketing.models import Submission
from marketing.tests.factories import CurationRoundFactory, ProductFactory
from registrations.tests.factories import EntrepreneurFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="threads racing on a row lock need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def race(posts: list[tuple]) -> list[int]:
    barrier = threading.Barrier(len(posts))
    statuses: list[int] = []

    def post(user, url, data) -> None:
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=10)
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=args) for args in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_four_entrepreneurs_racing_for_two_places_get_two(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    curation_round = CurationRoundFactory(quota=2)
    products = [ProductFactory(entrepreneur=EntrepreneurFactory()) for _ in range(4)]
    url = f"/me/rounds/{curation_round.pk}/submit/"
    statuses = race([(p.entrepreneur.user, url, {"product": p.pk}) for p in products])
    assert statuses == [302] * 4
    assert Submission.objects.filter(round=curation_round).count() == 2


def test_the_same_product_submitted_twice_at_once_is_one_submission(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    curation_round = CurationRoundFactory(quota=5)
    product = ProductFactory(entrepreneur=EntrepreneurFactory())
    url = f"/me/rounds/{curation_round.pk}/submit/"
    statuses = race([(product.entrepreneur.user, url, {"product": product.pk})] * 2)
    assert statuses == [302, 302]
    assert Submission.objects.filter(round=curation_round).count() == 1
