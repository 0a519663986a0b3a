"""Reads of deletion requests and the resident's own privacy page; the scoping of deletion
requests (the Dinas only: a request and its reason are about one person's wish to leave the
programme, which the centre does not need to see)."""

from django.db.models import OuterRef, QuerySet, Subquery

from privacy.models import DeletionRequest
from registrations import personal_data
from registrations.models import Entrepreneur, User
from registrations.personal_data import json_value
from registrations.selectors import sees_everything


def deletion_requests_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    qs = DeletionRequest.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated or not user.is_staff or not sees_everything(user):
        return qs.none()
    return qs


def me_latest_deletion_request(*, entrepreneur: Entrepreneur) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(entrepreneur=entrepreneur).order_by("-requested_at", "-id").first()


# /me/ reads the latest request's status with the entrepreneur's own row (registrations/me_panels.py).
ME_REQUEST_STATUS = "privacy_latest_request_status"


def me_panel_annotations() -> dict:
    """The status of the latest deletion request (None without one), on the entrepreneur's row."""
    latest = DeletionRequest.objects.filter(entrepreneur=OuterRef("pk")).order_by("-requested_at", "-id")
    return {ME_REQUEST_STATUS: Subquery(latest.values("status")[:1])}


def me_panel_context(entrepreneur: Entrepreneur) -> dict:
    """The /me/ panel: consent and the latest deletion request (its status is what the panel
    shows). No query when the entrepreneur was read with `me_panel_annotations`, else one."""
    if hasattr(entrepreneur, ME_REQUEST_STATUS):
        status = getattr(entrepreneur, ME_REQUEST_STATUS)
        latest = DeletionRequest(entrepreneur=entrepreneur, status=status) if status else None
    else:
        latest = me_latest_deletion_request(entrepreneur=entrepreneur)
    return {"entrepreneur": entrepreneur, "latest_request": latest}


def me_data(*, entrepreneur: Entrepreneur) -> dict:
    """Everything the portal holds about the person (every app's part)."""
    return personal_data.export_all(entrepreneur)


def personal_data_export(entrepreneur: Entrepreneur) -> dict:
    """Privacy's part of the person's copy: their deletion requests."""
    return {
        "deletion_requests": [
            {
                "requested_at": json_value(request.requested_at),
                "reason": request.reason,
                "status": request.status,
                "handled_at": json_value(request.handled_at),
                "decision_reason": request.decision_reason,
            }
            for request in DeletionRequest.objects.filter(entrepreneur=entrepreneur).order_by("requested_at", "id")
        ]
    }
