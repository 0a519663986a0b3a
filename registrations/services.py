"""Every write to entrepreneurs, businesses, enrolments and attendance.

Public form, admin, imports and tasks all call these functions, so a rule holds wherever a
change comes from. Each raises `django.core.exceptions.ValidationError` (with a stable
`code`, keyed by form field where one applies) for a refused change and writes nothing then.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.models import Activity, Center, Facility, Kelurahan
from registrations.models import Attendance, Business, Enrollment, Entrepreneur, StatusChange, User
from registrations.validators import check_nik_consistency, normalize_phone

DUPLICATE_NIK_MESSAGE = _(
    "This NIK is already registered. If it is yours, log in (or reset your password), "
    "or visit the JakPreneur centre of your kecamatan for help."
)
DUPLICATE_EMAIL_MESSAGE = _("An account with this email address already exists. Log in or reset your password.")


@dataclass
class BusinessData:
    name: str = ""
    sector: str = Business.Sector.OTHER
    started_year: int | None = None
    nib: str = ""
    workers: int = 0
    turnover_band: str = Business.TurnoverBand.NONE
    asset_band: str = ""


@dataclass
class EntrepreneurData:
    nik: str
    full_name: str
    birth_date: dt.date
    gender: str
    phone: str  # E.164, already normalised by the form or importer
    kelurahan: Kelurahan
    address: str
    track: str = Entrepreneur.Track.PEMULA
    email: str = ""
    business: BusinessData | None = None
    facilities: list[str] = field(default_factory=list)


def _log_status(*, entrepreneur, to_status, from_status="", enrollment=None, actor=None, reason="", at=None):
    StatusChange.objects.create(
        entrepreneur=entrepreneur,
        enrollment=enrollment,
        from_status=from_status,
        to_status=to_status,
        changed_by=actor if actor and actor.pk else None,
        changed_at=at or timezone.now(),
        reason=reason,
    )


def _integrity_field(error: IntegrityError) -> str:
    text = str(error).lower()
    if "email" in text:
        return "email"
    if "nik" in text:
        return "nik"
    return ""


@transaction.atomic
def entrepreneur_register(
    *,
    data: EntrepreneurData,
    password: str | None = None,
    source: str = Entrepreneur.Source.SELF,
    actor: User | None = None,
    consent_at: dt.datetime | None = None,
    registered_at: dt.datetime | None = None,
    legacy_id: str | None = None,
) -> Entrepreneur:
    """Create an entrepreneur (and, with a password, their account), record P1 as completed
    and request the chosen facilities at the home centre.

    Two simultaneous registrations of one NIK or email give one record; the other caller
    gets a ValidationError keyed by the field, never an IntegrityError.
    """
    now = timezone.now()
    kecamatan = data.kelurahan.kecamatan
    try:
        home_center = Center.objects.get(kecamatan=kecamatan)
    except Center.DoesNotExist:
        raise ValidationError({"kelurahan": _("There is no JakPreneur centre for this kecamatan yet.")}) from None
    if Entrepreneur.objects.filter(nik=data.nik).exists():
        raise ValidationError({"nik": DUPLICATE_NIK_MESSAGE}, code="duplicate_nik")
    email = (data.email or "").strip().lower()
    if password is not None and User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": DUPLICATE_EMAIL_MESSAGE}, code="duplicate_email")

    try:
        with transaction.atomic():
            user = None
            if password is not None:
                user = User.objects.create_user(email=email, password=password, first_name=data.full_name[:150])
            entrepreneur = Entrepreneur.objects.create(
                user=user,
                nik=data.nik,
                full_name=data.full_name.strip(),
                birth_date=data.birth_date,
                gender=data.gender,
                phone=data.phone,
                email=email,
                kelurahan=data.kelurahan,
                kecamatan=kecamatan,
                address=data.address.strip(),
                home_center=home_center,
                track=data.track,
                source=source,
                legacy_id=legacy_id or None,
                consent_at=consent_at,
                registered_at=registered_at or now,
                status_changed_at=now,
                status_changed_by=actor,
            )
    except IntegrityError as error:
        # Lost a race with a simultaneous registration of the same NIK or email.
        if _integrity_field(error) == "email":
            raise ValidationError({"email": DUPLICATE_EMAIL_MESSAGE}, code="duplicate_email") from None
        raise ValidationError({"nik": DUPLICATE_NIK_MESSAGE}, code="duplicate_nik") from None

    _log_status(entrepreneur=entrepreneur, to_status=Entrepreneur.Status.SUBMITTED, actor=actor, at=now)
    if data.business is not None:
        Business.objects.create(entrepreneur=entrepreneur, **data.business.__dict__)

    p1 = Enrollment.objects.create(
        entrepreneur=entrepreneur,
        facility_id="P1",
        center=home_center,
        state=Enrollment.State.COMPLETED,
        requested_at=registered_at or now,
        completed_at=registered_at or now,
        handled_by=actor,
    )
    _log_status(
        entrepreneur=entrepreneur,
        enrollment=p1,
        to_status=Enrollment.State.COMPLETED,
        actor=actor,
        at=now,
        reason="P1",
    )
    for code in sorted(set(data.facilities) - {"P1"}):
        enrollment_request(entrepreneur=entrepreneur, facility=Facility.objects.get(code=code), actor=actor)
    return entrepreneur


def _set_entrepreneur_status(
    *, entrepreneur: Entrepreneur, status: str, actor: User | None, reason: str
) -> Entrepreneur:
    locked = Entrepreneur.objects.select_for_update().get(pk=entrepreneur.pk)
    if locked.status == status:
        raise ValidationError(
            _("The entrepreneur is already %(status)s.") % {"status": locked.get_status_display()}, code="no_change"
        )
    previous = locked.status
    now = timezone.now()
    locked.status = status
    locked.status_changed_at = now
    locked.status_changed_by = actor
    locked.status_reason = reason
    locked._change_reason = reason or status  # picked up by django-simple-history
    locked.save(update_fields=["status", "status_changed_at", "status_changed_by", "status_reason", "updated_at"])
    _log_status(entrepreneur=locked, from_status=previous, to_status=status, actor=actor, reason=reason, at=now)
    entrepreneur.status, entrepreneur.status_changed_at = locked.status, now
    entrepreneur.status_changed_by, entrepreneur.status_reason = actor, reason
    return locked


@transaction.atomic
def entrepreneur_verify(*, entrepreneur: Entrepreneur, actor: User | None, reason: str = "") -> Entrepreneur:
    """Mark a registration as verified by centre or Dinas staff."""
    return _set_entrepreneur_status(
        entrepreneur=entrepreneur, status=Entrepreneur.Status.VERIFIED, actor=actor, reason=reason
    )


@transaction.atomic
def entrepreneur_reject(*, entrepreneur: Entrepreneur, actor: User | None, reason: str) -> Entrepreneur:
    """Reject a registration; a reason is required and shown to the entrepreneur."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")}, code="reason_required")
    return _set_entrepreneur_status(
        entrepreneur=entrepreneur, status=Entrepreneur.Status.REJECTED, actor=actor, reason=reason.strip()
    )


