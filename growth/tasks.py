"""Background work of the growth app: the monthly reminders (Celery beat) and their emails
(queued through the outbox by services.reminders_queue)."""

import datetime as dt
import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from growth import selectors, services
from growth.models import MentorAssignment, MonthlyReport
from registrations.models import Entrepreneur, User

logger = logging.getLogger(__name__)
DIGEST_NAMES_SHOWN = 200
RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task
def follow_reports(entrepreneur_ids: list[int], actor_id: int | None = None) -> int:
    """After a monthly sheet: the P6 enrolments of its people with new months follow their
    reports (registrations.services.enrollments_follow_work; safe to run twice)."""
    from growth.services.reports import REPORTING_FACILITY, REPORTING_REASON
    from registrations import services as registrations

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    opened = registrations.enrollments_follow_work(
        entrepreneur_ids=entrepreneur_ids, facility_code=REPORTING_FACILITY, actor=actor, reason=REPORTING_REASON
    )
    logger.info("P6 followed the reports of %s people: %s enrolments opened or started", len(entrepreneur_ids), opened)
    return opened


@shared_task
def queue_monthly_reminders(period: str | None = None) -> dict:
    """Beat, early each month: remind about the previous month (safe to run twice)."""
    month = dt.date.fromisoformat(period) if period else selectors.add_months(selectors.current_period(), -1)
    outcome = services.reminders_queue(period=month)
    logger.info("Monthly reminders for %s: %s entrepreneurs, %s mentors", month, outcome.entrepreneurs, outcome.mentors)
    return {"entrepreneurs": outcome.entrepreneurs, "mentors": outcome.mentors}


def _send(*, template: str, context: dict, to: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        body = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


@shared_task(**RETRY)
def send_report_reminder(entrepreneur_id: int, period: str) -> bool:
    """Ask one entrepreneur to report a month, unless they did meanwhile or may no longer be
    written to."""
    month = dt.date.fromisoformat(period)
    entrepreneur = Entrepreneur.objects.contactable().filter(pk=entrepreneur_id).first()
    if entrepreneur is None or MonthlyReport.objects.filter(entrepreneur=entrepreneur, period=month).exists():
        return False
    context = {
        "entrepreneur": entrepreneur,
        "period": month,
        "reports_url": settings.JAKPRENEUR_SITE_URL + reverse("growth:me_reports"),
    }
    _send(template="report_reminder", context=context, to=entrepreneur.email)
    return True


@shared_task(**RETRY)
def send_mentor_digest(mentor_id: int, period: str) -> bool:
    """Tell a mentor which of their people have not reported a month."""
    month = dt.date.fromisoformat(period)
    mentor = User.objects.filter(pk=mentor_id, is_active=True).exclude(email="").first()
    if mentor is None:
        return False
    missing = (
        MentorAssignment.objects.active()
        .filter(mentor=mentor)
        .exclude(entrepreneur__monthly_reports__period=month)
        .select_related("entrepreneur")
        .order_by("entrepreneur__full_name")
    )
    people = [a.entrepreneur for a in missing[: DIGEST_NAMES_SHOWN + 1]]
    if not people:
        return False
    context = {
        "mentor_name": selectors.mentor_name(mentor),
        "period": month,
        "people": people[:DIGEST_NAMES_SHOWN],
        "more": len(people) > DIGEST_NAMES_SHOWN,
        "caseload_url": settings.JAKPRENEUR_SITE_URL + reverse("admin:growth_mentorassignment_caseload"),
        "upload_url": settings.JAKPRENEUR_SITE_URL + reverse("admin:growth_monthlyreport_upload"),
        "today": timezone.localdate(),
    }
    _send(template="mentor_digest", context=context, to=mentor.email)
    return True
