"""Property-based abuse: generated values posted to the portal's inputs never produce a 500
and never leave a partial write behind."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

# Modest example counts keep CI fast; each property still sees a few hundred odd inputs
# across the suite. HYPOTHESIS_PROFILE=thorough runs many more locally.
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "ci"))

# Text that tends to break things: control and NUL characters, RTL marks, emoji, long runs,
# SQL and HTML fragments, and near-valid region codes.
nasty_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "",
            "\x00",
            "31.71\x00",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "31.71.01.1001",
            "31.71",
            "31.71.01",
            "99.99",
            "31.7１",  # full-width digit
            "\u202e31.71",
            "%00",
            "31.71" * 1000,
        ]
    ),
    st.from_regex(r"\A3[0-9]\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?\Z"),
)


@given(parent=nasty_text)
def test_region_endpoints_answer_any_query_with_json_and_never_500(parent):
    client = Client()
    for path, param in (("/api/regions/kecamatan/", "kota"), ("/api/regions/kelurahan/", "kecamatan")):
        response = client.get(path, {param: parent})
        assert response.status_code in (200, 400, 404), (path, parent, response.status_code)
        payload = json.loads(response.content)
        assert ("results" in payload) == (response.status_code == 200)


# --- the registration form -------------------------------------------------------------------

REGISTRATION_FIELDS = [
    "email",
    "password1",
    "password2",
    "nik",
    "full_name",
    "birth_date",
    "gender",
    "phone",
    "kelurahan",
    "address",
    "track",
    "business_name",
    "sector",
    "started_year",
    "workers",
    "turnover_band",
    "nib",
    "facilities",
    "consent",
]

field_values = st.one_of(
    nasty_text,
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.lists(nasty_text, max_size=3),
    st.sampled_from(["P1", "P2", "P7", "P9", "pemula", "naik_kelas", "L", "P", "on", "3171014501900001"]),
)


def _counts() -> tuple[int, ...]:
    from registrations.models import Business, Enrollment, Entrepreneur, StatusChange, User

    return tuple(model.objects.count() for model in (Entrepreneur, User, Enrollment, Business, StatusChange))


@pytest.fixture
def _register_quietly(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.RATELIMIT_ENABLE = False


@given(
    changes=st.dictionaries(st.sampled_from(REGISTRATION_FIELDS), st.one_of(st.none(), field_values), max_size=5),
    seed=st.integers(min_value=1, max_value=9998),
)
def test_the_registration_form_never_fails_and_never_half_writes(changes, seed, _register_quietly):
    from django.db import transaction

    from registrations.tests.registration_payloads import registration_data

    data = registration_data(email=f"p{seed}@example.id")
    for field, value in changes.items():
        if value is None:
            data.pop(field, None)
        else:
            data[field] = value
    with transaction.atomic():
        before = _counts()
        response = Client().post("/register/", data)
        after = _counts()
        transaction.set_rollback(True)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 302), (data, response.status_code)
    if response.status_code == 200:
        assert after == before, data  # refused: nothing written
    else:
        entrepreneurs, users, enrollments, _, changes_logged = (a - b for a, b in zip(after, before, strict=True))
        assert (entrepreneurs, users) == (1, 1)
        assert enrollments >= 1 and changes_logged >= 2  # P1 completed, each logged
