"""Celery application and the one way the request path queues work."""

import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jakpreneur.settings")

# Every task is an OutboxTask: a message tied to an outbox job runs once however often it
# is delivered (outbox/task.py).
app = Celery("jakpreneur", task_cls="outbox.task:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("jakpreneur.tasks")


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` with the surrounding transaction: never lost, never run twice, never
    raising into the caller.

    The job is written as a row of the outbox in the caller's transaction and handed to the
    broker once that commits; if the broker does not answer, the request goes on and the
    relay (`manage.py outbox_relay`) hands the job over when it answers again. In eager mode
    (no broker) the task runs in-process after the commit. Arguments must be JSON values.
    """
    from outbox.services import job_enqueue  # the models need Django's app registry

    job_enqueue(task=task, args=args, kwargs=kwargs)
