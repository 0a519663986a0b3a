"""Writes to attendance: signing up for an activity, giving the place back, marking who came,
and completing the activity's facility for those who came."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.models import Activity
from registrations.models import Attendance, Enrollment, Entrepreneur, User
from registrations.selectors import me_activity_queryset
from registrations.services.common import acts_for_self, ensure_in_scope
from registrations.services.data import OUT_OF_SCOPE_MESSAGE
from registrations.services.enrollments import enrollment_record_completion


def activity_taken_places(*, activity: Activity) -> int:
    return activity.attendances.exclude(status=Attendance.Status.CANCELLED).count()


@transaction.atomic
def attendance_signup(
    *, activity: Activity, entrepreneur: Entrepreneur, actor: User | None, now: dt.datetime | None = None
) -> Attendance:
    """Sign an entrepreneur up for an activity, enforcing deadline and capacity. Staff sign up
    the people of their kecamatan for its centre's activities; an entrepreneur signs
    themselves up for the activities offered to them.

    The activity row is locked so that simultaneous sign-ups cannot overfill it.
    """
    now = now or timezone.now()
    if acts_for_self(actor, entrepreneur):
        if not me_activity_queryset(entrepreneur=entrepreneur).filter(pk=activity.pk).exists():
            raise ValidationError(OUT_OF_SCOPE_MESSAGE, code="out_of_scope")
    else:
        ensure_in_scope(actor, activity, field="activity")
        ensure_in_scope(actor, entrepreneur, field="entrepreneur")
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if not locked.published or locked.registration_deadline < now or locked.starts_at < now:
        raise ValidationError(_("Sign-up for this activity has closed."), code="deadline")
    if entrepreneur.status == Entrepreneur.Status.REJECTED:
        raise ValidationError(_("A rejected registration cannot sign up for activities."), code="rejected")
    existing = Attendance.objects.filter(activity=locked, entrepreneur=entrepreneur).first()
    if existing is not None and existing.status != Attendance.Status.CANCELLED:
        raise ValidationError(_("You are already signed up for this activity."), code="already_signed_up")
    if activity_taken_places(activity=locked) >= locked.capacity:
        raise ValidationError(_("This activity is full."), code="full")
    if existing is not None:
        existing.status = Attendance.Status.REGISTERED
        existing.signed_up_at = now
        existing.save(update_fields=["status", "signed_up_at"])
        return existing
    return Attendance.objects.create(activity=locked, entrepreneur=entrepreneur, signed_up_at=now)


@transaction.atomic
def attendance_cancel(*, attendance: Attendance, actor: User | None) -> Attendance:
    """Give a place back (only before the activity starts): the entrepreneur's own, or staff
    of the activity's centre."""
    if not acts_for_self(actor, attendance):
        ensure_in_scope(actor, attendance.activity)
    if attendance.activity.starts_at < timezone.now():
        raise ValidationError(_("The activity has already started."), code="started")
    attendance.status = Attendance.Status.CANCELLED
    attendance.save(update_fields=["status"])
    return attendance


@transaction.atomic
def attendance_mark(*, attendance: Attendance, status: str, actor: User | None) -> Attendance:
    """Record whether a participant came (attended / absent)."""
    if status not in (Attendance.Status.ATTENDED, Attendance.Status.ABSENT):
        raise ValidationError(_("Attendance can be marked attended or absent only."), code="invalid_status")
    # The register of a class is kept by the staff of its centre; marking completes nothing
    # (completion checks the person's own scope).
    ensure_in_scope(actor, attendance.activity)
    attendance.status = status
    attendance.marked_by = actor
    attendance.marked_at = timezone.now()
    attendance.save(update_fields=["status", "marked_by", "marked_at"])
    return attendance


def activity_complete_facility_for_attendees(*, activity: Activity, actor: User | None) -> tuple[int, list[str]]:
    """Complete the activity's facility (e.g. P2 after a class) for every participant marked
    attended who has not completed it yet, within the actor's scope: a participant from
    outside it is reported, not completed. Returns (completed, [error message per person])."""
    ensure_in_scope(actor, activity)
    completed, errors = 0, []
    attendees = (
        Attendance.objects.filter(activity=activity, status=Attendance.Status.ATTENDED)
        .select_related("entrepreneur", "activity__facility")
        .order_by("id")
    )
    for attendance in attendees:
        entrepreneur = attendance.entrepreneur
        if Enrollment.objects.completed().filter(entrepreneur=entrepreneur, facility=activity.facility).exists():
            continue
        try:
            enrollment_record_completion(
                entrepreneur=entrepreneur,
                facility=activity.facility,
                actor=actor,
                center=activity.center,
                reason=str(activity)[:200],
            )
        except ValidationError as error:
            errors.append(f"{entrepreneur}: {' '.join(error.messages)}")
        else:
            completed += 1
    return completed, errors
