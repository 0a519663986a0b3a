"""Every write of the growth app: mentor assignments, mentoring sessions, monthly reports.

Each service checks the actor's scope itself (growth.selectors), whoever calls it: the /me/
pages, the admin, the sheet upload or a task. A refused change raises ValidationError (keyed
by form field where one applies) and writes nothing.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from growth import rules, selectors
from growth.models import MentorAssignment, MentoringSession, MentorProfile, MonthlyReport, ReminderSent
from jakpreneur.celery import enqueue_on_commit
from registrations.models import Business, Entrepreneur, User
from registrations.rules import clean_name_text, clean_phone
from registrations.services.bulk import rows_insert_with_history


def _out_of_scope() -> ValidationError:
    return ValidationError(_("This entrepreneur is not in your scope."), code="out_of_scope")


def ensure_in_scope(*, entrepreneur: Entrepreneur, actor: User) -> None:
    """Staff may act only on the entrepreneurs their growth scope shows them."""
    if not selectors.growth_entrepreneurs_visible_to(actor).filter(pk=entrepreneur.pk).exists():
        raise _out_of_scope()


# --- mentor assignments ---------------------------------------------------------------------


def may_assign_mentors(user: User | None) -> bool:
    """Centre staff and the Dinas assign mentors; a mentor (even one who is also centre
    staff) and anyone else do not."""
    kind, _codes = selectors.growth_scope(user)
    return kind in (selectors.ALL_ROWS, selectors.KECAMATAN)


def _ensure_assigner(actor: User) -> None:
    if not may_assign_mentors(actor):
        raise ValidationError(_("Only centre staff and the Dinas assign mentors."), code="not_allowed")


@transaction.atomic
def mentor_assign(*, entrepreneur: Entrepreneur, mentor: User, actor: User) -> MentorAssignment:
    """Put an entrepreneur in a mentor's caseload (ending the previous assignment, if any).
    Centre staff of the entrepreneur's kecamatan and the Dinas assign; the mentor must work
    for that kecamatan. Assigning to the current mentor again changes nothing."""
    _ensure_assigner(actor)
    ensure_in_scope(entrepreneur=entrepreneur, actor=actor)
    if not selectors.mentors_of_kecamatan(entrepreneur.kecamatan_id).filter(pk=mentor.pk).exists():
        message = _("%(mentor)s is not a mentor of this entrepreneur's kecamatan.") % {"mentor": mentor}
        raise ValidationError({"mentor": ValidationError(message, code="mentor_elsewhere")})
    # One assignment change per entrepreneur at a time: the second waits, then sees the first.
    Entrepreneur.objects.select_for_update().filter(pk=entrepreneur.pk).first()
    current = MentorAssignment.objects.active().filter(entrepreneur=entrepreneur).first()
    if current is not None and current.mentor_id == mentor.pk:
        return current
    now = timezone.now()
    if current is not None:
        current.ended_at = max(now, current.assigned_at)
        current.ended_by = actor
        current.save(update_fields=["ended_at", "ended_by"])
    try:
        with transaction.atomic():
            return MentorAssignment.objects.create(
                entrepreneur=entrepreneur, mentor=mentor, assigned_by=actor, assigned_at=now
            )
    except IntegrityError:  # a concurrent assignment on a database without row locks
        raise ValidationError(_("Someone else just assigned a mentor: reload and check."), code="race") from None


@dataclass(frozen=True)
class BulkAssignment:
    assigned: int  # put in the mentor's caseload now (a previous assignment ended)
    unchanged: int  # already in it


@transaction.atomic
def mentor_assign_many(*, entrepreneurs, mentor: User, actor: User) -> BulkAssignment:
    """Put several entrepreneurs in one mentor's caseload, all or none, with the rules of
    `mentor_assign`: every one in the actor's scope, the mentor working for the kecamatan of
    every one; a previous assignment to another mentor ends, one to this mentor stays."""
    _ensure_assigner(actor)
    ids = sorted({entrepreneur.pk for entrepreneur in entrepreneurs})
    if not ids:
        raise ValidationError(_("Select at least one entrepreneur."), code="nothing_selected")
    # Lock the people (in id order, so two bulk assignments do not deadlock) as mentor_assign
    # does: a concurrent assignment of one of them waits, then sees this one.
    locked = dict(
        selectors.growth_entrepreneurs_visible_to(actor, Entrepreneur.objects.filter(pk__in=ids))
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "kecamatan_id")
    )
    if len(locked) != len(ids):
        raise _out_of_scope()
    if not set(locked.values()) <= selectors.kecamatan_of_mentor(mentor):
        message = _("%(mentor)s is not a mentor of this entrepreneur's kecamatan.") % {"mentor": mentor}
        raise ValidationError({"mentor": ValidationError(message, code="mentor_elsewhere")})
    current = {a.entrepreneur_id: a for a in MentorAssignment.objects.active().filter(entrepreneur_id__in=ids)}
    now = timezone.now()
    ending = [a for a in current.values() if a.mentor_id != mentor.pk]
    for assignment in ending:
        assignment.ended_at = max(now, assignment.assigned_at)
        assignment.ended_by = actor
    MentorAssignment.objects.bulk_update(ending, ["ended_at", "ended_by"])
    new = [
        MentorAssignment(entrepreneur_id=pk, mentor=mentor, assigned_by=actor, assigned_at=now)
        for pk in ids
        if pk not in current or current[pk].mentor_id != mentor.pk
    ]
    try:
        with transaction.atomic():
            MentorAssignment.objects.bulk_create(new)
    except IntegrityError:  # a concurrent assignment on a database without row locks
        raise ValidationError(_("Someone else just assigned a mentor: reload and check."), code="race") from None
    return BulkAssignment(assigned=len(new), unchanged=len(ids) - len(new))


@transaction.atomic
def mentor_unassign(*, assignment: MentorAssignment, actor: User) -> MentorAssignment:
    """End an assignment (the entrepreneur leaves the caseload; history stays)."""
    _ensure_assigner(actor)
    ensure_in_scope(entrepreneur=assignment.entrepreneur, actor=actor)
    assignment = MentorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_at is not None:
        raise ValidationError(_("This assignment has already ended."), code="already_ended")
    assignment.ended_at = max(timezone.now(), assignment.assigned_at)
    assignment.ended_by = actor
    assignment.save(update_fields=["ended_at", "ended_by"])
    return assignment


# --- mentoring sessions ---------------------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    date: dt.date
    mode: str
    topics: list[str]
    notes: str = ""
    next_step: str = ""
    next_step_due: dt.date | None = None


def check_session(data: SessionData, *, today: dt.date) -> SessionData:
    errors = {}
    if data.date > today:
        errors["date"] = ValidationError(_("A session cannot be in the future."), code="date_future")
    elif data.date < rules.FIRST_MONTH:
        errors["date"] = ValidationError(_("Sessions start from December 2017."), code="date_too_old")
    if data.mode not in MentoringSession.Mode.values:
        errors["mode"] = ValidationError(_("Choose how you met."), code="mode_invalid")
    unknown = [topic for topic in data.topics if topic not in MentoringSession.Topic.values]
    if unknown:
        errors["topics"] = ValidationError(_("Unknown topic."), code="topic_invalid")
    if data.next_step_due and data.next_step_due < data.date:
        errors["next_step_due"] = ValidationError(
            _("The next step cannot be due before the session."), code="due_before_date"
        )
    if data.next_step_due and not data.next_step.strip():
        errors["next_step"] = ValidationError(_("Say what the next step is."), code="next_step_missing")
    if errors:
        raise ValidationError(errors)
    order = MentoringSession.Topic.values
    return SessionData(
        date=data.date,
        mode=data.mode,
        topics=sorted(set(data.topics), key=order.index),
        notes=data.notes.strip(),
        next_step=data.next_step.strip(),
        next_step_due=data.next_step_due,
    )


def _ensure_mentor_of(entrepreneur: Entrepreneur, actor: User) -> None:
    if not selectors.is_mentor(actor):
        raise ValidationError(_("Only mentors log mentoring sessions."), code="not_allowed")
    ensure_in_scope(entrepreneur=entrepreneur, actor=actor)


def session_log(*, entrepreneur: Entrepreneur, actor: User, data: SessionData) -> MentoringSession:
    """A mentor logs a session with someone in their caseload."""
    _ensure_mentor_of(entrepreneur, actor)
    data = check_session(data, today=timezone.localdate())
    return MentoringSession.objects.create(
        entrepreneur=entrepreneur,
        mentor=actor,
        created_by=actor,
        date=data.date,
        mode=data.mode,
        topics=data.topics,
        notes=data.notes,
        next_step=data.next_step,
        next_step_due=data.next_step_due,
    )


def session_update(*, session: MentoringSession, actor: User, data: SessionData) -> MentoringSession:
    """The mentor who logged a session corrects it."""
    _ensure_mentor_of(session.entrepreneur, actor)
    if session.mentor_id != actor.pk:
        raise ValidationError(_("Only the mentor who logged a session corrects it."), code="not_yours")
    data = check_session(data, today=timezone.localdate())
    for name in ("date", "mode", "topics", "notes", "next_step", "next_step_due"):
        setattr(session, name, getattr(data, name))
    session.save(update_fields=["date", "mode", "topics", "notes", "next_step", "next_step_due"])
    return session


# --- monthly reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFigures:
    turnover: int
    assets: int
    workers: int


def started_year_of(entrepreneur: Entrepreneur) -> int | None:
    return Business.objects.filter(entrepreneur=entrepreneur).values_list("started_year", flat=True).first()


def check_report(
    *, period, figures: ReportFigures, started_year: int | None, today: dt.date
) -> tuple[dt.date, ReportFigures]:
    """The rules of a report, each field's error under its name."""
    errors: dict[str, ValidationError] = {}
    cleaned: dict = {}
    try:
        cleaned["period"] = rules.check_period(rules.parse_period(period), today=today, started_year=started_year)
    except ValidationError as error:
        errors["period"] = error
    for name, parse in (("turnover", rules.parse_amount), ("assets", rules.parse_amount)):
        try:
            cleaned[name] = parse(getattr(figures, name))
        except ValidationError as error:
            errors[name] = error
    try:
        cleaned["workers"] = rules.parse_workers(figures.workers)
    except ValidationError as error:
        errors["workers"] = error
    if errors:
        raise ValidationError(errors)
    return cleaned["period"], ReportFigures(cleaned["turnover"], cleaned["assets"], cleaned["workers"])


