"""Writes to an entrepreneur and their business: registration, the one update service (staff
corrections and the entrepreneur's own contact data alike), verification and rejection.

The values given are checked again with the rules of registrations/rules.py (defence in
depth: a form is not the only caller), and the checks that need the database are here.
"""

import dataclasses
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities import cache as reference
from facilities.models import Facility
from registrations import moves, rules
from registrations.models import Business, Enrollment, Entrepreneur, User
from registrations.services.common import acts_for_self, ensure_in_scope, home_center_of, integrity_field, log_status
from registrations.services.data import (
    DUPLICATE_EMAIL_MESSAGE,
    DUPLICATE_NIK_MESSAGE,
    EMAIL_IN_USE_MESSAGE,
    BusinessData,
    EntrepreneurData,
)
from registrations.services.enrollments import enrollment_request

ENTREPRENEUR_EDITABLE_FIELDS = ("full_name", "birth_date", "gender", "phone", "email", "kelurahan", "address", "track")
BUSINESS_FIELDS = ("name", "sector", "started_year", "nib", "workers", "turnover_band", "asset_band")


# --- the checks that need the database: one place each -----------------------------------------


def nik_ensure_free(*, nik: str) -> None:
    """Refuse a NIK that is registered already (without saying whose it is)."""
    if Entrepreneur.objects.filter(nik=nik).exists():
        raise ValidationError(DUPLICATE_NIK_MESSAGE, code="duplicate_nik")


def email_ensure_free(*, email: str, user: User | None = None) -> None:
    """Refuse a login address another account uses; `user` is the account it is for (None for
    a new account). An account cannot be left without one."""
    if not email:
        raise ValidationError(_("An account logs in with its email address: enter one."), code="required")
    taken = User.objects.filter(email__iexact=email)
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        raise ValidationError(DUPLICATE_EMAIL_MESSAGE if user is None else EMAIL_IN_USE_MESSAGE, code="duplicate_email")


def _keyed(field: str, check, **kwargs) -> None:
    try:
        check(**kwargs)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from None


def _checked_business(check: rules.Checker, data: BusinessData) -> BusinessData:
    values = rules.check_business(check, data.as_checked())
    asset_band = data.asset_band
    if asset_band:
        asset_band = check("asset_band", rules.clean_choice, asset_band, choices=Business.AssetBand)
    return BusinessData.from_checked(values, asset_band=asset_band or "")


def checked_business(data: BusinessData) -> BusinessData:
    """The business data cleaned with the rules, or a ValidationError keyed by field."""
    check = rules.Checker()
    business = _checked_business(check, data)
    check.raise_errors()
    return business


def checked_person(data: EntrepreneurData, *, on: dt.date) -> EntrepreneurData:
    """The person (and business) cleaned with the rules, old enough on `on`, or a
    ValidationError keyed by field."""
    check = rules.Checker()
    values = rules.check_person(check, {name: getattr(data, name) for name in rules.PERSON_FIELDS}, on=on)
    business = _checked_business(check, data.business) if data.business is not None else None
    check.raise_errors()
    return dataclasses.replace(data, business=business, **values)


# --- registration, verification ----------------------------------------------------------------


