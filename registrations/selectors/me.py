"""The entrepreneur's own page (/me/): every reader here is scoped to one entrepreneur, so
ownership is decided here and not in templates."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities import cache as reference
from facilities.models import Activity, Facility
from jakpreneur.json_rows import JSONRows
from jakpreneur.prepared import PreparedQuery
from registrations import me_panels
from registrations.models import Attendance, Enrollment, Entrepreneur, User


def me_entrepreneur(*, user: User, annotations: dict | None = None) -> Entrepreneur | None:
    """The entrepreneur record of a logged-in account with their business, or None (e.g. a
    staff account). One query: the kelurahan, kecamatan, kota and home centre come from the
    cached reference data (facilities/cache.py). `annotations`: values read in the same query
    (the /me/ panels', registrations/me_panels.py)."""
    if not user.is_authenticated:
        return None
    queryset = Entrepreneur.objects.select_related("business").filter(user=user)
    if annotations:
        queryset = queryset.annotate(**annotations)
    entrepreneur = queryset.first()
    if entrepreneur is not None:
        _attach_reference(entrepreneur)
    return entrepreneur


# /me/'s own read: the same query with every panel's annotations, and the enrolments and the
# next activities as JSON in the same row (jakpreneur/json_rows.py: one round trip instead of
# three), compiled once per thread and set of panels (jakpreneur/prepared.py): compiling its
# subqueries cost more CPU than the rest of the query. A stand-in for the user's id while it is
# compiled, no user has it.
_STAND_IN_USER_ID = -8_214_736_590


def _entrepreneur_with_panels(user_id):
    return (
        Entrepreneur.objects.select_related("business")
        .filter(user_id=user_id)
        .annotate(
            **me_panels.annotations(),
            _me_enrollment_rows=_ENROLLMENT_ROWS.expression(),
            _me_next_activity_rows=_NEXT_ACTIVITY_ROWS.expression(),
        )[:1]
    )


_WITH_PANELS = PreparedQuery(_entrepreneur_with_panels, stand_ins=(_STAND_IN_USER_ID,))


def me_page_entrepreneur(*, user: User) -> Entrepreneur | None:
    """`me_entrepreneur` as /me/ reads it, in one query compiled once: with every /me/ panel's
    annotations (registrations/me_panels.py), and the rows `me_enrollments` and
    `me_next_activities` read."""
    if not user.is_authenticated:
        return None
    entrepreneur = _WITH_PANELS.first(user.pk, key=me_panels.registered())
    if entrepreneur is not None:
        _attach_reference(entrepreneur)
    return entrepreneur


def _attach_reference(entrepreneur: Entrepreneur) -> None:
    # Anything the cache does not know (an entry dropped mid-request) stays a lazy relation.
    if (kelurahan := reference.kelurahan_get(entrepreneur.kelurahan_id)) is not None:
        entrepreneur.kelurahan = kelurahan
    if (kecamatan := reference.kecamatan_get(entrepreneur.kecamatan_id)) is not None:
        entrepreneur.kecamatan = kecamatan
    if (center := reference.center_get(entrepreneur.home_center_id)) is not None:
        entrepreneur.home_center = center


_ENROLLMENT_ROWS = JSONRows(Enrollment.objects.filter(entrepreneur_id=OuterRef("pk")))


def _rows(entrepreneur: Entrepreneur, name: str, rows: JSONRows) -> list:
    """The instances of one of `me_page_entrepreneur`'s JSON columns; read on their own (one
    query) for an entrepreneur read without them."""
    if not hasattr(entrepreneur, name):
        value = Entrepreneur.objects.filter(pk=entrepreneur.pk).values_list(rows.expression(), flat=True).first()
        return rows.instances(value)
    return rows.instances(getattr(entrepreneur, name), using=entrepreneur._state.db or "default")


def me_enrollments(*, entrepreneur: Entrepreneur, facilities: list[Facility] | None = None) -> list[Enrollment]:
    """The entrepreneur's enrolments by facility order, newest first: from the row
    `me_page_entrepreneur` read (else one query), the facility and centre of each from the
    cached reference data (`facilities`: the page's copy of `reference.facilities()`, which
    builds new instances on every call)."""
    facilities = {facility.code: facility for facility in facilities or reference.facilities()}
    enrollments = _rows(entrepreneur, "_me_enrollment_rows", _ENROLLMENT_ROWS)
    for enrollment in enrollments:
        enrollment.entrepreneur = entrepreneur
        if enrollment.facility_id in facilities:
            enrollment.facility = facilities[enrollment.facility_id]
        if enrollment.center_id is not None and (center := reference.center_get(enrollment.center_id)) is not None:
            enrollment.center = center
    # Newest first within each facility (the ids break ties of one instant), facilities in order.
    enrollments.sort(key=lambda e: (e.requested_at, e.pk), reverse=True)
    enrollments.sort(key=lambda e: e.facility.order)
    return enrollments


@dataclass
class FacilityRow:
    facility: Facility
    current: Enrollment | None  # the open enrolment, else the latest one
    can_request: bool
    locked_reason: str
    note: Any = None  # an app's note for this row (me_panels.FacilityNote), shown instead of "Request"


def me_facility_rows(
    *,
    entrepreneur: Entrepreneur,
    enrollments: list[Enrollment],
    notes: dict | None = None,
    facilities: list[Facility] | None = None,
) -> list[FacilityRow]:
    """P2–P7 with what the entrepreneur may do about each (request, or why not), and the note
    an app gives for a facility that is its own work (`notes`, me_panels.facility_notes_for)."""
    by_facility: dict[str, list[Enrollment]] = {}
    for enrollment in enrollments:
        by_facility.setdefault(enrollment.facility_id, []).append(enrollment)
    completed = {e.facility.order for e in enrollments if e.state == Enrollment.State.COMPLETED}
    rejected = entrepreneur.status == Entrepreneur.Status.REJECTED
    rows = []
    for facility in [f for f in facilities or reference.facilities() if f.active and f.code != "P1"]:
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
                note=(notes or {}).get(facility.code),
            )
        )
    return rows


