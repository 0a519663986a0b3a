"""The person's own copy of their data (UU 27/2022; registrations/personal_data.py):
registrations' part of the export, as JSON values."""

from registrations.models import Attendance, Business, Enrollment, Entrepreneur, StatusChange
from registrations.personal_data import json_value

# Fields of the history tables that are bookkeeping, not data about the person.
_HISTORY_BOOKKEEPING = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id", "id"}


def _who(user_id: int | None, *, own_user_id: int | None) -> str:
    """Who made a change, as the person is told it: themselves, staff, or the system (an
    import or a job). Staff are not named: their identity is their own personal data; the
    Dinas answers a request for it."""
    if user_id is None:
        return "system"
    return "self" if user_id == own_user_id else "staff"


def _history_changes(records: list[dict], *, own_user_id: int | None) -> list[dict]:
    """From a history table's rows (oldest first): when, by whom, what kind of change and the
    fields it set, with their new values."""
    changes, previous = [], None
    for record in records:
        fields = {k: v for k, v in record.items() if k not in _HISTORY_BOOKKEEPING and not k.startswith("history_")}
        changed = {
            name: json_value(value) for name, value in fields.items() if previous is None or previous.get(name) != value
        }
        changes.append(
            {
                "at": json_value(record["history_date"]),
                "by": _who(record["history_user_id"], own_user_id=own_user_id),
                "kind": {"+": "created", "~": "changed", "-": "deleted"}.get(record["history_type"], "changed"),
                "reason": record["history_change_reason"] or "",
                "fields": changed,
            }
        )
        previous = fields
    return changes


def entrepreneur_personal_data(entrepreneur: Entrepreneur) -> dict:
    """Everything registrations holds about one person, as JSON values (a fixed number of
    queries): person, account, business, enrolments, attendance, status history and the
    history of who changed what."""
    person = (
        Entrepreneur.objects.filter(pk=entrepreneur.pk)
        .select_related("kelurahan", "kecamatan__kota", "home_center", "user")
        .get()
    )
    own_user_id = person.user_id
    account = person.user
    business = Business.objects.filter(entrepreneur=person).first()
    enrollments = (
        Enrollment.objects.filter(entrepreneur=person)
        .select_related("facility", "center")
        .order_by("requested_at", "id")
    )
    attendances = (
        Attendance.objects.filter(entrepreneur=person)
        .select_related("activity__center", "activity__facility")
        .order_by("signed_up_at", "id")
    )
    status_changes = (
        StatusChange.objects.filter(entrepreneur=person).select_related("enrollment").order_by("changed_at", "id")
    )
    entrepreneur_history = list(
        Entrepreneur.history.filter(id=person.pk).order_by("history_date", "history_id").values()
    )
    business_history = []
    if business is not None:
        business_history = list(Business.history.filter(id=business.pk).order_by("history_date", "history_id").values())
    return {
        "person": {
            "nik": person.nik,
            "full_name": person.full_name,
            "birth_date": json_value(person.birth_date),
            "gender": person.gender,
            "phone": person.phone,
            "email": person.email,
            "address": person.address,
            "kelurahan": {"code": person.kelurahan_id, "name": person.kelurahan.name},
            "kecamatan": {"code": person.kecamatan_id, "name": person.kecamatan.name},
            "kota": {"code": person.kecamatan.kota_id, "name": person.kecamatan.kota.name},
            "home_center": person.home_center.name,
            "track": person.track,
            "status": person.status,
            "status_reason": person.status_reason,
            "status_changed_at": json_value(person.status_changed_at),
            "source": person.source,
            "legacy_id": person.legacy_id,
            "consent_at": json_value(person.consent_at),
            "consent_withdrawn_at": json_value(person.consent_withdrawn_at),
            "registered_at": json_value(person.registered_at),
        },
        "account": (
            {
                "email": account.email,
                "date_joined": json_value(account.date_joined),
                "last_login": json_value(account.last_login),
                "active": account.is_active,
            }
            if account
            else None
        ),
        "business": (
            {
                "name": business.name,
                "sector": business.sector,
                "started_year": business.started_year,
                "nib": business.nib,
                "workers": business.workers,
                "turnover_band": business.turnover_band,
                "asset_band": business.asset_band,
            }
            if business
            else None
        ),
        "enrollments": [
            {
                "id": e.pk,
                "facility": e.facility_id,
                "facility_name": e.facility.name,
                "centre": e.center.name if e.center else None,
                "state": e.state,
                "requested_at": json_value(e.requested_at),
                "started_at": json_value(e.started_at),
                "completed_at": json_value(e.completed_at),
                "cancelled_at": json_value(e.cancelled_at),
                "note": e.note,
                "permit_type": e.permit_type,
                "permit_number": e.permit_number,
                "curation_grade": e.curation_grade,
                "financing_amount": json_value(e.financing_amount),
                "financing_provider": e.financing_provider,
            }
            for e in enrollments
        ],
        "attendance": [
            {
                "activity": a.activity.title,
                "facility": a.activity.facility_id,
                "centre": a.activity.center.name if a.activity.center else None,
                "starts_at": json_value(a.activity.starts_at),
                "status": a.status,
                "signed_up_at": json_value(a.signed_up_at),
                "marked_at": json_value(a.marked_at),
            }
            for a in attendances
        ],
        "status_history": [
            {
                "at": json_value(change.changed_at),
                "enrollment": change.enrollment_id,
                "facility": change.enrollment.facility_id if change.enrollment else None,
                "from": change.from_status,
                "to": change.to_status,
                "by": _who(change.changed_by_id, own_user_id=own_user_id),
                "reason": change.reason,
            }
            for change in status_changes
        ],
        "change_history": {
            "person": _history_changes(entrepreneur_history, own_user_id=own_user_id),
            "business": _history_changes(business_history, own_user_id=own_user_id),
        },
    }
