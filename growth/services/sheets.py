"""The monthly sheet (growth.uploads): checked rows written in one transaction, created,
corrected with history or left alone."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from growth import selectors
from growth.models import MonthlyReport
from growth.services.reports import ReportFigures
from growth.services.scope import out_of_scope
from registrations.models import User
from registrations.services.inserts import rows_insert_with_history


@dataclass(frozen=True)
class ImportedReport:
    """One checked row of a sheet (growth.uploads): figures already cleaned by check_report."""

    line: int
    entrepreneur_id: int
    period: dt.date
    figures: ReportFigures


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    corrected: int
    unchanged: int


IMPORT_CHUNK = 2000


@transaction.atomic
def reports_import(*, rows: list[ImportedReport], actor: User, dry_run: bool = False) -> ImportOutcome:
    """Write a checked sheet in one transaction: new months are created (filed by import),
    changed ones corrected with history, identical ones left alone. The actor's scope is
    checked again for every entrepreneur; one out of scope refuses the whole sheet."""
    ids = sorted({row.entrepreneur_id for row in rows})
    kecamatan_of: dict[int, str] = {}  # each person's kecamatan, their row locked against a move
    for start in range(0, len(ids), IMPORT_CHUNK):
        chunk = ids[start : start + IMPORT_CHUNK]
        kecamatan_of.update(
            selectors.growth_entrepreneurs_visible_to(actor)
            .filter(pk__in=chunk)
            .select_for_update(no_key=True, of=("self",))
            .values_list("pk", "kecamatan_id")
        )
    if set(kecamatan_of) != set(ids):
        raise out_of_scope()
    existing: dict[tuple[int, dt.date], MonthlyReport] = {}
    periods = sorted({row.period for row in rows})
    for start in range(0, len(ids), IMPORT_CHUNK):
        chunk = ids[start : start + IMPORT_CHUNK]
        for report in (
            MonthlyReport.objects.select_for_update()
            .filter(entrepreneur_id__in=chunk, period__in=periods)
            .order_by("pk")
        ):
            existing[(report.entrepreneur_id, report.period)] = report
    user = actor if actor and actor.pk else None
    now = timezone.now()
    new, changed, unchanged = [], [], 0
    for row in rows:
        f = row.figures
        report = existing.get((row.entrepreneur_id, row.period))
        if report is None:
            new.append(
                {
                    "entrepreneur_id": row.entrepreneur_id,
                    "kecamatan_id": kecamatan_of[row.entrepreneur_id],
                    "period": row.period,
                    "turnover": f.turnover,
                    "assets": f.assets,
                    "workers": f.workers,
                    "filed_by": MonthlyReport.FiledBy.IMPORT,
                    "filed_by_user_id": user.pk if user else None,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        elif (report.turnover, report.assets, report.workers) == (f.turnover, f.assets, f.workers):
            unchanged += 1
        else:
            report.turnover, report.assets, report.workers = f.turnover, f.assets, f.workers
            report.filed_by, report.filed_by_user = MonthlyReport.FiledBy.IMPORT, user
            report.updated_at = timezone.now()
            changed.append(report)
    if not dry_run:
        fields = ["turnover", "assets", "workers", "filed_by", "filed_by_user", "updated_at"]
        # COPY on PostgreSQL, with the history rows (registrations' bulk path).
        rows_insert_with_history(MonthlyReport, new, actor=user, now=now)
        if changed:
            bulk_update_with_history(changed, MonthlyReport, fields, batch_size=IMPORT_CHUNK, default_user=user)
    return ImportOutcome(created=len(new), corrected=len(changed), unchanged=unchanged)
