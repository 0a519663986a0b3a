"""Background work of the privacy app."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from privacy.models import DeletionRequest

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_deletion_request_outcome(request_id: int, language: str | None = None) -> bool:
    """Tell the resident their deletion request was carried out or refused. After an erasure
    the address kept for this one email is cleared once it is sent."""
    request = DeletionRequest.objects.select_related("entrepreneur__user").filter(pk=request_id).first()
    if request is None or request.is_open:
        return False
    entrepreneur = request.entrepreneur
    if request.status == DeletionRequest.Status.DONE:
        address = request.notify_email
    else:
        address = (entrepreneur.user.email if entrepreneur.user else "") or entrepreneur.email
    if not address:
        logger.info("No outcome email for deletion request %s: no address", request_id)
        return False
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"request": request, "site_url": settings.JAKPRENEUR_SITE_URL}
        subject = " ".join(render_to_string("emails/deletion_request_outcome_subject.txt", context).split())
        body = render_to_string("emails/deletion_request_outcome_body.txt", context)
        html = render_to_string("emails/deletion_request_outcome_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[address])
    message.attach_alternative(html, "text/html")
    message.send()
    if request.notify_email:
        DeletionRequest.objects.filter(pk=request.pk).update(notify_email="")
    return True