def _visible_activities(center_id):
    return Activity.objects.published().filter(Q(center_id=center_id) | Q(center__isnull=True))


def _places_taken() -> Coalesce:
    """An activity's places taken: its sign-ups not cancelled (a subquery on the activity)."""
    signups = (
        Attendance.objects.filter(activity=OuterRef("pk"))
        .exclude(status=Attendance.Status.CANCELLED)
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(signups, output_field=IntegerField()), 0)


def _upcoming(entrepreneur_id, center_id, *, now, limit: int):
    mine = (
        Attendance.objects.filter(activity=OuterRef("pk"), entrepreneur_id=entrepreneur_id)
        .exclude(status=Attendance.Status.CANCELLED)
        .order_by("-id")
        .values("status")[:1]
    )
    return (
        _visible_activities(center_id)
        .upcoming(now=now)
        .annotate(taken=_places_taken(), my_status=Subquery(mine))
        .order_by("starts_at", "id")[:limit]
    )


def me_activities(*, entrepreneur: Entrepreneur, now: dt.datetime | None = None, limit: int = 20) -> list[Activity]:
    """Upcoming published activities at the home centre and province-wide ones, with the
    places taken (`taken`), the kind's label (`kind_label`) and the entrepreneur's own sign-up
    (`my_attendance`, with its status only). One query however many there are; facilities
    and centres from the cache."""
    now = now or timezone.now()
    activities = list(_upcoming(entrepreneur.pk, entrepreneur.home_center_id, now=now, limit=limit))
    return _described(activities, entrepreneur=entrepreneur, now=now)


# /me/'s next few, in the entrepreneur's row (`me_page_entrepreneur`), with the database's now.
ME_NEXT_ACTIVITIES = 3
_NEXT_ACTIVITY_ROWS = JSONRows(
    _upcoming(OuterRef(OuterRef("pk")), OuterRef("home_center_id"), now=Now(), limit=ME_NEXT_ACTIVITIES),
    extra=("taken", "my_status"),
)


def me_next_activities(*, entrepreneur: Entrepreneur, facilities: list[Facility] | None = None) -> list[Activity]:
    """The next `ME_NEXT_ACTIVITIES` of `me_activities`, as /me/ shows them: from the row
    `me_page_entrepreneur` read (else one query)."""
    activities = _rows(entrepreneur, "_me_next_activity_rows", _NEXT_ACTIVITY_ROWS)
    activities.sort(key=lambda activity: (activity.starts_at, activity.pk))
    return _described(activities, entrepreneur=entrepreneur, now=timezone.now(), facilities=facilities)


def _described(
    activities: list[Activity],
    *,
    entrepreneur: Entrepreneur,
    now: dt.datetime,
    facilities: list[Facility] | None = None,
) -> list[Activity]:
    facilities = {facility.code: facility for facility in facilities or reference.facilities()}
    # The kind's label once per page, not get_kind_display()'s choices dict per card.
    kinds = dict(Activity.Kind.choices)
    for activity in activities:
        activity.kind_label = kinds.get(activity.kind, activity.kind)
        if activity.facility_id in facilities:
            activity.facility = facilities[activity.facility_id]
        if activity.center_id is not None and (center := reference.center_get(activity.center_id)) is not None:
            activity.center = center
        activity.my_attendance = (
            Attendance(activity=activity, entrepreneur=entrepreneur, status=activity.my_status)
            if activity.my_status
            else None
        )
        activity.free_places = max(activity.capacity - activity.taken, 0)
        activity.signup_open = activity.registration_deadline >= now and activity.starts_at >= now
    return activities


def me_activity_queryset(*, entrepreneur: Entrepreneur):
    """The activities an entrepreneur may see and sign up for: published, at their home
    centre or province-wide."""
    return _visible_activities(entrepreneur.home_center_id)
