"""The monthly sheet (growth.uploads): checked rows written in one transaction, created,
corrected with history or left alone."""

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from growth import selectors
from growth.models import MonthlyReport
from growth.services.reports import ReportFigures
from growth.services.scope import out_of_scope
from jakpreneur.celery import enqueue_on_commit
from jakpreneur.lookups import AnyOf
from registrations.models import Entrepreneur, User
from registrations.services.inserts import columns_insert_with_history


class ImportedReport(NamedTuple):
    """One checked row of a sheet (growth.uploads): month and figures cleaned by check_reports."""

    line: int
    entrepreneur_id: int
    period: dt.date
    figures: ReportFigures


@dataclass(frozen=True)
class SheetPeople:
    """The people a sheet names whom its uploader may report for, read once and in scope
    (`sheet_people_of`): the sheet's rules read it, and `reports_import` writes only for them."""

    actor_id: int | None
    by_nik: dict[str, selectors.SheetPerson]


def sheet_people_of(*, actor: User, niks) -> SheetPeople:
    """The scope check of a sheet: one query, whatever its size (growth.selectors.sheet_people)."""
    return SheetPeople(actor_id=actor.pk if actor else None, by_nik=selectors.sheet_people(actor, niks))


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    corrected: int
    unchanged: int


IMPORT_CHUNK = 2000  # corrections per UPDATE batch


def new_report_columns(
    rows: list[ImportedReport], kecamatan_of: dict[int, str], *, user_id: int | None, now: dt.datetime
) -> dict[str, list]:
    """The sheet's new months as the bulk insert takes them, attname → one value per row: a
    column added to MonthlyReport is one line here. `kecamatan_of`: each person's kecamatan,
    read with their row locked (`people_locked`)."""
    n = len(rows)
    return {
        "entrepreneur_id": [row.entrepreneur_id for row in rows],
        "kecamatan_id": [kecamatan_of[row.entrepreneur_id] for row in rows],
        "period": [row.period for row in rows],
        "turnover": [row.figures.turnover for row in rows],
        "assets": [row.figures.assets for row in rows],
        "workers": [row.figures.workers for row in rows],
        "filed_by": [MonthlyReport.FiledBy.IMPORT.value] * n,
        "filed_by_user_id": [user_id] * n,
        "created_at": [now] * n,
        "updated_at": [now] * n,
    }


def people_locked(ids: list[int]) -> dict[int, str]:
    """The people's kecamatan, their rows locked (in id order) until the sheet is written: a
    move of one of them (registrations.moves, which locks the row too) waits, then takes the
    new reports along. One query."""
    return dict(
        Entrepreneur.objects.filter(AnyOf(F("pk"), ids))
        .select_for_update(no_key=True)
        .order_by("pk")
        .values_list("pk", "kecamatan_id")
    )


@transaction.atomic
def reports_import(
    *, rows: list[ImportedReport], people: SheetPeople, actor: User, dry_run: bool = False
) -> ImportOutcome:
    """Write a checked sheet in one transaction: new months are created (filed by import),
    changed ones corrected with history, identical ones left alone. Every row must be one of
    the `people` read in the actor's scope; one that is not refuses the whole sheet. A fixed
    number of queries whatever the sheet's size."""
    user = actor if actor and actor.pk else None
    person_of = {person.id: person for person in people.by_nik.values()}
    if people.actor_id != (user.pk if user else None) or any(row.entrepreneur_id not in person_of for row in rows):
        raise out_of_scope()
    ids = sorted({row.entrepreneur_id for row in rows})
    kecamatan_of = people_locked(ids)
    periods = sorted({row.period for row in rows})
    existing: dict[tuple[int, dt.date], MonthlyReport] = {
        (report.entrepreneur_id, report.period): report
        for report in MonthlyReport.objects.select_for_update()
        .filter(AnyOf(F("entrepreneur_id"), ids), AnyOf(F("period"), periods))
        .order_by("pk")
    }
    now = timezone.now()
    user_id = user.pk if user else None
    new, changed, unchanged = [], [], 0
    for row in rows:
        f = row.figures
        report = existing.get((row.entrepreneur_id, row.period))
        if report is None:
            new.append(row)
        elif (report.turnover, report.assets, report.workers) == f:
            unchanged += 1
        else:
            report.turnover, report.assets, report.workers = f.turnover, f.assets, f.workers
            report.filed_by, report.filed_by_user = MonthlyReport.FiledBy.IMPORT, user
            report.updated_at = now
            changed.append(report)
    if not dry_run:
        fields = ["turnover", "assets", "workers", "filed_by", "filed_by_user", "updated_at"]
        # One statement on PostgreSQL, with the history rows (registrations' bulk path).
        columns = new_report_columns(new, kecamatan_of, user_id=user_id, now=now)
        columns_insert_with_history(MonthlyReport, columns, count=len(new), actor=user, now=now)
        if changed:
            bulk_update_with_history(changed, MonthlyReport, fields, batch_size=IMPORT_CHUNK, default_user=user)
        if new:
            # Their P6 enrolments follow the reports, after the commit (growth.tasks.follow_reports,
            # through the outbox: never lost): a first sheet opens thousands, which the
            # uploader need not wait for.
            from growth import tasks  # the tasks call back into the services

            enqueue_on_commit(tasks.follow_reports, sorted({row.entrepreneur_id for row in new}), user_id)
    return ImportOutcome(created=len(new), corrected=len(changed), unchanged=unchanged)