def _ensure_may_file(entrepreneur: Entrepreneur, actor: User, filed_by: str) -> None:
    if filed_by == MonthlyReport.FiledBy.SELF:
        if actor is None or entrepreneur.user_id is None or actor.pk != entrepreneur.user_id:
            raise _out_of_scope()
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
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # the same month filed at the same moment elsewhere
        raise duplicate_error(period) from None
    return report


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


# --- mentor profiles ------------------------------------------------------------------------


def mentor_profile_save(*, profile: MentorProfile, actor: User) -> MentorProfile:
    """The Dinas records a mentor's contact and recruitment target."""
    kind, _codes = selectors.growth_scope(actor)
    if kind != selectors.ALL_ROWS:
        raise ValidationError(_("Only the Dinas sets mentors' targets."), code="not_allowed")
    if not selectors.mentors_visible_to(actor).filter(pk=profile.user_id).exists():
        raise ValidationError({"user": ValidationError(_("Choose a mentor account."), code="not_a_mentor")})
    profile.display_name = clean_name_text(profile.display_name, max_length=150) if profile.display_name else ""
    profile.phone = clean_phone(profile.phone) if profile.phone else ""
    profile.save()
    return profile


# --- the monthly sheet ----------------------------------------------------------------------


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
    visible = set()
    for start in range(0, len(ids), IMPORT_CHUNK):
        chunk = ids[start : start + IMPORT_CHUNK]
        visible.update(
            selectors.growth_entrepreneurs_visible_to(actor).filter(pk__in=chunk).values_list("pk", flat=True)
        )
    if visible != set(ids):
        raise _out_of_scope()
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


# --- monthly reminders ----------------------------------------------------------------------

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
