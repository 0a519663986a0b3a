"""Monthly business reports: the rules of one report, filing a month and correcting it (with
history); the monthly sheet's rows are written by `growth.services.sheets`."""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from growth import rules
from growth.models import MonthlyReport
from growth.services.scope import ensure_in_scope, out_of_scope
from registrations import services as registrations
from registrations.models import Business, Entrepreneur, User
from registrations.rules import by_value

# P6 is the monthly reports: filing one opens (or starts) the person's P6 enrolment.
REPORTING_FACILITY = "P6"
REPORTING_REASON = "monthly report filed"

# Entrepreneurs per UPDATE when reports follow a move (SQLite's limit on parameters).
FOLLOW_CHUNK = 2000


class ReportFigures(NamedTuple):  # a tuple: a sheet makes thousands
    turnover: int
    assets: int
    workers: int


def started_year_of(entrepreneur: Entrepreneur) -> int | None:
    return Business.objects.filter(entrepreneur=entrepreneur).values_list("started_year", flat=True).first()


class CheckedReports(NamedTuple):
    """Rows checked by `check_reports`, as two columns."""

    months: list  # the row's month (a date) when its figures are a ReportFigures
    figures: list  # ReportFigures, or the row's ValidationError with each field's error under its name


def check_reports(
    *, periods: list, turnovers: list, assets: list, workers: list, started_years: list, today: dt.date
) -> CheckedReports:
    """The rules of a report over whole columns (a sheet's, or one report's). Each distinct
    cell is checked once (`registrations.rules.by_value`); no object is made per row beyond
    the figures of a good one."""
    names = ("period", "turnover", "assets", "workers")
    columns = [
        by_value(rules.parse_period, periods),
        by_value(rules.parse_amount, turnovers),
        by_value(rules.parse_amount, assets),
        by_value(rules.parse_workers, workers),
    ]
    checked: dict[tuple, dt.date | ValidationError] = {}
    for row, key in enumerate(zip(columns[0], started_years, strict=True)):
        if key not in checked:
            month, started_year = key
            try:
                checked[key] = (
                    month
                    if isinstance(month, ValidationError)
                    else rules.check_period(month, today=today, started_year=started_year)
                )
            except ValidationError as error:
                checked[key] = error
        columns[0][row] = checked[key]
    # Errors are rare: the rows that have one are found per column, the rest built directly.
    bad = {row for column in columns for row, value in enumerate(column) if isinstance(value, ValidationError)}
    figures: list[ReportFigures | ValidationError] = []
    for row, (month, turnover, asset, worker) in enumerate(zip(*columns, strict=True)):
        if row in bad:
            values = zip(names, (month, turnover, asset, worker), strict=True)
            figures.append(ValidationError({name: v for name, v in values if isinstance(v, ValidationError)}))
        else:
            figures.append(ReportFigures(turnover, asset, worker))
    return CheckedReports(columns[0], figures)


def check_report(
    *, period, figures: ReportFigures, started_year: int | None, today: dt.date
) -> tuple[dt.date, ReportFigures]:
    """The rules of one report (check_reports on a row), each field's error under its name."""
    checked = check_reports(
        periods=[period],
        turnovers=[figures.turnover],
        assets=[figures.assets],
        workers=[figures.workers],
        started_years=[started_year],
        today=today,
    )
    if isinstance(checked.figures[0], ValidationError):
        raise checked.figures[0]
    return checked.months[0], checked.figures[0]


def _ensure_may_file(entrepreneur: Entrepreneur, actor: User, filed_by: str) -> None:
    if filed_by == MonthlyReport.FiledBy.SELF:
        if actor is None or entrepreneur.user_id is None or actor.pk != entrepreneur.user_id:
            raise out_of_scope()
    else:
        ensure_in_scope(entrepreneur=entrepreneur, actor=actor)


