"""Property-based abuse: generated values posted to the portal's inputs never produce a 500
and never leave a partial write behind."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
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
