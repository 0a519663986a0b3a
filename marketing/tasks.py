"""Background work of the marketing app: the entrepreneur's email at each step of a
curation submission."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from marketing.models import Submission

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_submission_update(submission_id: int, status: str) -> bool:
    """Email the entrepreneur that their submission reached `status` (the status the step
    led to, even if a later step has happened since). False when there is nobody to write to."""
    submission = (
        Submission.objects.select_related("round", "product__entrepreneur", "certificate")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not submission.product.entrepreneur.email:
        logger.info("No submission email sent: submission %s is gone or has no address", submission_id)
        return False
    if status not in Submission.Status.values:
        return False
    entrepreneur = submission.product.entrepreneur
    certificate = getattr(submission, "certificate", None) if status == Submission.Status.GRADED else None
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "entrepreneur": entrepreneur,
            "submission": submission,
            "status": status,
            "status_label": Submission.Status(status).label,
            "certificate": certificate,
            "me_url": settings.JAKPRENEUR_SITE_URL + reverse("marketing:me_curation"),
        }
        subject = " ".join(render_to_string("emails/submission_update_subject.txt", context).split())
        body = render_to_string("emails/submission_update_body.txt", context)
        html = render_to_string("emails/submission_update_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[entrepreneur.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True
