"""Writes to enrolments: request, the state machine requested → active → completed (or →
cancelled) with its outcome fields, and the entrepreneur's own withdrawal of a request."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from facilities import cache as reference
from facilities.models import Center, Facility
from jakpreneur.lookups import AnyOf
from registrations.models import Enrollment, Entrepreneur, StatusChange, User
from registrations.services.common import ensure_in_scope, log_status
from registrations.services.inserts import insert_rows


def _previous_completed(facility: Facility):
    """The completed enrolments of the facility before this one (the sequential rule's test)."""
    return Enrollment.objects.filter(facility__order=facility.order - 1, state=Enrollment.State.COMPLETED)


def previous_facility_completed(*, entrepreneur: Entrepreneur, facility: Facility) -> bool:
    """In sequential (OK OCE) mode a facility needs the one before it completed."""
    if facility.order <= 1:
        return True
    return _previous_completed(facility).filter(entrepreneur=entrepreneur).exists()


def enrollment_request(
    *,
    entrepreneur: Entrepreneur,
    facility: Facility,
    actor: User | None,
    center: Center | None = None,
    note: str = "",
) -> Enrollment:
    """Request a facility for an entrepreneur at their home centre (or `center`): staff for
    the people of their kecamatan (at one of their centres), an entrepreneur for themselves.

    The checks only read; the enrolment and its status row are written in one transaction,
    whose rollback also answers a lost race for the one open request per facility. (One
    block, not two: inside a caller's transaction, a registration, each block is a savepoint
    and each savepoint two round trips to the database.)"""
    ensure_in_scope(actor, entrepreneur, own=True)
    if center is not None:
        ensure_in_scope(actor, center)
    if entrepreneur.status == Entrepreneur.Status.REJECTED:
        raise ValidationError(_("A rejected registration cannot request facilities."), code="rejected")
    if not facility.active:
        raise ValidationError(_("This facility is not available at the moment."), code="facility_inactive")
    if facility.code == "P1":
        raise ValidationError(_("P1 (registration) is recorded when you register."), code="p1_implicit")
    if settings.JAKPRENEUR_SEQUENTIAL_FACILITIES and not previous_facility_completed(
        entrepreneur=entrepreneur, facility=facility
    ):
        raise ValidationError(
            _("Facilities are taken in order: complete P%(previous)s before requesting %(code)s.")
            % {"previous": facility.order - 1, "code": facility.code},
            code="sequential",
        )
    if Enrollment.objects.open().filter(entrepreneur=entrepreneur, facility=facility).exists():
        raise ValidationError(_("%(code)s has already been requested.") % {"code": facility.code}, code="already_open")
    now = timezone.now()
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                entrepreneur=entrepreneur,
                facility=facility,
                center=center or entrepreneur.home_center,
                requested_at=now,
                handled_by=actor if actor and actor.is_staff else None,
                note=note,
            )
            log_status(
                entrepreneur=entrepreneur, enrollment=enrollment, to_status=enrollment.state, actor=actor, at=now
            )
    except IntegrityError:
        raise ValidationError(
            _("%(code)s has already been requested.") % {"code": facility.code}, code="already_open"
        ) from None
    return enrollment


OUTCOME_FIELDS = ("permit_type", "permit_number", "curation_grade", "financing_amount", "financing_provider")


@transaction.atomic
def enrollment_transition(
    *, enrollment: Enrollment, to_state: str, actor: User | None, reason: str = "", **outcome
) -> Enrollment:
    """Move an enrolment along requested → active → completed (or → cancelled), recording
    outcome fields (P4 permit, P5 curation grade, P7 financing) given on completion. Staff
    move the enrolments of their kecamatan's people only."""
    locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    ensure_in_scope(actor, locked)
    return _transition(locked, to_state=to_state, actor=actor, reason=reason, **outcome)


