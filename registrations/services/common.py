"""Pieces shared by the service modules (not part of the services' interface)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Model
from django.utils import timezone

from facilities import cache as reference
from facilities.models import Center
from jakpreneur import scoping
from registrations.models import Entrepreneur, StatusChange, User
from registrations.services.data import NO_CENTER_MESSAGE, OUT_OF_SCOPE_MESSAGE


def _entrepreneur_id(obj: Model) -> int | None:
    if isinstance(obj, Entrepreneur):
        return obj.pk
    return getattr(obj, "entrepreneur_id", None)


def acts_for_self(actor: User | None, obj: Model) -> bool:
    """Whether `actor` is the entrepreneur `obj` is (or belongs to), as the database says."""
    entrepreneur_id = _entrepreneur_id(obj)
    if actor is None or not actor.pk or entrepreneur_id is None:
        return False
    return Entrepreneur.objects.filter(pk=entrepreneur_id, user_id=actor.pk).exists()


def ensure_in_scope(actor: User | None, obj: Model, *, own: bool = False, field: str | None = None) -> None:
    """Refuse, writing nothing, when `actor` may not act on `obj`: a ValidationError with code
    "out_of_scope" (keyed by `field` when given).

    The services check this themselves (defence in depth: the admin is not their only
    caller) with the same selectors as the admin's lists and choices (jakpreneur.scoping):
    the Dinas acts on every row, centre staff on the rows of their kecamatan, nobody else on
    any. With `own`, an entrepreneur may also act on their own record (their /me/ page).
    `actor` None is the system itself (a management command, a task, a test's set-up): the
    admin and the views always pass the signed-in user.
    """
    if actor is None:
        return
    if obj.pk is not None and scoping.choices_for(type(obj), actor).filter(pk=obj.pk).exists():
        return
    if own and acts_for_self(actor, obj):
        return
    error = ValidationError(OUT_OF_SCOPE_MESSAGE, code="out_of_scope")
    raise ValidationError({field: error}) if field else error


def log_status(*, entrepreneur, to_status, from_status="", enrollment=None, actor=None, reason="", at=None):
    """One row of the status log: who, when, from, to and why."""
    StatusChange.objects.create(
        entrepreneur=entrepreneur,
        enrollment=enrollment,
        from_status=from_status,
        to_status=to_status,
        changed_by=actor if actor and actor.pk else None,
        changed_at=at or timezone.now(),
        reason=reason,
    )


def home_center_of(kecamatan_id: str) -> Center:
    """The centre of a kecamatan, the home centre of everyone living there (from the cached
    reference data; the database when the copy knows none, e.g. a centre created a moment ago
    in another process)."""
    if (center := reference.center_of_kecamatan(kecamatan_id)) is not None:
        return center
    try:
        return Center.objects.get(kecamatan_id=kecamatan_id)
    except Center.DoesNotExist:
        raise ValidationError({"kelurahan": NO_CENTER_MESSAGE}, code="no_center") from None


def integrity_field(error: IntegrityError) -> str:
    """Which unique field a lost race was about, from the database's message."""
    text = str(error).lower()
    if "email" in text:
        return "email"
    if "nik" in text:
        return "nik"
    return ""
