"""/me/data/ shows stored values as people say them: choices by their label (declared by each
app's personal-data source, by the path of the field), who did something, dates and times in
the page's language and Jakarta's time. The JSON copy keeps the stored values."""

import datetime as dt
import json

import pytest

from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def siti(db):
    return EntrepreneurFactory(
        full_name="Siti Rahmawati",
        gender="P",
        track="pemula",
        registered_at=dt.datetime(2026, 3, 14, 2, 5, tzinfo=dt.UTC),
        birth_date=dt.date(1990, 3, 14),
    )


def test_the_page_reads_choices_dates_and_times_in_indonesian(client, siti):
    client.force_login(siti.user)
    html = client.get("/me/data/").content.decode()
    assert "Perempuan" in html  # gender P
    assert "14 Maret 1990" in html  # the birth date
    assert "14 Maret 2026, 9.05" in html  # 02:05 UTC is 09:05 in Jakarta
    assert "2026-03-14T" not in html and "1990-03-14" not in html
    assert ">pemula<" not in html


def test_the_page_reads_them_in_english_too(english, siti):
    english.force_login(siti.user)
    html = english.get("/me/data/").content.decode()
    assert "Female" in html and "March 14, 1990" in html


def test_the_json_copy_keeps_the_stored_values(client, siti):
    client.force_login(siti.user)
    data = json.loads(client.get("/me/data/download.json").content)
    person = data["sections"]["registrations"]["data"]["person"]
    assert (person["gender"], person["track"], person["birth_date"]) == ("P", "pemula", "1990-03-14")


def test_amounts_are_grouped_as_indonesians_write_them(client, siti):
    from django.utils import translation

    from privacy.templatetags.privacy_tags import readable

    with translation.override("id"):
        assert readable(10_038_000, "growth", "monthly_reports.turnover") == "10.038.000"
        assert readable(2015, "registrations", "business.started_year") == "2015"
    with translation.override("en"):
        assert readable(10_038_000, "growth", "monthly_reports.turnover") == "10,038,000"


def test_who_made_a_change_is_named_from_the_sources_choices(english, siti):
    """The history's "by" (self, staff, system) is read through registrations' choices."""
    english.force_login(siti.user)
    html = english.get("/me/data/").content.decode()
    assert "the system (import or job)" in html  # the factory's rows have no history user
    assert ">system<" not in html