def _transition(locked: Enrollment, *, to_state: str, actor: User | None, reason: str, **outcome) -> Enrollment:
    """The state change itself, on a locked row whose actor has been checked."""
    if not locked.can_become(to_state):
        raise ValidationError(
            _("An enrolment that is %(from)s cannot become %(to)s.")
            % {"from": locked.get_state_display(), "to": Enrollment.State(to_state).label},
            code="invalid_transition",
        )
    unknown = set(outcome) - set(OUTCOME_FIELDS)
    if unknown:
        raise TypeError(f"Unknown outcome fields: {sorted(unknown)}")
    now = timezone.now()
    previous = locked.state
    locked.state = to_state
    update_fields = ["state", "handled_by", "updated_at"]
    if to_state == Enrollment.State.ACTIVE:
        locked.started_at = now
        update_fields.append("started_at")
    elif to_state == Enrollment.State.COMPLETED:
        locked.completed_at = now
        update_fields.append("completed_at")
        if locked.started_at is None:
            locked.started_at = now
            update_fields.append("started_at")
    elif to_state == Enrollment.State.CANCELLED:
        locked.cancelled_at = now
        update_fields.append("cancelled_at")
    for name, value in outcome.items():
        if value not in (None, ""):
            setattr(locked, name, value)
            update_fields.append(name)
    if actor is not None and actor.is_staff:
        locked.handled_by = actor
    locked._change_reason = reason or to_state
    locked.save(update_fields=update_fields)
    log_status(
        entrepreneur=locked.entrepreneur,
        enrollment=locked,
        from_status=previous,
        to_status=to_state,
        actor=actor,
        reason=reason,
        at=now,
    )
    return locked


def enrollment_start(*, enrollment: Enrollment, actor: User | None, reason: str = "") -> Enrollment:
    return enrollment_transition(enrollment=enrollment, to_state=Enrollment.State.ACTIVE, actor=actor, reason=reason)


def enrollment_complete(*, enrollment: Enrollment, actor: User | None, reason: str = "", **outcome) -> Enrollment:
    return enrollment_transition(
        enrollment=enrollment, to_state=Enrollment.State.COMPLETED, actor=actor, reason=reason, **outcome
    )


def enrollment_cancel(*, enrollment: Enrollment, actor: User | None, reason: str = "") -> Enrollment:
    return enrollment_transition(enrollment=enrollment, to_state=Enrollment.State.CANCELLED, actor=actor, reason=reason)


@transaction.atomic
def enrollment_withdraw(*, enrollment: Enrollment, entrepreneur: Entrepreneur, actor: User | None) -> Enrollment:
    """An entrepreneur cancels their own request (Enrollment.cancellable_by_entrepreneur)."""
    locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if locked.entrepreneur_id != entrepreneur.pk:
        raise ValidationError(_("This enrolment is not yours."), code="not_yours")
    ensure_in_scope(actor, locked, own=True)
    if not locked.cancellable_by_entrepreneur:
        raise ValidationError(
            _("Only a request that has not started yet can be cancelled here; ask your centre instead."),
            code="not_cancellable",
        )
    return _transition(locked, to_state=Enrollment.State.CANCELLED, actor=actor, reason="cancelled by the entrepreneur")


@transaction.atomic
def enrollment_record_completion(
    *, entrepreneur: Entrepreneur, facility: Facility, actor: User | None, reason: str = "", center=None, **outcome
) -> Enrollment:
    """Complete the entrepreneur's open enrolment of a facility, or request and complete one
    when they have none (e.g. a participant who came to a class without enrolling first).
    Sequential mode and the other request rules apply; staff complete only for the people of
    their kecamatan."""
    ensure_in_scope(actor, entrepreneur)
    enrollment = (
        Enrollment.objects.open().filter(entrepreneur=entrepreneur, facility=facility).order_by("requested_at").first()
    )
    if enrollment is None:
        enrollment = enrollment_request(entrepreneur=entrepreneur, facility=facility, actor=actor, center=center)
    return enrollment_complete(enrollment=enrollment, actor=actor, reason=reason, **outcome)


def enrollments_follow_work(*, entrepreneur_ids, facility_code: str, actor: User | None, reason: str) -> int:
    """A facility's enrolment follows the work it stands for, for the apps that do the work
    (growth: a mentor assigned is P3, a monthly report filed is P6): of these people, those
    without an open or completed enrolment of the facility get one, active from now, and a
    request of theirs starts. A completed enrolment stays as it is (they took the facility);
    after a cancelled one a new one opens (they came back). Rejected registrations, an
    inactive facility and, in sequential mode, people who have not completed the facility
    before it are left alone. The caller has checked the actor's scope over these people.

    Set-based, for one person or a month's sheet: one read when there is nothing to do (the
    usual case: they already hold it), two otherwise, then the started requests and the new
    enrolments, with their history and status-log rows, in bulk (COPY on PostgreSQL). Returns
    how many enrolments opened or started."""
    facility = next((f for f in reference.facilities() if f.code == facility_code), None)
    ids = set(entrepreneur_ids)
    if facility is None or not facility.active or not ids:
        return 0
    for _attempt in range(2):  # a concurrent filing may open one of them first: then read again
        requested, newcomers = _work_to_follow(ids, facility)
        if not requested and not newcomers:
            return 0
        try:
            with transaction.atomic():
                return _follow(requested, newcomers, facility, actor=actor, reason=reason)
        except IntegrityError:
            continue
    return 0


