"""Fixtures shared by the back-office tests (imported by those test modules)."""

import pytest

from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory


@pytest.fixture
def gambir_person(db):
    """An entrepreneur of Gambir (alice's kecamatan)."""
    return BusinessFactory(entrepreneur=EntrepreneurFactory(kelurahan_code=GAMBIR_KELURAHAN, full_name="Ani Gambir"))


@pytest.fixture
def menteng_person(db):
    """An entrepreneur of Menteng (bob's kecamatan)."""
    return EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN, full_name="Budi Menteng")


def admin_url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(f"admin:{name}", args=args)


def changelist_results(response) -> list:
    return list(response.context["cl"].result_list)


def post_action(client, url_name, action, objs, **extra):
    return client.post(
        admin_url(url_name), {"action": action, "_selected_action": [o.pk for o in objs], **extra}, follow=True
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]
