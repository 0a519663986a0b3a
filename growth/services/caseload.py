"""Caseloads: mentors assigned to and unassigned from entrepreneurs, and the mentors' profiles
(contact, recruitment target)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from growth import selectors
from growth.models import MentorAssignment, MentorProfile
from growth.services.scope import ensure_in_scope
from registrations.models import Entrepreneur, User
from registrations.rules import clean_name_text, clean_phone


@transaction.atomic
def mentor_assign(*, entrepreneur: Entrepreneur, mentor: User, actor: User) -> MentorAssignment:
    """Put an entrepreneur in a mentor's caseload (ending the previous assignment, if any).
    Centre staff of the entrepreneur's kecamatan and the Dinas assign; the mentor must work
    for that kecamatan. Assigning to the current mentor again changes nothing."""
    kind, _codes = selectors.growth_scope(actor)
    if kind not in (selectors.ALL_ROWS, selectors.KECAMATAN):
        raise ValidationError(_("Only centre staff and the Dinas assign mentors."), code="not_allowed")
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


@transaction.atomic
def mentor_unassign(*, assignment: MentorAssignment, actor: User) -> MentorAssignment:
    """End an assignment (the entrepreneur leaves the caseload; history stays)."""
    kind, _codes = selectors.growth_scope(actor)
    if kind not in (selectors.ALL_ROWS, selectors.KECAMATAN):
        raise ValidationError(_("Only centre staff and the Dinas assign mentors."), code="not_allowed")
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
