"""The monthly reminders: who gets one, the mentor's list, once per person and month however
often the job runs, in bounded chunks, queued through the outbox on commit."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from growth import services, tasks
from growth.models import ReminderSent
from growth.services import reminders
from growth.tests.factories import MentorAssignmentFactory, MonthlyReportFactory
from outbox.models import Job
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

PERIOD = dt.date(2026, 1, 1)


@pytest.fixture
def people(maya):
    """Who should and should not be reminded about January 2026."""
    cast = {
        "silent": EntrepreneurFactory(full_name="Siti Silent"),
        "reported": EntrepreneurFactory(full_name="Rina Reported"),
        "withdrawn": EntrepreneurFactory(full_name="Wati Withdrawn", consent_withdrawn_at=timezone.now()),
        "no_account": EntrepreneurFactory(full_name="Nur Noaccount", user=None, email=""),
        "rejected": EntrepreneurFactory(full_name="Rudi Rejected", status="rejected"),
    }
    MonthlyReportFactory(entrepreneur=cast["reported"], period=PERIOD)
    MonthlyReportFactory(entrepreneur=cast["silent"], period=dt.date(2025, 12, 1))  # another month
    for key in ("silent", "reported", "no_account"):
        MentorAssignmentFactory(entrepreneur=cast[key], mentor=maya)
    return cast


def run(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return services.reminders_queue(period=PERIOD, **kwargs)


def test_the_right_people_are_reminded_and_the_mentor_gets_her_list(people, maya, django_capture_on_commit_callbacks):
    outcome = run(django_capture_on_commit_callbacks)
    assert (outcome.entrepreneurs, outcome.mentors) == (1, 1)
    to = sorted(message.to[0] for message in mail.outbox)
    assert to == sorted([people["silent"].email, maya.email])
    digest = next(m for m in mail.outbox if m.to == [maya.email])
    assert "Siti Silent" in digest.body and "Nur Noaccount" in digest.body and "Rina Reported" not in digest.body
    reminder = next(m for m in mail.outbox if m.to == [people["silent"].email])
    assert "/me/reports/" in reminder.body and "Januari 2026" in reminder.subject  # Indonesian by default
    assert set(ReminderSent.objects.values_list("kind", flat=True)) == {"entrepreneur", "mentor"}


def test_a_rerun_sends_nothing_twice(people, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    outcome = run(django_capture_on_commit_callbacks)
    assert (outcome.entrepreneurs, outcome.mentors) == (0, 0)
    assert len(mail.outbox) == sent
    assert ReminderSent.objects.count() == 2 and Job.objects.count() == 2


def test_someone_who_reports_before_the_email_goes_is_not_emailed(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.reminders_queue(period=PERIOD)
    MonthlyReportFactory(entrepreneur=people["silent"], period=PERIOD, turnover=1, assets=1, workers=0)
    for callback in callbacks:
        callback()
    # Siti is not emailed; her mentor's list, made when it is sent, names only Nur.
    assert [m.to for m in mail.outbox] == [["maya@jakpreneur.test"]]
    assert "Nur Noaccount" in mail.outbox[0].body and "Siti Silent" not in mail.outbox[0].body


def test_many_people_go_in_bounded_chunks(maya, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    for n in range(7):
        MentorAssignmentFactory(entrepreneur=EntrepreneurFactory(full_name=f"P{n}"), mentor=maya)
    with django_assert_max_num_queries(60):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            outcome = services.reminders_queue(period=PERIOD, chunk_size=3)
    assert (outcome.entrepreneurs, outcome.mentors) == (7, 1)
    assert len(callbacks) == 8 and Job.objects.count() == 8


def test_a_concurrent_claim_loses_quietly(people):
    ReminderSent.objects.create(kind="entrepreneur", period=PERIOD, entrepreneur=people["silent"])
    ids = [people["silent"].pk, people["reported"].pk]
    assert reminders._claim(kind="entrepreneur", period=PERIOD, ids=ids) == [people["reported"].pk]


def test_the_beat_task_reminds_about_the_previous_month(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.queue_monthly_reminders(PERIOD.isoformat())
    assert result == {"entrepreneurs": 1, "mentors": 1}
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["growth-monthly-reminders"]["task"] == "growth.tasks.queue_monthly_reminders"
