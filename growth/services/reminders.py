"""The monthly reminders: each reminder claimed once (ReminderSent) and queued through the
outbox, chunk by chunk."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from growth.models import MentorAssignment, MonthlyReport, ReminderSent
from jakpreneur.celery import enqueue_on_commit
from registrations.models import Entrepreneur, User

REMINDER_CHUNK = 500


@dataclass(frozen=True)
class ReminderOutcome:
    entrepreneurs: int
    mentors: int


def _claim(*, kind: str, period: dt.date, ids: list[int]) -> list[int]:
    """Record a reminder for each id and return those recorded now (not by an earlier or a
    concurrent run): the unique constraint decides, row by row only when the batch collides."""
    field = "entrepreneur_id" if kind == ReminderSent.Kind.ENTREPRENEUR else "mentor_id"
    rows = [ReminderSent(kind=kind, period=period, **{field: pk}) for pk in ids]
    try:
        with transaction.atomic():
            ReminderSent.objects.bulk_create(rows)
        return ids
    except IntegrityError:
        pass
    claimed = []
    for row in rows:
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue
        claimed.append(getattr(row, field))
    return claimed


def _missing_report(period: dt.date, ref: str = "pk"):
    return Exists(MonthlyReport.objects.filter(entrepreneur=OuterRef(ref), period=period))


def reminders_queue(*, period: dt.date, chunk_size: int = REMINDER_CHUNK) -> ReminderOutcome:
    """Queue the month's reminders: each entrepreneur with an account who may be written to
    (consent not withdrawn) and has not reported `period`, then each mentor with people who
    have not. Chunk by chunk, each in its own transaction: the ReminderSent rows and their
    outbox jobs commit together or not at all, so a rerun (or a run after a killed one)
    queues each reminder exactly once."""
    from growth import tasks  # the tasks call back into the services

    period = period.replace(day=1)
    done = {ReminderSent.Kind.ENTREPRENEUR: 0, ReminderSent.Kind.MENTOR: 0}
    already = ReminderSent.objects.filter(period=period)
    sources = {
        ReminderSent.Kind.ENTREPRENEUR: (
            Entrepreneur.objects.counted()
            .contactable()
            .filter(user__isnull=False)
            .exclude(_missing_report(period))
            .exclude(Exists(already.filter(kind=ReminderSent.Kind.ENTREPRENEUR, entrepreneur=OuterRef("pk")))),
            tasks.send_report_reminder,
        ),
        ReminderSent.Kind.MENTOR: (
            User.objects.filter(
                Exists(
                    MentorAssignment.objects.active()
                    .filter(mentor=OuterRef("pk"))
                    .exclude(_missing_report(period, "entrepreneur_id"))
                ),
                is_active=True,
            ).exclude(Exists(already.filter(kind=ReminderSent.Kind.MENTOR, mentor=OuterRef("pk")))),
            tasks.send_mentor_digest,
        ),
    }
    for kind, (candidates, task) in sources.items():
        last = 0
        while True:
            with transaction.atomic():
                ids = list(candidates.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk_size])
                if not ids:
                    break
                last = ids[-1]
                for pk in _claim(kind=kind, period=period, ids=ids):
                    enqueue_on_commit(task, pk, period.isoformat())
                    done[kind] += 1
    return ReminderOutcome(entrepreneurs=done[ReminderSent.Kind.ENTREPRENEUR], mentors=done[ReminderSent.Kind.MENTOR])
