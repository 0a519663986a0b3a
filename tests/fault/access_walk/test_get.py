"""GET and HEAD of every URL pattern as every visitor, against the access table; and no page
shows the Menteng entrepreneur's personal data to anyone who must not see it."""

import pytest

from tests.fault.access_walk.table import ROLES, expected_for
from tests.fault.access_walk.urlconf import QUERY, fill, key_of, outcome, walk

pytestmark = pytest.mark.django_db


def test_every_url_pattern_has_an_entry_in_the_access_table():
    missing = sorted(key_of(route, name) for route, name, _ in walk() if expected_for(key_of(route, name)) is None)
    assert missing == [], "add these URLs to EXPECTED in tests/fault/access_walk/table.py"


@pytest.mark.parametrize("role", ROLES)
def test_each_visitor_gets_exactly_the_access_the_table_allows(role, as_role, samples, menteng_entrepreneur):
    client = as_role(role)
    client.raise_request_exception = False
    # Who must never see the Menteng entrepreneur's personal data, on any page. The Dinas sees
    # her name, but her NIK and phone number only masked until revealed with a reason.
    person = menteng_entrepreneur
    full_ids = [person.nik, person.phone, "0" + person.phone[3:]]
    secrets = {"entrepreneur": [], "dina": full_ids}.get(role, [*full_ids, person.full_name])
    mismatches = []
    for route, name, _ in walk():
        key = key_of(route, name)
        expected = expected_for(key)
        assert expected is not None, key
        path = fill(route, samples) + QUERY.get(key, "")
        response = client.get(path)
        got = outcome(response)
        if got != expected[role]:
            mismatches.append(f"{path} ({key}): expected {expected[role]}, got {got}")
        # Whatever answers GET answers HEAD the same way (uptime monitors, link checkers).
        head = client.head(path)
        if outcome(head) != got:
            mismatches.append(f"HEAD {path} ({key}): expected {got} as for GET, got {outcome(head)}")
        body = b"".join(response) if response.streaming else response.content
        for secret in secrets:
            if secret.encode() in body:
                mismatches.append(f"{path} ({key}): shows {secret!r} to {role}")
    assert not mismatches, "\n".join(mismatches)
