"""Mentoring sessions: checked, logged and corrected by the mentor of the entrepreneur."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from growth import rules, selectors
from growth.models import MentoringSession
from growth.services.scope import ensure_in_scope
from registrations.models import Entrepreneur, User


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
