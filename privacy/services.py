"""Deletion requests: the resident asks, the Dinas approves (everything that identifies the
person is erased through registrations.personal_data.erase_all) or rejects with a reason;
the resident is emailed either way (queued with the commit)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jakpreneur.celery import enqueue_on_commit
from privacy import selectors, tasks
from privacy.models import DeletionRequest
from registrations import personal_data
from registrations.models import Entrepreneur, User

HANDLE_PERMISSION = "privacy.handle_deletionrequest"
ONE_OPEN_MESSAGE = _("You already have an open deletion request. The Dinas will answer it first.")


def deletion_request_create(*, entrepreneur: Entrepreneur, reason: str) -> DeletionRequest:
    """The resident asks for their data to be erased; one open request at a time."""
    if entrepreneur.anonymised_at is not None:
        raise ValidationError(_("Your data has already been erased."), code="already_anonymised")
    if DeletionRequest.objects.open().filter(entrepreneur=entrepreneur).exists():
        raise ValidationError(ONE_OPEN_MESSAGE, code="already_open")
    try:
        with transaction.atomic():
            return DeletionRequest.objects.create(entrepreneur=entrepreneur, reason=reason)
    except IntegrityError:  # a second request raced the first one
        raise ValidationError(ONE_OPEN_MESSAGE, code="already_open") from None


def _locked_open_request(request: DeletionRequest, actor: User) -> DeletionRequest:
    if not actor.has_perm(HANDLE_PERMISSION):
        raise PermissionDenied
    locked = (
        selectors.deletion_requests_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("entrepreneur__user")
        .filter(pk=request.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied
    if not locked.is_open:
        raise ValidationError(_("This request has already been handled."), code="handled")
    return locked


@transaction.atomic
def deletion_request_approve(*, request: DeletionRequest, actor: User) -> DeletionRequest:
    """Erase everything that identifies the person (every app's part, history included),
    keep what the statistics count, close the request and email the resident."""
    locked = _locked_open_request(request, actor)
    entrepreneur = locked.entrepreneur
    account = entrepreneur.user
    locked.notify_email = (account.email if account else "") or entrepreneur.email
    personal_data.erase_all(entrepreneur, actor=actor)
    locked.status = DeletionRequest.Status.DONE
    locked.handled_at = timezone.now()
    locked.handled_by = actor
    locked.save(update_fields=["status", "handled_at", "handled_by", "notify_email"])
    enqueue_on_commit(tasks.send_deletion_request_outcome, locked.pk, language=get_language())
    return locked


@transaction.atomic
def deletion_request_reject(*, request: DeletionRequest, actor: User, reason: str) -> DeletionRequest:
    """Refuse a request, with the reason the resident is told (e.g. an open financing
    application the Dinas must keep records of)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason the resident will be told.")}, code="required")
    locked = _locked_open_request(request, actor)
    locked.status = DeletionRequest.Status.REJECTED
    locked.handled_at = timezone.now()
    locked.handled_by = actor
    locked.decision_reason = reason
    locked.save(update_fields=["status", "handled_at", "handled_by", "decision_reason"])
    enqueue_on_commit(tasks.send_deletion_request_outcome, locked.pk, language=get_language())
    return locked


def personal_data_erase(entrepreneur: Entrepreneur, *, actor: User | None) -> None:
    """Privacy's part of the erasure: the reasons the resident wrote (they may name them)."""
    DeletionRequest.objects.filter(entrepreneur=entrepreneur).update(reason="")
