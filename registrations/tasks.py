"""Background work of the registrations app."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from registrations.models import Enrollment, Entrepreneur

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_registration_confirmation(entrepreneur_id: int, language: str | None = None) -> bool:
    """Email a new entrepreneur the confirmation of their registration, in the language they
    registered in. Returns False when there is nobody (or no address) to write to."""
    entrepreneur = (
        Entrepreneur.objects.select_related("home_center", "kelurahan", "kecamatan").filter(pk=entrepreneur_id).first()
    )
    if entrepreneur is None or not entrepreneur.email:
        logger.info("No confirmation sent: entrepreneur %s is gone or has no email", entrepreneur_id)
        return False
    enrollments = list(
        Enrollment.objects.filter(entrepreneur=entrepreneur).select_related("facility").order_by("facility__order")
    )
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "entrepreneur": entrepreneur,
            "enrollments": enrollments,
            "center": entrepreneur.home_center,
            "me_url": settings.JAKPRENEUR_SITE_URL + reverse("registrations:me"),
            "login_url": settings.JAKPRENEUR_SITE_URL + reverse("login"),
        }
        subject = " ".join(render_to_string("emails/registration_confirmation_subject.txt", context).split())
        body = render_to_string("emails/registration_confirmation_body.txt", context)
        html = render_to_string("emails/registration_confirmation_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[entrepreneur.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True


@shared_task(soft_time_limit=settings.IMPORT_TIME_LIMIT_SECONDS, time_limit=settings.IMPORT_TIME_LIMIT_SECONDS + 120)
def run_import_job(job_id: int, attempt: int) -> str:
    """Import an uploaded legacy file, all or nothing (registrations/services/import_jobs.py)."""
    from registrations import services

    return services.import_job_run(job_id=job_id, attempt=attempt)


@shared_task
def purge_import_files() -> int:
    """Daily: delete uploaded import files past their retention (docs/PRIVACY.md)."""
    from registrations import services

    return services.import_files_purge()
