"""Celery application and the one way the request path queues work."""

import logging
import os

from celery import Celery
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jakpreneur.settings")

app = Celery("jakpreneur")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("jakpreneur.tasks")


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` once the surrounding transaction commits; never raise into the caller.

    The request path must keep working when the broker is down, so a failure to publish is
    logged (with the task name and arguments) instead of turning into a 500.
    """

    def publish() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - any broker/transport error must not escape
            logger.exception("Could not queue task %s args=%r kwargs=%r", task.name, args, kwargs)

    transaction.on_commit(publish)
