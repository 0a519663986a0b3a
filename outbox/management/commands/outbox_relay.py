"""Hand the outbox's waiting jobs to Celery, for as long as it runs (Procfile `relay`):

    manage.py outbox_relay [--once] [--interval SECONDS]

Polls every OUTBOX_RELAY_INTERVAL_SECONDS; while there is a backlog it goes on at once. Jobs
are normally handed over by the request itself; the relay catches those the broker refused
(Redis down) or lost. Several relays may run (rows are taken with SKIP LOCKED). It also
deletes done jobs older than OUTBOX_RETENTION_DAYS, once an hour. Stops cleanly on SIGTERM
or SIGINT; a database or broker outage is logged and waited out, never a crash (honcho would
stop the whole stack).
"""

import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from outbox import services

logger = logging.getLogger("jakpreneur.tasks")

PRUNE_EVERY_SECONDS = 3600
MAX_BACKOFF_SECONDS = 60


class Command(BaseCommand):
    help = "Hand the outbox's waiting background jobs to Celery (runs until stopped; --once for one pass)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass over the waiting jobs, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds between polls (default OUTBOX_RELAY_INTERVAL_SECONDS).",
        )

    def handle(self, *args, once: bool, interval: float | None, **options):
        interval = settings.OUTBOX_RELAY_INTERVAL_SECONDS if interval is None else interval
        if interval <= 0:
            raise CommandError("--interval must be more than 0.")
        if once:
            sent, answered = self._pass()
            self.stdout.write(f"{sent} job(s) handed to the broker." + ("" if answered else " The broker is down."))
            if not answered:
                raise CommandError("The broker did not answer; the remaining jobs wait for the next run.")
            return
        self._stopping = False
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._stop)
        logger.info("Outbox relay started (every %ss)", interval)
        self._loop(interval)
        logger.info("Outbox relay stopped")

    def _stop(self, signum, frame) -> None:
        self._stopping = True

    def _pass(self) -> tuple[int, bool]:
        sent = total = 0
        while True:  # a backlog (after an outage) is drained batch after batch
            sent, answered = services.jobs_relay()
            total += sent
            if not answered or sent < services.RELAY_BATCH:
                return total, answered

    def _loop(self, interval: float) -> None:
        pruned_at = 0.0
        backoff = interval
        broker_was_down = False
        while not self._stopping:
            close_old_connections()  # as Django does around a request: no stale connection
            try:
                sent, answered = self._pass()
                if time.monotonic() - pruned_at >= PRUNE_EVERY_SECONDS:
                    deleted = services.jobs_prune()
                    pruned_at = time.monotonic()
                    if deleted:
                        logger.info("Outbox: %s old job(s) deleted", deleted)
            except Exception:  # noqa: BLE001 - the database being away must not end the relay
                logger.exception("Outbox relay pass failed; retrying in %ss", backoff)
                self._sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            backoff = interval
            if sent:
                logger.info("Outbox: %s job(s) handed to the broker", sent)
            if answered == broker_was_down:  # log the changes, not every poll of an outage
                broker_was_down = not answered
                logger.log(
                    logging.WARNING if broker_was_down else logging.INFO,
                    "Outbox relay: the broker is %s",
                    "down; jobs wait in the outbox" if broker_was_down else "back",
                )
            self._sleep(interval)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, deadline - time.monotonic()))
