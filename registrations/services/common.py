"""Pieces shared by the service modules (not part of the services' interface)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from facilities.models import Center
from registrations.models import StatusChange
from registrations.services.data import NO_CENTER_MESSAGE


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
    """The centre of a kecamatan, the home centre of everyone living there."""
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