def previous_facility_completed(*, entrepreneur: Entrepreneur, facility: Facility) -> bool:
    """In sequential (OK OCE) mode a facility needs the one before it completed."""
    if facility.order <= 1:
        return True
    return Enrollment.objects.filter(
        entrepreneur=entrepreneur, facility__order=facility.order - 1, state=Enrollment.State.COMPLETED
    ).exists()


@transaction.atomic
def enrollment_request(
    *,
    entrepreneur: Entrepreneur,
    facility: Facility,
    actor: User | None = None,
    center: Center | None = None,
    note: str = "",
) -> Enrollment:
    """Request a facility for an entrepreneur at their home centre (or `center`)."""
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
    except IntegrityError:
        raise ValidationError(
            _("%(code)s has already been requested.") % {"code": facility.code}, code="already_open"
        ) from None
    _log_status(entrepreneur=entrepreneur, enrollment=enrollment, to_status=enrollment.state, actor=actor, at=now)
    return enrollment


OUTCOME_FIELDS = ("permit_type", "permit_number", "curation_grade", "financing_amount", "financing_provider")


@transaction.atomic
def enrollment_transition(
    *, enrollment: Enrollment, to_state: str, actor: User | None, reason: str = "", **outcome
) -> Enrollment:
    """Move an enrolment along requested → active → completed (or → cancelled), recording
    outcome fields (P4 permit, P5 curation grade, P7 financing) given on completion."""
    locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
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
    _log_status(
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


def activity_taken_places(*, activity: Activity) -> int:
    return activity.attendances.exclude(status=Attendance.Status.CANCELLED).count()


@transaction.atomic
def attendance_signup(*, activity: Activity, entrepreneur: Entrepreneur, now: dt.datetime | None = None) -> Attendance:
    """Sign an entrepreneur up for an activity, enforcing deadline and capacity.

    The activity row is locked so that simultaneous sign-ups cannot overfill it.
    """
    now = now or timezone.now()
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
def attendance_cancel(*, attendance: Attendance) -> Attendance:
    """Give a place back (only before the activity starts)."""
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
    attendance.status = status
    attendance.marked_by = actor
    attendance.marked_at = timezone.now()
    attendance.save(update_fields=["status", "marked_by", "marked_at"])
    return attendance


# --- Staff edits (admin) -------------------------------------------------------------------

ENTREPRENEUR_EDITABLE_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "phone",
    "email",
    "kelurahan",
    "address",
    "track",
)


