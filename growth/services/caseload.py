"""Caseloads: mentors assigned to and unassigned from entrepreneurs, and the mentors' profiles
(contact, recruitment target)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from growth import selectors
from growth.models import MentorAssignment, MentorProfile
from growth.services.scope import ensure_in_scope, out_of_scope
from registrations import services as registrations
from registrations.models import Entrepreneur, User
from registrations.rules import clean_name_text, clean_phone

# P3 is the mentoring: a mentor assigned opens (or starts) the person's P3 enrolment.
MENTORING_FACILITY = "P3"
MENTORING_REASON = "mentor assigned"


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
            assignment = MentorAssignment.objects.create(
                entrepreneur=entrepreneur, mentor=mentor, assigned_by=actor, assigned_at=now
            )
    except IntegrityError:  # a concurrent assignment on a database without row locks
        raise ValidationError(_("Someone else just assigned a mentor: reload and check."), code="race") from None
    registrations.enrollments_follow_work(
        entrepreneur_ids=[entrepreneur.pk], facility_code=MENTORING_FACILITY, actor=actor, reason=MENTORING_REASON
    )
    return assignment


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
        raise out_of_scope()
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
    registrations.enrollments_follow_work(
        entrepreneur_ids=ids, facility_code=MENTORING_FACILITY, actor=actor, reason=MENTORING_REASON
    )
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