def duplicate_error(period: dt.date) -> ValidationError:
    message = _("There is already a report for %(month)s: correct it instead.") % {"month": f"{period:%Y-%m}"}
    return ValidationError({"period": ValidationError(message, code="duplicate")})


def report_file(
    *,
    entrepreneur: Entrepreneur,
    actor: User,
    period,
    figures: ReportFigures,
    filed_by: str = MonthlyReport.FiledBy.SELF,
    today: dt.date | None = None,
) -> MonthlyReport:
    """File a new month's report (the entrepreneur themself, their mentor or staff in scope).
    A month already reported is refused with `duplicate`: correcting is `report_correct`."""
    _ensure_may_file(entrepreneur, actor, filed_by)
    period, figures = check_report(
        period=period, figures=figures, started_year=started_year_of(entrepreneur), today=today or timezone.localdate()
    )
    if MonthlyReport.objects.filter(entrepreneur=entrepreneur, period=period).exists():
        raise duplicate_error(period)
    report = MonthlyReport(
        entrepreneur=entrepreneur,
        period=period,
        turnover=figures.turnover,
        assets=figures.assets,
        workers=figures.workers,
        filed_by=filed_by,
        filed_by_user=actor if actor and actor.pk else None,
    )
    report._history_user = actor if actor and actor.pk else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                # The person's kecamatan as it is now, their row locked until the report is in:
                # a move (which locks it too) waits, then takes this report along.
                report.kecamatan_id = kecamatan_locked(entrepreneur.pk)
                report.save()
        except IntegrityError:  # the same month filed at the same moment elsewhere
            raise duplicate_error(period) from None
        registrations.enrollments_follow_work(
            entrepreneur_ids=[entrepreneur.pk], facility_code=REPORTING_FACILITY, actor=actor, reason=REPORTING_REASON
        )
    return report


def kecamatan_locked(entrepreneur_id: int) -> str:
    """An entrepreneur's kecamatan, their row locked (FOR NO KEY UPDATE) to the end of the
    transaction, so that no move slips between reading it and writing a report with it."""
    return (
        Entrepreneur.objects.select_for_update(no_key=True)
        .filter(pk=entrepreneur_id)
        .values_list("kecamatan_id", flat=True)
        .get()
    )


def reports_follow_moves(moves: Mapping[int, str]) -> None:
    """registrations.moves: the reports of people who changed kecamatan carry the new one
    (in the mover's transaction). No history row: the copy is not the report's data."""
    by_kecamatan: dict[str, list[int]] = defaultdict(list)
    for entrepreneur_id, code in moves.items():
        by_kecamatan[code].append(entrepreneur_id)
    for code, unsorted in sorted(by_kecamatan.items()):
        ids = sorted(unsorted)
        for start in range(0, len(ids), FOLLOW_CHUNK):
            chunk = ids[start : start + FOLLOW_CHUNK]
            MonthlyReport.objects.filter(entrepreneur_id__in=chunk).exclude(kecamatan_id=code).update(kecamatan_id=code)


def report_correct(
    *, report: MonthlyReport, actor: User, figures: ReportFigures, filed_by: str = MonthlyReport.FiledBy.SELF
) -> bool:
    """Correct a month's figures; the previous ones stay in the report's history. Returns
    False (and writes nothing) when nothing changed."""
    _ensure_may_file(report.entrepreneur, actor, filed_by)
    _period, figures = check_report(
        period=report.period, figures=figures, started_year=None, today=max(report.period, timezone.localdate())
    )
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        if (report.turnover, report.assets, report.workers) == (figures.turnover, figures.assets, figures.workers):
            return False
        report.turnover, report.assets, report.workers = figures.turnover, figures.assets, figures.workers
        report.filed_by = filed_by
        report.filed_by_user = actor if actor and actor.pk else None
        report._history_user = report.filed_by_user
        report.save(update_fields=["turnover", "assets", "workers", "filed_by", "filed_by_user", "updated_at"])
    return True
