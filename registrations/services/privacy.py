"""A resident's rights under UU 27/2022 (PDP) over what registrations holds: withdrawing
consent, and the erasure of what identifies them (registrations' part of
`personal_data.erase_all`). See docs/PRIVACY.md for what is kept and why."""

import datetime as dt
import hashlib
import hmac

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations import selectors
from registrations.models import Business, Enrollment, Entrepreneur, ErasedNik, RevealLog, StatusChange, User

# Placeholders that keep the table's constraints (a unique 16-digit NIK, an E.164 mobile
# number): no real NIK starts with 00 (that would be a province code), so the placeholder
# can never collide with a person's.
ANONYMOUS_NAME = "Anonim"
ANONYMOUS_PHONE = "+6280000000000"
ANONYMISED_EMAIL_DOMAIN = "deleted.invalid"


def anonymous_nik(entrepreneur_id: int) -> str:
    return f"00{entrepreneur_id:014d}"


ERASED_MESSAGE = _(
    "This person's data was erased at their request: an import does not bring them back. "
    "They can register again themselves."
)


def nik_digest(nik: str, *, key: str | None = None) -> str:
    """A keyed digest of a NIK (HMAC-SHA256 with the SECRET_KEY): who holds the database but not
    the key cannot test NIKs against it, and the NIK cannot be read back from it."""
    secret = (key if key is not None else settings.SECRET_KEY).encode()
    return hmac.new(secret, nik.encode(), hashlib.sha256).hexdigest()


def erased_niks(niks) -> set[str]:
    """Which of these NIKs belong to people erased at their request (ErasedNik), under the
    current SECRET_KEY or one of its fallbacks (a rotated key still recognises them)."""
    niks = list(niks)
    if not niks:
        return set()
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    by_digest = {nik_digest(nik, key=key): nik for nik in niks for key in keys}
    found = ErasedNik.objects.filter(digest__in=list(by_digest)).values_list("digest", flat=True)
    return {by_digest[digest] for digest in found}


def anonymous_birth_date(birth_date: dt.date) -> dt.date:
    """The year only, stored as 1 July: the middle of the year, so that the age bands of the
    statistics are off by at most half a year for one person and unbiased over many."""
    return dt.date(birth_date.year, 7, 1)


@transaction.atomic
def entrepreneur_withdraw_consent(*, entrepreneur: Entrepreneur, actor: User | None) -> Entrepreneur:
    """Record that the person withdrew their consent: from now on they are left out of
    every optional message (`Entrepreneur.objects.contactable()`). History records who."""
    locked = Entrepreneur.objects.select_for_update().get(pk=entrepreneur.pk)
    if locked.consent_withdrawn_at is not None:
        raise ValidationError(_("Consent was already withdrawn."), code="already_withdrawn")
    locked.consent_withdrawn_at = timezone.now()
    locked._history_user = actor if actor and actor.pk else None
    locked.save(update_fields=["consent_withdrawn_at", "updated_at"])
    entrepreneur.consent_withdrawn_at = locked.consent_withdrawn_at
    return locked


@transaction.atomic
def entrepreneur_anonymise(entrepreneur: Entrepreneur, *, actor: User | None) -> Entrepreneur:
    """Replace what identifies a person, in the tables and their history, with placeholders:
    name, NIK, phone, email, address, legacy id, birth date (to the year), free-text reasons
    and notes, business name and NIB, permit numbers; disable their account and erase its
    address. What the statistics count stays: the row, kecamatan and kelurahan, gender,
    track, status, source, dates, sector and size, enrolments, attendance and the status log.
    Registered in registrations/apps.py as registrations' part of `personal_data.erase_all`."""
    locked = Entrepreneur.objects.select_for_update(of=("self",)).select_related("user").get(pk=entrepreneur.pk)
    if locked.anonymised_at is not None:
        raise ValidationError(_("This person's data has already been erased."), code="already_anonymised")
    now = timezone.now()
    # Remember that this NIK was erased, so no legacy import brings the person back.
    ErasedNik.objects.get_or_create(digest=nik_digest(locked.nik), defaults={"erased_at": now})
    person = {
        "nik": anonymous_nik(locked.pk),
        "full_name": ANONYMOUS_NAME,
        "birth_date": anonymous_birth_date(locked.birth_date),
        "phone": ANONYMOUS_PHONE,
        "email": "",
        "address": "",
        "legacy_id": None,
        "status_reason": "",
    }
    # update(): no new history row repeating the values; the history is rewritten below.
    Entrepreneur.objects.filter(pk=locked.pk).update(
        **person, anonymised_at=now, consent_withdrawn_at=locked.consent_withdrawn_at or now
    )
    # The history's change reasons are free text too (a rejection's reason, say).
    Entrepreneur.history.filter(id=locked.pk).update(**person, history_change_reason="")

    business_ids = list(Business.objects.filter(entrepreneur_id=locked.pk).values_list("pk", flat=True))
    Business.objects.filter(pk__in=business_ids).update(name="", nib="")
    Business.history.filter(id__in=business_ids).update(name="", nib="", history_change_reason="")

    enrollment_ids = list(Enrollment.objects.filter(entrepreneur_id=locked.pk).values_list("pk", flat=True))
    Enrollment.objects.filter(pk__in=enrollment_ids).update(note="", permit_number="")
    Enrollment.history.filter(id__in=enrollment_ids).update(note="", permit_number="", history_change_reason="")
    StatusChange.objects.filter(entrepreneur_id=locked.pk).update(reason="")

    user = locked.user
    if user is not None:
        old_email = user.email
        user.email = f"anonim-{user.pk}@{ANONYMISED_EMAIL_DOMAIN}"
        user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=old_email).delete()
    locked.refresh_from_db()
    return locked


def personal_data_erase(entrepreneur: Entrepreneur, *, actor: User | None) -> None:
    entrepreneur_anonymise(entrepreneur, actor=actor)


# --- the reveal log: every full NIK or phone number a staff member sees ----------------------


def _checked_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Say why you need the full value (at least 5 characters).")}, code="reason")
    return reason


def personal_data_reveal(
    *, actor: User, entrepreneur: Entrepreneur, fields: list[str], reason: str, ip_address: str | None
) -> list[RevealLog]:
    """Log that `actor` is shown `fields` (nik, phone) of one person in full, and why.
    Refused without the permission to see personal data or for a person out of scope."""
    if not selectors.can_see_personal_data(actor):
        raise PermissionDenied
    if not selectors.entrepreneurs_visible_to(actor).filter(pk=entrepreneur.pk).exists():
        raise PermissionDenied
    wanted = [f for f in (RevealLog.Field.NIK, RevealLog.Field.PHONE) if f in fields]
    if not wanted:
        raise ValidationError({"fields": _("Choose what to reveal.")}, code="fields")
    reason = _checked_reason(reason)
    return RevealLog.objects.bulk_create(
        RevealLog(user=actor, entrepreneur=entrepreneur, field=field, reason=reason, ip_address=ip_address)
        for field in wanted
    )


def personal_data_export_log(*, actor: User, rows: int, filters: str, reason: str, ip_address: str | None) -> RevealLog:
    """Log an export that carries full NIK and phone numbers: who, how many rows, which
    filters, why. Refused without the permission to see personal data."""
    if not selectors.can_see_personal_data(actor):
        raise PermissionDenied
    return RevealLog.objects.create(
        user=actor,
        field=RevealLog.Field.EXPORT,
        reason=_checked_reason(reason),
        ip_address=ip_address,
        rows=rows,
        filters=filters[:2000],
    )