def _work_to_follow(ids: set[int], facility: Facility) -> tuple[list[int], list[tuple[int, int | None]]]:
    """Those of the people with a request of the facility to start (ids), and those who hold no
    open or completed enrolment of it (id, home centre): one query when everyone holds one (the
    usual month), two otherwise; `= ANY(array)` for a sheet's thousands of ids."""
    held = list(
        Enrollment.objects.filter(
            AnyOf(F("entrepreneur_id"), sorted(ids)),
            facility=facility,
            state__in=(Enrollment.State.REQUESTED, Enrollment.State.ACTIVE, Enrollment.State.COMPLETED),
        ).values_list("entrepreneur_id", "state")
    )
    holding = {person for person, state in held if state != Enrollment.State.REQUESTED}
    requested = sorted({person for person, state in held if state == Enrollment.State.REQUESTED} - holding)
    missing = ids - {person for person, _state in held}
    if not missing:
        return requested, []
    people = Entrepreneur.objects.filter(AnyOf(F("pk"), sorted(missing))).exclude(status=Entrepreneur.Status.REJECTED)
    if settings.JAKPRENEUR_SEQUENTIAL_FACILITIES and facility.order > 1:
        people = people.filter(Exists(_previous_completed(facility).filter(entrepreneur=OuterRef("pk"))))
    return requested, sorted(people.values_list("pk", "home_center_id"))


def _follow(requested, newcomers, facility: Facility, *, actor: User | None, reason: str) -> int:
    """Start the requests and open the newcomers' enrolments, each with its history and status
    log row, in bulk (a month's sheet may hold thousands)."""
    now = timezone.now()
    staff = actor if actor is not None and actor.is_staff else None
    actor_id = actor.pk if actor is not None and actor.pk else None
    started = list(
        Enrollment.objects.select_for_update(of=("self",))
        .filter(entrepreneur_id__in=requested, facility=facility, state=Enrollment.State.REQUESTED)
        .exclude(entrepreneur__status=Entrepreneur.Status.REJECTED)
    )
    for enrollment in started:  # requested → active, as enrollment_start would
        enrollment.state, enrollment.started_at, enrollment.updated_at = Enrollment.State.ACTIVE, now, now
        enrollment.handled_by = staff or enrollment.handled_by
    if started:
        bulk_update_with_history(
            started,
            Enrollment,
            ["state", "started_at", "handled_by", "updated_at"],
            batch_size=500,
            default_user=actor,
            default_change_reason=reason,
            default_date=now,
        )
    rows = [
        {
            "entrepreneur_id": pk,
            "facility_id": facility.pk,
            "center_id": center_id,  # at their home centre, as enrollment_request does
            "state": Enrollment.State.ACTIVE,
            "requested_at": now,
            "started_at": now,
            "handled_by_id": staff.pk if staff else None,
            "note": "",
            "updated_at": now,
        }
        for pk, center_id in newcomers
    ]
    opened = insert_rows(Enrollment, rows, actor=actor, actor_id=actor_id, now=now, reason=reason)
    changes = [(e.entrepreneur_id, e.pk, Enrollment.State.REQUESTED) for e in started]
    changes += [(person, pk, "") for (person, _center), pk in zip(newcomers, opened, strict=True)]
    log = [
        {
            "entrepreneur_id": person,
            "enrollment_id": pk,
            "from_status": previous,
            "to_status": Enrollment.State.ACTIVE,
            "changed_by_id": actor_id,
            "changed_at": now,
            "reason": reason,
        }
        for person, pk, previous in changes
    ]
    insert_rows(StatusChange, log, actor=actor, actor_id=actor_id, now=now, with_history=False)
    return len(changes)
