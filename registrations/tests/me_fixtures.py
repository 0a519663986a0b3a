"""Fixtures shared by the tests of the entrepreneur's own pages (/me/; imported by those test
modules): siti, signed in, and budi, whose records she must not reach."""

import pytest

from registrations.tests.factories import EntrepreneurFactory

ME = "/me/"


@pytest.fixture
def siti(client):
    """An entrepreneur of Gambir, logged in (English)."""
    entrepreneur = EntrepreneurFactory(full_name="Siti Rahmawati")
    client.cookies["django_language"] = "en"
    client.force_login(entrepreneur.user)
    return entrepreneur


@pytest.fixture
def budi():
    """Another entrepreneur (Menteng), whose records siti must not reach."""
    return EntrepreneurFactory(full_name="Budi Santoso", kelurahan_code="31.71.06.1001")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
