"""Growth's part of the resident's data (registrations/personal_data.py): /me/data/ and its
JSON copy hold their mentors, sessions (internal notes included: they are data about the
person), reports with every correction and the reminders sent; erasure blanks the free text
about them and keeps the figures."""

import datetime as dt
import json

import pytest

from growth import services
from growth.models import MentoringSession, MonthlyReport
from growth.tests.factories import MentorAssignmentFactory, MentoringSessionFactory
from registrations import personal_data
from registrations.tests.factories import EntrepreneurFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def siti(maya):
    siti = EntrepreneurFactory(full_name="Siti Rahmawati", user=UserFactory(email="siti@example.id"))
    MentorAssignmentFactory(entrepreneur=siti, mentor=maya)
    MentoringSessionFactory(
        entrepreneur=siti,
        mentor=maya,
        notes="Siti's husband is ill; call after 4 pm",
        next_step="Daftar NIB lewat OSS",
        next_step_due=dt.date(2026, 2, 1),
    )
    report = services.report_file(
        entrepreneur=siti,
        actor=siti.user,
        period="2026-01",
        figures=services.ReportFigures(turnover=15_000_000, assets=40_000_000, workers=2),
        today=dt.date(2026, 3, 1),
    )
    services.report_correct(
        report=report,
        actor=siti.user,
        figures=services.ReportFigures(turnover=16_000_000, assets=40_000_000, workers=3),
    )
    return siti


def test_the_copy_holds_mentors_sessions_reports_and_their_corrections(siti, maya):
    part = personal_data.export_all(siti)["sections"]["growth"]["data"]
    assert [m["mentor"] for m in part["mentors"]] == ["maya@jakpreneur.test"]
    (session,) = part["mentoring_sessions"]
    assert (session["notes"], session["next_step"], session["next_step_due"]) == (
        "Siti's husband is ill; call after 4 pm",
        "Daftar NIB lewat OSS",
        "2026-02-01",
    )
    (report,) = part["monthly_reports"]
    assert (report["period"], report["turnover"], report["workers"]) == ("2026-01", 16_000_000, 3)
    assert [v["turnover"] for v in report["versions"]] == [15_000_000, 16_000_000]
    json.dumps(part)  # JSON values only


def test_the_copy_reads_a_fixed_number_of_queries(siti, maya, django_assert_num_queries):
    from growth.personal_data import personal_data_export

    with django_assert_num_queries(5):
        personal_data_export(siti)
    for month in range(2, 12):
        services.report_file(
            entrepreneur=siti,
            actor=siti.user,
            period=f"2025-{month:02d}",
            figures=services.ReportFigures(turnover=1_000_000, assets=1, workers=0),
            today=dt.date(2026, 3, 1),
        )
    MentoringSessionFactory.create_batch(3, entrepreneur=siti, mentor=maya)
    with django_assert_num_queries(5):
        personal_data_export(siti)


def test_the_readable_page_and_the_download_show_the_growth_part(client, siti):
    client.force_login(siti.user)
    page = client.get("/me/data/")
    assert page.status_code == 200
    assert "Daftar NIB lewat OSS" in page.content.decode()
    download = client.get("/me/data/download.json")
    assert download.status_code == 200
    data = json.loads(b"".join(download.streaming_content) if download.streaming else download.content)
    assert data["sections"]["growth"]["data"]["monthly_reports"][0]["turnover"] == 16_000_000


def test_erasure_blanks_the_free_text_and_keeps_the_figures(siti, dina):
    personal_data.erase_all(siti, actor=dina)
    session = MentoringSession.objects.get(entrepreneur=siti)
    assert (session.notes, session.next_step) == ("", "")
    assert (session.date, session.mode, session.topics) == (dt.date(2026, 1, 15), "visit", ["finance"])
    report = MonthlyReport.objects.get(entrepreneur=siti)
    assert (report.turnover, report.workers) == (16_000_000, 3)