@transaction.atomic
def entrepreneur_register(
    *,
    data: EntrepreneurData,
    password: str | None = None,
    source: str = Entrepreneur.Source.SELF,
    actor: User | None,
    consent_at: dt.datetime | None = None,
    registered_at: dt.datetime | None = None,
    legacy_id: str | None = None,
) -> Entrepreneur:
    """Create an entrepreneur (and, with a password, their account), record P1 as completed
    and request the chosen facilities at the home centre.

    Two simultaneous registrations of one NIK or email give one record; the other caller
    gets a ValidationError keyed by the field, never an IntegrityError. Staff register
    people living in their kecamatan (`actor` None: the person registers themselves).
    """
    now = timezone.now()
    data = checked_person(data, on=timezone.localtime(registered_at or now).date())
    ensure_in_scope(actor, data.kelurahan, field="kelurahan")
    home_center = home_center_of(data.kelurahan.kecamatan_id)
    _keyed("nik", nik_ensure_free, nik=data.nik)
    if password is not None:
        _keyed("email", email_ensure_free, email=data.email)

    # A lost race ends this service: the IntegrityError is answered with a ValidationError
    # at once, which rolls back the service's own transaction (a savepoint inside a caller's);
    # nothing runs on the aborted transaction in between, so no savepoint of its own is needed
    # (each costs two round trips to the database).
    try:
        user = None
        if password is not None:
            user = User.objects.create_user(email=data.email, password=password, first_name=data.full_name[:150])
        entrepreneur = Entrepreneur.objects.create(
            user=user,
            nik=data.nik,
            full_name=data.full_name,
            birth_date=data.birth_date,
            gender=data.gender,
            phone=data.phone,
            email=data.email,
            kelurahan=data.kelurahan,
            kecamatan_id=data.kelurahan.kecamatan_id,
            address=data.address,
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
        if integrity_field(error) == "email":
            raise ValidationError({"email": DUPLICATE_EMAIL_MESSAGE}, code="duplicate_email") from None
        raise ValidationError({"nik": DUPLICATE_NIK_MESSAGE}, code="duplicate_nik") from None

    log_status(entrepreneur=entrepreneur, to_status=Entrepreneur.Status.SUBMITTED, actor=actor, at=now)
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
    log_status(
        entrepreneur=entrepreneur, enrollment=p1, to_status=Enrollment.State.COMPLETED, actor=actor, at=now, reason="P1"
    )
    cached = {facility.code: facility for facility in reference.facilities()}
    for code in sorted(set(data.facilities) - {"P1"}):
        facility = cached.get(code) or Facility.objects.get(code=code)
        enrollment_request(entrepreneur=entrepreneur, facility=facility, actor=actor)
    return entrepreneur


def _set_entrepreneur_status(
    *, entrepreneur: Entrepreneur, status: str, actor: User | None, reason: str
) -> Entrepreneur:
    locked = Entrepreneur.objects.select_for_update().get(pk=entrepreneur.pk)
    ensure_in_scope(actor, locked)
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
    log_status(entrepreneur=locked, from_status=previous, to_status=status, actor=actor, reason=reason, at=now)
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


# --- changes -----------------------------------------------------------------------------------


def _checked_changes(locked: Entrepreneur, changes: dict) -> dict:
    # Only what changes is checked: a record from before a rule keeps its other values.
    check = rules.Checker()
    values = {
        name: check(name, rules.PERSON_RULES[name], value) if name in rules.PERSON_RULES else value
        for name, value in changes.items()
    }
    if "birth_date" in changes:
        # Old enough when they registered: a correction does not re-register anyone.
        on = timezone.localtime(locked.registered_at).date()
        values["birth_date"] = check("birth_date", rules.clean_birth_date, changes["birth_date"], on=on)
    if "birth_date" in changes or "gender" in changes:
        birth_date, gender = values.get("birth_date", locked.birth_date), values.get("gender", locked.gender)
        check("birth_date", rules.check_nik_matches, locked.nik, birth_date=birth_date, gender=gender)
    check.raise_errors()
    return values


@transaction.atomic
def entrepreneur_update(
    *, entrepreneur: Entrepreneur, actor: User | None, changes: dict, reason: str = ""
) -> Entrepreneur:
    """Change an entrepreneur's data: staff corrections and the entrepreneur's own contact
    data alike (not the NIK, nor the status, which changes through verify/reject).

    Values are checked with the rules; the birth date and gender must still match the NIK;
    the login email follows the entrepreneur's email (an address another account uses is
    refused); a new kelurahan sets the kecamatan and the home centre (open enrolments stay
    where they are). History records who and `reason`. Staff change the people of their
    kecamatan and keep them in it; an entrepreneur changes their own record.
    """
    unknown = set(changes) - set(ENTREPRENEUR_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable through entrepreneur_update: {sorted(unknown)}")
    locked = Entrepreneur.objects.select_for_update(of=("self",)).select_related("user").get(pk=entrepreneur.pk)
    ensure_in_scope(actor, locked, own=True)
    if changes.get("kelurahan") is not None and not acts_for_self(actor, locked):
        ensure_in_scope(actor, changes["kelurahan"], field="kelurahan")
    if locked.anonymised_at is not None:
        raise ValidationError(_("This person's data was erased at their request: it cannot be edited."), code="erased")
    values = _checked_changes(locked, changes)
    update_fields = []
    for name, value in values.items():
        attname = "kelurahan_id" if name == "kelurahan" else name
        if getattr(locked, attname) != (value.pk if name == "kelurahan" else value):
            setattr(locked, name, value)
            update_fields.append(name)
    user = locked.user
    if user is not None and "email" in values and user.email != values["email"]:
        _keyed("email", email_ensure_free, email=values["email"], user=user)
        user.email = values["email"]
        try:
            with transaction.atomic():
                user.save(update_fields=["email"])
        except IntegrityError:
            raise ValidationError({"email": EMAIL_IN_USE_MESSAGE}, code="duplicate_email") from None
    if not update_fields:
        return locked
    if "kelurahan" in update_fields and locked.kelurahan.kecamatan_id != locked.kecamatan_id:
        locked.home_center = home_center_of(locked.kelurahan.kecamatan_id)
        locked.kecamatan_id = locked.kelurahan.kecamatan_id
        update_fields += ["kecamatan", "home_center"]
    locked._change_reason = reason or "staff edit"
    locked.save(update_fields=[*update_fields, "updated_at"])
    if "kecamatan" in update_fields:
        moves.kecamatan_changed({locked.pk: locked.kecamatan_id})  # their reports follow them
    return locked


@transaction.atomic
def business_upsert(*, entrepreneur: Entrepreneur, data: BusinessData, actor: User | None) -> Business:
    """Create or change the business of an entrepreneur (at most one): staff for the people
    of their kecamatan, an entrepreneur their own."""
    ensure_in_scope(actor, entrepreneur, own=True)
    data = checked_business(data)
    business, created = Business.objects.select_for_update().get_or_create(
        entrepreneur=entrepreneur, defaults=dict(data.__dict__)
    )
    if not created:
        for name, value in data.__dict__.items():
            setattr(business, name, value)
        business._change_reason = "business data changed"
        business.save(update_fields=[*data.__dict__, "updated_at"])
    return business
