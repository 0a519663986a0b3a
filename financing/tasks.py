"""Background work of the financing app: the email to the entrepreneur at each step."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from financing.models import ApplicationStep

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_application_update(application_id: int, step_id: int) -> bool:
    """Tell the entrepreneur what happened to their application (in Indonesian, the site's
    default language). Returns False when there is nobody (or no address) to write to."""
    step = (
        ApplicationStep.objects.select_related("application__entrepreneur", "application__product")
        .filter(pk=step_id, application_id=application_id)
        .first()
    )
    if step is None or not step.application.entrepreneur.email:
        logger.info("No financing update sent: step %s of application %s", step_id, application_id)
        return False
    application = step.application
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "application": application,
            "entrepreneur": application.entrepreneur,
            "step": step,
            "status": step.to_label,
            "url": settings.JAKPRENEUR_SITE_URL + reverse("financing:application", args=[application.pk]),
        }
        subject = " ".join(render_to_string("emails/financing_update_subject.txt", context).split())
        body = render_to_string("emails/financing_update_body.txt", context)
        html = render_to_string("emails/financing_update_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[application.entrepreneur.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True
