"""Reads of people data.

The `me_` functions serve the entrepreneur's own page (/me/): every one of them is scoped to
one entrepreneur, so ownership is decided here and not in templates.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities.models import Activity, Facility
from registrations.models import Attendance, Enrollment, Entrepreneur, User


def me_entrepreneur(*, user: User) -> Entrepreneur | None:
    """The entrepreneur record of a logged-in account, or None (e.g. a staff account)."""
    if not user.is_authenticated:
        return None
    return (
        Entrepreneur.objects.select_related("kelurahan", "kecamatan__kota", "home_center", "status_changed_by")
        .filter(user=user)
        .first()
    )


def me_enrollments(*, entrepreneur: Entrepreneur) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(entrepreneur=entrepreneur)
        .select_related("facility", "center")
        .order_by("facility__order", "-requested_at")
    )


@dataclass
class FacilityRow:
    facility: Facility
    current: Enrollment | None  # the open enrolment, else the latest one
    can_request: bool
    locked_reason: str


def me_facility_rows(*, entrepreneur: Entrepreneur, enrollments: list[Enrollment]) -> list[FacilityRow]:
    """P2–P7 with what the entrepreneur may do about each (request, or why not)."""
    by_facility: dict[str, list[Enrollment]] = {}
    for enrollment in enrollments:
        by_facility.setdefault(enrollment.facility_id, []).append(enrollment)
    completed = {e.facility.order for e in enrollments if e.state == Enrollment.State.COMPLETED}
    rejected = entrepreneur.status == Entrepreneur.Status.REJECTED
    rows = []
    for facility in Facility.objects.filter(active=True).exclude(code="P1").order_by("order"):
        history = sorted(by_facility.get(facility.code, []), key=lambda e: e.requested_at, reverse=True)
        open_one = next((e for e in history if e.is_open), None)
        current = open_one or (history[0] if history else None)
        reason = ""
        if rejected:
            reason = _("A rejected registration cannot request facilities.")
        elif open_one is not None:
            reason = ""
        elif settings.JAKPRENEUR_SEQUENTIAL_FACILITIES and (facility.order - 1) not in completed:
            reason = _("Complete P%(previous)s first: facilities are taken in order.") % {
                "previous": facility.order - 1
            }
        rows.append(
            FacilityRow(
                facility=facility,
                current=current,
                can_request=open_one is None and not reason,
                locked_reason=reason,
            )
        )
    return rows


def me_activities(*, entrepreneur: Entrepreneur, now: dt.datetime | None = None, limit: int = 20) -> list[Activity]:
    """Upcoming published activities at the home centre and province-wide ones, with the
    places taken (`taken`) and the entrepreneur's own sign-up (`my_attendance`)."""
    now = now or timezone.now()
    mine = Attendance.objects.filter(entrepreneur=entrepreneur).exclude(status=Attendance.Status.CANCELLED)
    activities = list(
        me_activity_queryset(entrepreneur=entrepreneur)
        .upcoming(now=now)
        .select_related("facility", "center")
        .annotate(taken=Count("attendances", filter=~Q(attendances__status=Attendance.Status.CANCELLED)))
        .prefetch_related(Prefetch("attendances", queryset=mine, to_attr="my_attendances"))
        .order_by("starts_at", "id")[:limit]
    )
    for activity in activities:
        activity.my_attendance = activity.my_attendances[0] if activity.my_attendances else None
        activity.free_places = max(activity.capacity - activity.taken, 0)
        activity.signup_open = activity.registration_deadline >= now and activity.starts_at >= now
    return activities


def me_activity_queryset(*, entrepreneur: Entrepreneur):
    """The activities an entrepreneur may see and sign up for: published, at their home
    centre or province-wide."""
    return Activity.objects.published().filter(Q(center=entrepreneur.home_center_id) | Q(center__isnull=True))
