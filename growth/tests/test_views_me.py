"""/me/reports/, /me/mentoring/ and the growth lines of /me/: the entrepreneur's own reports
and sessions only."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from growth.models import MentorProfile, MonthlyReport
from growth.selectors import add_months, current_period
from growth.tests.factories import MentorAssignmentFactory, MentoringSessionFactory, MonthlyReportFactory
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db

URL = "/me/reports/"


@pytest.fixture
def person(client):
    entrepreneur = EntrepreneurFactory(full_name="Siti Aminah")
    client.force_login(entrepreneur.user)
    return entrepreneur


def last_month() -> str:
    return f"{add_months(current_period(), -1):%Y-%m}"


def post(client, **overrides):
    data = {"period": last_month(), "turnover": "Rp 1.500.000", "assets": "10.000.000", "workers": "2", **overrides}
    return client.post(URL, data)


def errors(response) -> dict:
    return {field: [e["code"] for e in errs] for field, errs in response.context["form"].errors.get_json_data().items()}


def test_the_page_shows_the_form_and_no_reports_yet(client, person):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["reports"] == []
    assert 'name="period"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert "/login/" in client.get(URL)["Location"]


def test_a_staff_account_without_a_record_is_sent_to_me(client, alice):
    client.force_login(alice)
    assert client.get(URL)["Location"] == "/me/"


@pytest.mark.parametrize("amount", ["1.500.000", "Rp 1.500.000", "1500000", "Rp1.500.000,00"])
def test_a_report_is_saved_and_redirects(client, person, amount):
    response = post(client, turnover=amount)
    assert response.status_code == 302 and response["Location"] == URL
    report = MonthlyReport.objects.get()
    assert (report.entrepreneur, report.turnover, report.assets, report.workers, report.filed_by) == (
        person,
        1_500_000,
        10_000_000,
        2,
        "self",
    )
    assert report.period == add_months(current_period(), -1)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"period": f"{add_months(current_period(), 1):%Y-%m}"}, {"period": ["period_future"]}),
        ({"period": "2017-11"}, {"period": ["period_before_programme"]}),
        ({"period": "2019-01"}, {"period": ["period_before_business"]}),
        ({"period": "januari"}, {"period": ["period_format"]}),
        ({"turnover": "-1.000"}, {"turnover": ["amount_negative"]}),
        ({"turnover": "2.000.000.000.000"}, {"turnover": ["amount_too_large"]}),
        ({"assets": '=HYPERLINK("x")'}, {"assets": ["amount_format"]}),
        ({"assets": "10\u202e000"}, {"assets": ["control_characters"]}),
        ({"workers": "-2"}, {"workers": ["workers_negative"]}),
        ({"turnover": ""}, {"turnover": ["required"]}),
    ],
)
def test_bad_reports_are_refused_with_a_message_and_write_nothing(client, person, overrides, expected):
    BusinessFactory(entrepreneur=person, started_year=2020)
    response = post(client, **overrides)
    assert response.status_code == 200
    assert errors(response) == expected
    assert not MonthlyReport.objects.exists()


def test_a_nul_byte_is_refused_before_the_view(client, person):
    response = post(client, turnover="1.000\x00")
    assert response.status_code in (200, 400)
    assert not MonthlyReport.objects.exists()


def test_a_month_reported_twice_offers_the_correction_page(client, person):
    MonthlyReportFactory(entrepreneur=person, period=add_months(current_period(), -1), turnover=1_000_000)
    response = post(client)
    assert response.status_code == 200
    assert errors(response) == {"period": ["duplicate"]}
    correct = f"/me/reports/{last_month()}/correct/"
    assert response.context["correct_url"] == correct
    assert correct in response.content.decode()
    assert MonthlyReport.objects.get().turnover == 1_000_000


def test_the_correction_page_keeps_history(client, person):
    report = MonthlyReportFactory(entrepreneur=person, period=dt.date(2026, 1, 1), turnover=1_000_000)
    page = client.get("/me/reports/2026-01/correct/")
    assert page.status_code == 200 and page.context["form"].initial["turnover"] == 1_000_000
    response = client.post(
        "/me/reports/2026-01/correct/", {"turnover": "1.250.000", "assets": "5.000.000", "workers": "1"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.turnover == 1_250_000 and report.history.count() == 2
    assert len(client.get("/me/reports/2026-01/correct/").context["history"]) == 2


def test_someone_elses_month_or_a_bad_month_is_404(client, person):
    other = MonthlyReportFactory(period=dt.date(2026, 1, 1), turnover=7)  # another entrepreneur's January
    assert client.get("/me/reports/2026-01/correct/").status_code == 404
    assert (
        client.post("/me/reports/2026-01/correct/", {"turnover": "1", "assets": "1", "workers": "1"}).status_code == 404
    )
    assert client.get("/me/reports/not-a-month/correct/").status_code == 404
    assert client.get("/me/reports/2026-13/correct/").status_code == 404
    other.refresh_from_db()
    assert other.turnover == 7


def test_the_page_costs_the_same_with_24_months(client, person, django_assert_num_queries):
    MonthlyReportFactory(entrepreneur=person, period=dt.date(2024, 1, 1))
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for months in range(1, 24):
        MonthlyReportFactory(entrepreneur=person, period=add_months(dt.date(2024, 1, 1), months))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(URL)
    assert len(response.context["reports"]) == 24
    assert len(response.context["series"]["labels"]) == 24
    assert response.context["series"]["labels"][0] == "2024-01"  # oldest first on the chart


MENTORING = "/me/mentoring/"
# Session, user, the entrepreneur, the mentor (one query: assignment, account and profile), the
# sessions.
MENTORING_QUERIES = 5


def test_the_me_lines_show_the_mentor_and_link_to_the_sessions_and_reports(client, person, maya):
    MentorProfile.objects.create(user=maya, display_name="Maya Pendamping", phone="+6281234567890")
    MentorAssignmentFactory(entrepreneur=person, mentor=maya)
    MentoringSessionFactory(entrepreneur=person, mentor=maya, date=timezone.localdate(), next_step="Daftar NIB di OSS")
    MonthlyReportFactory(entrepreneur=person, period=dt.date(2026, 1, 1))
    client.cookies["django_language"] = "en"
    body = client.get("/me/").content.decode()
    assert "Maya Pendamping" in body and 'href="tel:+6281234567890"' in body
    assert "Daftar NIB di OSS" not in body  # the sessions are on their own page
    assert f'href="{MENTORING}"' in body and 'href="/me/reports/"' in body
    assert "January 2026" in body


def test_the_mentoring_page_shows_the_mentor_and_sessions_but_never_internal_notes(
    client, person, maya, django_assert_num_queries
):
    MentorProfile.objects.create(user=maya, display_name="Maya Pendamping", phone="+6281234567890")
    MentorAssignmentFactory(entrepreneur=person, mentor=maya)
    MentoringSessionFactory(
        entrepreneur=person,
        mentor=maya,
        date=timezone.localdate(),
        notes="RAHASIA: cek ulang pembukuan",
        next_step="Daftar NIB di OSS",
    )
    someone_else = EntrepreneurFactory()
    MentoringSessionFactory(entrepreneur=someone_else, mentor=maya, next_step="Bukan untuk Siti")
    client.get(MENTORING)
    with django_assert_num_queries(MENTORING_QUERIES):
        response = client.get(MENTORING)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Maya Pendamping" in body and "+6281234567890" in body and maya.email in body
    assert "Daftar NIB di OSS" in body
    assert "RAHASIA" not in body
    assert "Bukan untuk Siti" not in body
    for day in range(2, 12):
        MentoringSessionFactory(entrepreneur=person, mentor=maya, date=dt.date(2026, 1, day))
    with django_assert_num_queries(MENTORING_QUERIES):
        body = client.get(MENTORING).content.decode()
    assert body.count("data-session") == 11


def test_the_mentoring_page_without_a_mentor_says_how_to_get_one(client, person):
    client.cookies["django_language"] = "en"
    body = client.get(MENTORING).content.decode()
    assert "No mentor assigned yet" in body and "No mentoring sessions yet." in body


def test_the_mentoring_page_needs_a_signed_in_entrepreneur(client, alice):
    assert "/login/" in client.get(MENTORING)["Location"]
    client.force_login(alice)
    assert client.get(MENTORING)["Location"] == "/me/"


def test_the_me_panel_has_a_fixed_query_count(client, person, maya, django_assert_num_queries):
    MentorAssignmentFactory(entrepreneur=person, mentor=maya)
    MentoringSessionFactory(entrepreneur=person, mentor=maya)
    client.get("/me/")
    with CaptureQueriesContext(connection) as one:
        client.get("/me/")
    for day in range(2, 12):
        MentoringSessionFactory(entrepreneur=person, mentor=maya, date=dt.date(2026, 1, day))
        MonthlyReportFactory(entrepreneur=person, period=dt.date(2025, day, 1))
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get("/me/").content.decode()
    assert "Rp 15.000.000" in body or "Rp 15,000,000" in body  # the latest report, from the page's first query


def test_the_me_panel_reads_the_mentor_and_the_last_report_with_the_entrepreneur(
    client, person, maya, django_assert_num_queries
):
    client.get("/me/")
    with CaptureQueriesContext(connection) as none_yet:
        body = client.get("/me/").content.decode()
    assert "data-mentor" not in body and "data-last-report" not in body
    MentorProfile.objects.create(user=maya, display_name="", phone="")
    maya.first_name, maya.last_name = "Maya", "Lestari"
    maya.save(update_fields=["first_name", "last_name"])
    MentorAssignmentFactory(entrepreneur=person, mentor=maya)
    MonthlyReportFactory(entrepreneur=person, period=dt.date(2025, 11, 1), turnover=7_500_000)
    MonthlyReportFactory(entrepreneur=person, period=dt.date(2025, 12, 1), turnover=9_250_000)
    # The growth lines run no query of their own, with or without a mentor and reports.
    with django_assert_num_queries(len(none_yet.captured_queries)):
        body = client.get("/me/").content.decode()
    assert "Maya Lestari" in body  # no display name: the account's name
    assert "9.250.000" in body or "9,250,000" in body  # December, the latest
    assert "7.500.000" not in body and "7,500,000" not in body


def test_the_chart_shows_a_month_not_reported_as_a_gap(client, person):
    for period, turnover in ((dt.date(2025, 10, 1), 5), (dt.date(2025, 12, 1), 7), (dt.date(2026, 1, 1), 0)):
        MonthlyReportFactory(entrepreneur=person, period=period, turnover=turnover)
    series = client.get(URL).context["series"]
    assert series["labels"] == ["2025-10", "2025-11", "2025-12", "2026-01"]
    assert series["turnover"] == [5, None, 7, 0]  # November was not reported; January was, as 0
    assert series["workers"][1] is None


def test_the_p6_row_on_me_says_the_reports_are_p6_once_the_person_reports(english, django_assert_num_queries):
    person = EntrepreneurFactory(full_name="Siti Aminah")
    english.force_login(person.user)
    html = english.get("/me/").content.decode()
    row = html[html.index('data-facility="P6"') :][:2500]
    assert "Request P6" in row and "data-p6-note" not in row  # before the first report: as usual
    english.get("/me/")
    with CaptureQueriesContext(connection) as before:
        english.get("/me/")
    MonthlyReportFactory(entrepreneur=person, period=dt.date(2025, 9, 1))
    with django_assert_num_queries(len(before.captured_queries)):  # read with the entrepreneur's row
        html = english.get("/me/").content.decode()
    row = html[html.index('data-facility="P6"') :][:2500]
    assert "data-p6-note" in row and "September 2025" in row and 'href="/me/reports/"' in row
    assert "Request P6" not in row
