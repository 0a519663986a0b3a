"""Who takes which step of a curation submission. The one place that answers "may this
user act on this submission now?", used by the services (which refuse otherwise), the
scoping selectors and the admin's actions.

- submitted → verified: the entrepreneur's mentor (pendamping, from `growth`);
- verified → validated: centre staff whose kecamatan is the entrepreneur's;
- validated → forwarded: the Dinas (permission `forward_submission`);
- forwarded → graded: a curator listed on the round (a staff account);
- returned with a reason: whoever may take the current step.
"""

from __future__ import annotations

from registrations.selectors import kecamatan_codes_for


def _active_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def mentor_of(entrepreneur):
    """The entrepreneur's mentor (a pendamping account) or None."""
    from growth.selectors import mentor_of as growth_mentor_of

    return growth_mentor_of(entrepreneur)


def may_verify(user, submission) -> bool:
    if not _active_staff(user) or not user.has_perm("marketing.verify_submission"):
        return False
    mentor = mentor_of(submission.product.entrepreneur)
    return mentor is not None and mentor.pk == user.pk


def may_validate(user, submission) -> bool:
    if not _active_staff(user) or not user.has_perm("marketing.validate_submission"):
        return False
    codes = kecamatan_codes_for(user)
    return codes is None or submission.product.entrepreneur.kecamatan_id in codes


def may_forward(user, submission) -> bool:
    return _active_staff(user) and user.has_perm("marketing.forward_submission")


def may_grade(user, submission) -> bool:
    if not _active_staff(user) or not user.has_perm("marketing.grade_submission"):
        return False
    return submission.round.curators.filter(pk=user.pk).exists()


STEP_CHECKS = {"submitted": may_verify, "verified": may_validate, "validated": may_forward, "forwarded": may_grade}


def may_take_step(user, submission) -> bool:
    """Whether `user` may take the submission's next step (or return it)."""
    check = STEP_CHECKS.get(submission.status)
    return bool(check and check(user, submission))


def may_return(user, submission) -> bool:
    return user.has_perm("marketing.return_submission") and may_take_step(user, submission)
