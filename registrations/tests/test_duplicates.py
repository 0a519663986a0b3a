import datetime as dt

import pytest

from facilities.tests.factories import MENTENG_KELURAHAN
from registrations import selectors
from registrations.tests.admin_fixtures import admin_url
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db


def test_same_normalised_name_and_birth_date_are_candidates(dina):
    birth = dt.date(1980, 1, 2)
    one = EntrepreneurFactory(user=None, full_name="Siti    Aminah", birth_date=birth)
    two = EntrepreneurFactory(user=None, full_name="siti aminah", birth_date=birth)
    three = EntrepreneurFactory(user=None, full_name=" SITI\tAminah\n", birth_date=birth)
    EntrepreneurFactory(user=None, full_name="Siti Aminah", birth_date=dt.date(1981, 1, 2))
    EntrepreneurFactory(user=None, full_name="Siti Aminah Putri", birth_date=birth)
    groups = [g for g in selectors.duplicate_candidates(dina) if g.reason == "name_birth_date"]
    # Runs of spaces, tabs and line breaks do not hide a duplicate.
    assert [{e.pk for e in g.entrepreneurs} for g in groups] == [{one.pk, two.pk, three.pk}]


def test_exact_name_matches_are_grouped(dina):
    birth = dt.date(1980, 1, 2)
    one = EntrepreneurFactory(user=None, full_name="Siti Aminah", birth_date=birth)
    two = EntrepreneurFactory(user=None, full_name="SITI AMINAH ", birth_date=birth)
    groups = [g for g in selectors.duplicate_candidates(dina) if g.reason == "name_birth_date"]
    assert [{e.pk for e in g.entrepreneurs} for g in groups] == [{one.pk, two.pk}]


def test_same_phone_is_a_candidate(dina):
    one = EntrepreneurFactory(user=None, phone="+6281200000001")
    two = EntrepreneurFactory(user=None, phone="+6281200000001", kelurahan_code=MENTENG_KELURAHAN)
    groups = [g for g in selectors.duplicate_candidates(dina) if g.reason == "phone"]
    assert [{e.pk for e in g.entrepreneurs} for g in groups] == [{one.pk, two.pk}]


def test_centre_staff_see_candidates_within_their_kecamatan_only(alice):
    EntrepreneurFactory(user=None, phone="+6281200000001")
    EntrepreneurFactory(user=None, phone="+6281200000001", kelurahan_code=MENTENG_KELURAHAN)
    assert selectors.duplicate_candidates(alice) == []


def test_the_duplicates_page_lists_the_groups(english, dina):
    EntrepreneurFactory(user=None, phone="+6281200000001", full_name="Rina A")
    EntrepreneurFactory(user=None, phone="+6281200000001", full_name="Rina B")
    english.force_login(dina)
    response = english.get(admin_url("registrations_entrepreneur_duplicates"))
    html = response.content.decode()
    assert "Same mobile number" in html and "Rina A" in html and "Rina B" in html


def test_no_candidates_says_so(english, dina):
    english.force_login(dina)
    assert "No duplicate candidates" in english.get(admin_url("registrations_entrepreneur_duplicates")).content.decode()
