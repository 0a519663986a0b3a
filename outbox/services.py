"""Every write of the outbox: enqueue in the caller's transaction, hand over to the broker,
claim and finish on the worker, relay what is left, prune what is old."""

import datetime as dt
import enum
import logging
from contextlib import nullcontext

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.models import Job

logger = logging.getLogger("jakpreneur.tasks")

# The Celery message header that ties a task message to its outbox row.
HEADER = "outbox_job"
RELAY_BATCH = 100


class Handover(enum.Enum):
    TAKEN = "taken"  # the broker has it (in eager mode: it has run)
    REFUSED = "refused"  # the broker did not answer: the job waits for the relay
    UNKNOWN_TASK = "unknown task"  # no such task in this code: given up


def job_enqueue(*, task, args: tuple | list = (), kwargs: dict | None = None) -> Job:
    """Write the job in the current transaction and hand it to Celery once that commits.

    If the broker does not answer then, the job waits in the table for the relay; if the
    transaction rolls back, there is no job. Arguments must be JSON values (Celery's too).
    """
    job = Job.objects.create(task_name=task.name, args=list(args), kwargs=dict(kwargs or {}))
    transaction.on_commit(lambda: job_publish(job=job))
    return job


def job_publish(*, job: Job, log_refusal: bool = True) -> Handover:
    """Hand one job to Celery. Never raises: the caller is a request that has already
    committed, or the relay (which logs an outage once, not at every poll)."""
    task = current_app.tasks.get(job.task_name)
    if task is None:
        # The code no longer has this task (renamed or removed): nothing will ever run it.
        logger.error("Outbox job %s names an unknown task %s; given up", job.pk, job.task_name)
        Job.objects.filter(pk=job.pk).update(failed_at=timezone.now(), last_error=f"unknown task {job.task_name}")
        return Handover.UNKNOWN_TASK
    try:
        task.apply_async(args=job.args, kwargs=job.kwargs, headers={HEADER: job.pk})
    except Exception as error:  # noqa: BLE001 - a broker/transport error must not escape
        # (In eager mode the task ran here and failed: OutboxTask recorded why.)
        eager = task.app.conf.task_always_eager
        logger.log(
            logging.WARNING if log_refusal or eager else logging.DEBUG,
            "Could not queue task %s args=%r kwargs=%r: kept as outbox job %s for the relay (%s)",
            job.task_name,
            job.args,
            job.kwargs,
            job.pk,
            error.__class__.__name__,
            exc_info=eager,
        )
        return Handover.REFUSED
    Job.objects.filter(pk=job.pk).update(published_at=timezone.now())
    return Handover.TAKEN


def job_claim(*, job_id: int, task_id: str) -> bool:
    """Take the job for this run, in one UPDATE; False when it is done, failed, gone or
    running elsewhere (a second publication of the same job), so the caller skips it."""
    now = timezone.now()
    claimed = (
        Job.objects.filter(pk=job_id)
        .claimable(now=now, task_id=task_id)
        .update(started_at=now, claimed_by=task_id, attempts=F("attempts") + 1)
    )
    return claimed == 1


def job_done(*, job_id: int, task_id: str) -> None:
    Job.objects.filter(pk=job_id, claimed_by=task_id).update(done_at=timezone.now(), last_error="")


def job_fail(*, job_id: int, task_id: str, error: BaseException) -> None:
    """Record a failed run and give the job back: the relay hands it over again later, until
    OUTBOX_MAX_ATTEMPTS runs have failed."""
    now = timezone.now()
    message = f"{error.__class__.__name__}: {error}"[:2000]
    claimed = Job.objects.filter(pk=job_id, claimed_by=task_id, done_at__isnull=True)
    claimed.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS).update(failed_at=now, last_error=message)
    claimed.update(started_at=None, last_error=message)


def jobs_relay(*, limit: int = RELAY_BATCH, now: dt.datetime | None = None) -> tuple[int, bool]:
    """Hand due jobs to the broker, oldest first; returns (handed over, broker answered).

    The rows stay locked (FOR UPDATE SKIP LOCKED on PostgreSQL) while they are handed over,
    so several relays never hand over the same job at once; a second hand-over (a relay
    racing a request's own) is harmless anyway: only one run can claim the job. Stops at the
    first refusal: the broker is down. In eager mode (no broker, one process) the tasks run
    right here, outside any transaction of the relay's; one that fails waits for the next pass.
    """
    now = now or timezone.now()
    eager = current_app.conf.task_always_eager
    due = Job.objects.due(now=now).order_by("id")
    sent = 0
    with nullcontext() if eager else transaction.atomic():
        for job in due[:limit] if eager else due.select_for_update(skip_locked=True)[:limit]:
            outcome = job_publish(job=job, log_refusal=False)
            if outcome is Handover.REFUSED and not eager:
                return sent, False
            sent += outcome is Handover.TAKEN
    return sent, True


def jobs_prune(*, now: dt.datetime | None = None) -> int:
    """Delete done and given-up jobs older than OUTBOX_RETENTION_DAYS; returns how many."""
    before = (now or timezone.now()) - dt.timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    done, _ = Job.objects.filter(done_at__lt=before).delete()
    failed, _ = Job.objects.filter(failed_at__lt=before).delete()
    return done + failed
