"""Background jobs of the reports app."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from reports import services

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    # Acknowledge only when done, and re-queue when the worker dies mid-run: the snapshot is
    # written in one transaction, so a rerun is always safe.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=15 * 60,
    time_limit=20 * 60,
)
def compute_progress(self) -> int | None:
    """Recompute the programme's figures into a new ProgressSnapshot; returns its id, or None
    when another run was already doing the work."""
    snapshot = services.progress_snapshot_create()
    if snapshot is None:
        return None
    logger.info(
        "Progress snapshot %s: %s registered, computed in %s ms",
        snapshot.pk,
        snapshot.registered_total,
        snapshot.duration_ms,
    )
    return snapshot.pk
