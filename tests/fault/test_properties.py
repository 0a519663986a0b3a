"""Property-based abuse: generated values posted to the portal's inputs never produce a 500
and never leave a partial write behind."""

import json

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from registrations.imports import COLUMNS

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
        if "\x00" in parent:  # refused for the whole site before any view (RejectNulBytesMiddleware)
            assert response.status_code == 400
            continue
        if len(response.wsgi_request.get_full_path()) > django_settings.MAX_URL_LENGTH:  # RejectLongUrlsMiddleware
            assert response.status_code == 414
            continue
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


# --- the back office: search and filters ---------------------------------------------------

ADMIN_LISTS = {
    "/admin/registrations/entrepreneur/": ["kota", "kecamatan", "status", "track", "sector", "completed", "source"],
    "/admin/registrations/enrollment/": ["state", "facility__code__exact", "center"],
    "/admin/facilities/activity/": ["facility__code__exact", "kind", "published__exact", "center"],
}


@given(
    path=st.sampled_from(sorted(ADMIN_LISTS)),
    q=st.one_of(st.none(), nasty_text),
    params=st.lists(st.tuples(st.sampled_from(["o", "p", "e", "all", "_to_field"]), nasty_text), max_size=2),
    filters=st.data(),
)
def test_admin_search_and_filters_never_fail(path, q, params, filters, alice, dina):
    query = dict(params)
    for name in filters.draw(st.lists(st.sampled_from(ADMIN_LISTS[path]), max_size=3, unique=True)):
        query[name] = filters.draw(nasty_text)
    if q is not None:
        query["q"] = q
    for user in (alice, dina):
        client = Client()
        client.force_login(user)
        response = client.get(path, query)
        if any("\x00" in str(value) for value in query.values()):  # RejectNulBytesMiddleware, first
            assert response.status_code == 400
            continue
        if len(response.wsgi_request.get_full_path()) > django_settings.MAX_URL_LENGTH:  # RejectLongUrlsMiddleware
            assert response.status_code == 414
            continue
        # 200, the admin's redirect to "?e=1" for a lookup it does not accept, or 400 for a
        # _to_field it does not allow.
        assert response.status_code in (200, 302, 400), (user.email, path, query, response.status_code)


# --- the legacy import -----------------------------------------------------------------------

IMPORT_HEADER = list(COLUMNS)  # the importer's own column layout
IMPORT_ROW = (
    "OKOCE-2018-{n:06d},{nik},Siti Aminah,1985-02-14,P,0812-1111-{n:04d},,31.71.01.1001,Jl. Kebon Kelapa No. 3,"
    "naik_kelas,Katering Bu Siti,kuliner,9120001234567,4,5-25jt,2012,P1;P2;P4,2018-03-05"
)


@given(
    rows=st.lists(
        st.dictionaries(st.sampled_from(IMPORT_HEADER), st.one_of(nasty_text, st.just("")), max_size=4),
        min_size=1,
        max_size=6,
    ),
    raw_junk=st.one_of(st.none(), st.binary(max_size=200)),
)
def test_the_import_reports_bad_lines_and_writes_all_or_nothing(rows, raw_junk, dina):
    import csv
    import datetime as dt
    import io

    from django.db import transaction

    from registrations.imports import ImportFileError, import_entrepreneurs
    from registrations.models import Entrepreneur
    from registrations.tests.factories import make_nik

    if raw_junk is not None:
        content = raw_junk
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(IMPORT_HEADER)
        for n, changes in enumerate(rows, start=1):
            nik = make_nik(dt.date(1985, 2, 14), "P", 500 + n)
            values = dict(zip(IMPORT_HEADER, next(csv.reader([IMPORT_ROW.format(n=n, nik=nik)])), strict=True))
            values.update(changes)
            writer.writerow([values[column] for column in IMPORT_HEADER])
        content = buffer.getvalue().encode("utf-8")
    with transaction.atomic():
        before = set(Entrepreneur.objects.values_list("nik", flat=True))
        try:
            result = import_entrepreneurs(file=io.BytesIO(content), filename="legacy.csv", actor=dina)
        except ImportFileError as error:
            assert str(error)  # a clear message for the whole file, and nothing written
            assert set(Entrepreneur.objects.values_list("nik", flat=True)) == before
            transaction.set_rollback(True)
            return
        after = set(Entrepreneur.objects.values_list("nik", flat=True))
        transaction.set_rollback(True)
    event(f"created {result.created}, errors {len(result.errors)}")
    bad_lines = {error.line for error in result.errors}
    assert result.valid + len(bad_lines) == result.total
    # All or nothing (docs/IMPORT.md): a file with any refused line writes no row at all.
    if result.errors:
        assert not result.written
        assert after == before
    else:
        assert result.written
        assert len(after - before) == result.created