@transaction.atomic
def entrepreneur_update(
    *, entrepreneur: Entrepreneur, actor: User | None, changes: dict, reason: str = ""
) -> Entrepreneur:
    """Apply a staff correction of an entrepreneur's data (not their status, which changes
    through verify/reject). The kelurahan drives the denormalised kecamatan and the home
    centre; the NIK must stay consistent with birth date and gender. Records history."""
    unknown = set(changes) - set(ENTREPRENEUR_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable through entrepreneur_update: {sorted(unknown)}")
    locked = Entrepreneur.objects.select_for_update().get(pk=entrepreneur.pk)
    update_fields = []
    for name, value in changes.items():
        if name == "phone":
            value = normalize_phone(value)
        elif name in ("full_name", "address", "email"):
            value = (value or "").strip()
            if name == "email":
                value = value.lower()
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            update_fields.append(name)
    if not update_fields:
        return locked
    if "birth_date" in update_fields or "gender" in update_fields:
        check_nik_consistency(locked.nik, birth_date=locked.birth_date, gender=locked.gender)
    if "kelurahan" in update_fields:
        kecamatan = locked.kelurahan.kecamatan
        if kecamatan.pk != locked.kecamatan_id:
            try:
                locked.home_center = Center.objects.get(kecamatan=kecamatan)
            except Center.DoesNotExist:
                raise ValidationError(
                    {"kelurahan": _("There is no JakPreneur centre for this kecamatan yet.")}, code="no_center"
                ) from None
            locked.kecamatan = kecamatan
            update_fields += ["kecamatan", "home_center"]
    locked._change_reason = reason or "staff edit"
    locked.save(update_fields=[*update_fields, "updated_at"])
    return locked


BUSINESS_FIELDS = ("name", "sector", "started_year", "nib", "workers", "turnover_band", "asset_band")


@transaction.atomic
def enrollment_record_completion(
    *, entrepreneur: Entrepreneur, facility: Facility, actor: User | None, reason: str = "", center=None, **outcome
) -> Enrollment:
    """Complete the entrepreneur's open enrolment of a facility, or request and complete one
    when they have none (e.g. a participant who came to a class without enrolling first).
    Sequential mode and the other request rules apply."""
    enrollment = (
        Enrollment.objects.open().filter(entrepreneur=entrepreneur, facility=facility).order_by("requested_at").first()
    )
    if enrollment is None:
        enrollment = enrollment_request(entrepreneur=entrepreneur, facility=facility, actor=actor, center=center)
    return enrollment_complete(enrollment=enrollment, actor=actor, reason=reason, **outcome)


def activity_complete_facility_for_attendees(*, activity: Activity, actor: User | None) -> tuple[int, list[str]]:
    """Complete the activity's facility (e.g. P2 after a class) for every participant marked
    attended who has not completed it yet. Returns (completed, [error message per person])."""
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


@transaction.atomic
def entrepreneur_update_contact(
    *,
    entrepreneur: Entrepreneur,
    phone: str,
    email: str,
    address: str,
    kelurahan: Kelurahan,
    actor: User | None,
) -> Entrepreneur:
    """Change an entrepreneur's contact data (and their login email); moving to another
    kecamatan moves them to that kecamatan's centre. Open enrolments stay where they are."""
    locked = Entrepreneur.objects.select_for_update().get(pk=entrepreneur.pk)
    email = (email or "").strip().lower()
    user = locked.user
    if user is not None and email != user.email:
        if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise ValidationError({"email": DUPLICATE_EMAIL_MESSAGE}, code="duplicate_email")
        user.email = email
        try:
            with transaction.atomic():
                user.save(update_fields=["email"])
        except IntegrityError:
            raise ValidationError({"email": DUPLICATE_EMAIL_MESSAGE}, code="duplicate_email") from None
    update_fields = ["phone", "email", "address", "kelurahan", "updated_at"]
    if kelurahan.kecamatan_id != locked.kecamatan_id:
        try:
            locked.home_center = Center.objects.get(kecamatan_id=kelurahan.kecamatan_id)
        except Center.DoesNotExist:
            raise ValidationError({"kelurahan": _("There is no JakPreneur centre for this kecamatan yet.")}) from None
        locked.kecamatan_id = kelurahan.kecamatan_id
        update_fields += ["kecamatan", "home_center"]
    locked.phone = phone
    locked.email = email
    locked.address = address.strip()
    locked.kelurahan = kelurahan
    locked._change_reason = "contact data changed"
    locked.save(update_fields=update_fields)
    return locked


@transaction.atomic
def business_upsert(*, entrepreneur: Entrepreneur, data: BusinessData, actor: User | None = None) -> Business:
    """Create or change the business of an entrepreneur (at most one)."""
    if data.nib:
        from registrations.validators import validate_nib

        validate_nib(data.nib)
    business, created = Business.objects.select_for_update().get_or_create(
        entrepreneur=entrepreneur, defaults=dict(data.__dict__)
    )
    if not created:
        for name, value in data.__dict__.items():
            setattr(business, name, value)
        business._change_reason = "business data changed"
        business.save(update_fields=[*data.__dict__, "updated_at"])
    return business
