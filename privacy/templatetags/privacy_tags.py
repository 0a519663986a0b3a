"""Showing a person's exported data (registrations/personal_data.py) as a readable page."""

import datetime as dt
import re

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from registrations import personal_data

register = template.Library()

# The export's keys as the readable page names them; other keys are shown as written.
LABELS = {
    "person": _("Person"),
    "account": _("Account"),
    "business": _("Business"),
    "enrollments": _("Enrolments"),
    "attendance": _("Attendance"),
    "status_history": _("Status history"),
    "change_history": _("Who changed what"),
    "deletion_requests": _("Deletion requests"),
    "nik": _("NIK"),
    "full_name": _("Full name"),
    "birth_date": _("Birth date"),
    "gender": _("Gender"),
    "phone": _("Mobile phone number"),
    "email": _("Email address"),
    "address": _("Address"),
    "kelurahan": _("Kelurahan"),
    "kecamatan": _("Kecamatan"),
    "kota": _("Kota"),
    "home_center": _("Home centre"),
    "track": _("Track"),
    "status": _("Status"),
    "status_reason": _("Reason"),
    "reason": _("Reason"),
    "consent_at": _("Consent given at"),
    "consent_withdrawn_at": _("Consent withdrawn at"),
    "registered_at": _("Registered at"),
    "requested_at": _("Requested at"),
    "name": _("Name"),
    "sector": _("Sector"),
    "facility": _("Facility"),
    "state": _("State"),
    "at": _("When"),
    "by": _("By"),
    "fields": _("What changed"),
    "kind": _("Kind of change"),
    "status_changed_at": _("Status changed at"),
    "source": _("Source"),
    "legacy_id": _("OK OCE id"),
    "date_joined": _("Account created at"),
    "last_login": _("Last signed in at"),
    "active": _("Active"),
    "started_year": _("Year started"),
    "nib": _("NIB"),
    "workers": _("Workers"),
    "turnover_band": _("Monthly turnover"),
    "asset_band": _("Assets"),
    "facility_name": _("Facility name"),
    "centre": _("Centre"),
    "started_at": _("Started at"),
    "completed_at": _("Completed at"),
    "cancelled_at": _("Cancelled at"),
    "note": _("Note"),
    "permit_type": _("Permit type"),
    "permit_number": _("Permit number"),
    "curation_grade": _("Curation grade"),
    "financing_amount": _("Financing amount (Rp)"),
    "financing_provider": _("Financing provider"),
    "activity": _("Activity"),
    "starts_at": _("Starts at"),
    "signed_up_at": _("Signed up at"),
    "marked_at": _("Marked at"),
    "enrollment": _("Enrolment"),
    "from": _("From"),
    "to": _("To"),
    "handled_at": _("Handled at"),
    "decision_reason": _("Reason for the decision"),
    "code": _("Code"),
    "id": _("Number"),
    # growth (P3/P6)
    "mentors": _("Mentors"),
    "mentor": _("Mentor"),
    "assigned_at": _("Assigned at"),
    "ended_at": _("Ended at"),
    "mentoring_sessions": _("Mentoring sessions"),
    "date": _("Date"),
    "mode": _("Mode"),
    "topics": _("Topics"),
    "notes": _("Notes"),
    "next_step": _("Agreed next step"),
    "next_step_due": _("Next step due"),
    "monthly_reports": _("Monthly business reports"),
    "period": _("Month"),
    "turnover": _("Turnover (Rp)"),
    "assets": _("Assets (Rp)"),
    "filed_by": _("Filed by"),
    "filed_at": _("Filed at"),
    "versions": _("Versions (corrections)"),
    "reminders": _("Reminders sent"),
    "sent_at": _("Sent at"),
    # marketing (P5)
    "products": _("Products"),
    "category": _("Category"),
    "description": _("Description"),
    "price": _("Price (Rp)"),
    "unit": _("Unit"),
    "pirt_number": _("SPP-IRT / PIRT number"),
    "halal_number": _("Halal certificate number"),
    "bpom_number": _("BPOM registration number"),
    "trademark": _("Trademark"),
    "show_whatsapp": _("WhatsApp button shown"),
    "catalogue_grade": _("Catalogue grade"),
    "withdrawn_at": _("Withdrawn at"),
    "created_at": _("Created at"),
    "photos": _("Photos"),
    "submissions": _("Curation submissions"),
    "round": _("Curation round"),
    "grade": _("Grade"),
    "return_reason": _("Reason for returning"),
    "certificate": _("Certificate"),
    "steps": _("Steps"),
    "submitted_at": _("Submitted at"),
    "product_id": _("Product number"),
    # financing (P7)
    "applications": _("Financing applications"),
    "product": _("Product"),
    "provider": _("Bank"),
    "amount": _("Amount requested (Rp)"),
    "tenor_months": _("Tenor (months)"),
    "purpose": _("Purpose"),
    "submitted_by": _("Submitted by"),
    "decided_at": _("Decided at"),
    "approved_amount": _("Approved amount (Rp)"),
    "bank_reason": _("Bank's reason"),
    "disbursed_amount": _("Disbursed amount (Rp)"),
    "disbursed_on": _("Disbursed on"),
    "repayments": _("Repayment statuses"),
    "month": _("Month"),
    # history rows name the stored columns
    "anonymised_at": _("Anonymised at"),
    "user_id": _("Account number"),
    "kelurahan_id": _("Kelurahan code"),
    "kecamatan_id": _("Kecamatan code"),
    "home_center_id": _("Home centre number"),
    "status_changed_by_id": _("Status changed by (account number)"),
    "entrepreneur_id": _("Entrepreneur number"),
    "updated_at": _("Updated at"),
}
# Amounts in rupiah, shown with thousands separators.
AMOUNT_KEYS = {
    "turnover",
    "assets",
    "price",
    "amount",
    "approved_amount",
    "disbursed_amount",
    "financing_amount",
}


@register.filter
def data_label(key) -> str:
    return str(LABELS.get(key, str(key).replace("_", " ")))


@register.filter
def kind_of(value) -> str:
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, list):
        return "list"
    return "scalar"


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@register.filter
def join_path(path: str, key) -> str:
    """The dotted path of dict keys down to a value (list levels are skipped)."""
    return f"{path}.{key}" if path else str(key)


@register.simple_tag
def readable(value, section: str, path: str) -> str:
    """A scalar of the export as a person reads it: a choice's label (the source's
    `choices`), a date or time in the page's language and Jakarta's
    time, yes/no. Everything else as stored (auto-escaped by the template)."""
    key = path.rsplit(".", 1)[-1]
    source = personal_data.source(section)
    label = source.choice_label(path, value) if source else None
    if label is not None:
        return label
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if key in AMOUNT_KEYS and isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "DATETIME_FORMAT")
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return formats.date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return str(value)
