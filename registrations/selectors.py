"""Reads of people data, and the one staff scoping layer.

The `me_` functions serve the entrepreneur's own page (/me/): every one of them is scoped to
one entrepreneur, so ownership is decided here and not in templates.

Every admin list, change view, action, export, count and autocomplete narrows its queryset
through the `*_visible_to(user)` functions below, so a rule about who sees what lives in one
place. Scoping is deny-by-default: a user is shown everything only when they are a superuser
or a Dinas admin, the kecamatan in their `kecamatan_scope` when they are centre staff, and
nothing in every other case (no group, no kecamatan, an official, an entrepreneur).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import CharField, Count, Func, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities import cache as reference
from facilities.models import Activity, Center, Facility, Kecamatan, Kelurahan
from jakpreneur.access import CENTER_STAFF, DINAS_ADMIN
from registrations.models import Attendance, Business, Enrollment, Entrepreneur, StatusChange, User
from registrations.validators import normalize_name


def me_entrepreneur(*, user: User) -> Entrepreneur | None:
    """The entrepreneur record of a logged-in account with their business, or None (e.g. a
    staff account). One query: the kelurahan, kecamatan, kota and home centre come from the
    cached reference data (facilities/cache.py)."""
    if not user.is_authenticated:
        return None
    entrepreneur = Entrepreneur.objects.select_related("business").filter(user=user).first()
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


def me_enrollments(*, entrepreneur: Entrepreneur) -> list[Enrollment]:
    """The entrepreneur's enrolments by facility order, newest first; one query, the facility
    and centre of each from the cached reference data."""
    facilities = {facility.code: facility for facility in reference.facilities()}
    enrollments = list(Enrollment.objects.filter(entrepreneur=entrepreneur).order_by("-requested_at", "-id"))
    for enrollment in enrollments:
        enrollment.entrepreneur = entrepreneur
        if enrollment.facility_id in facilities:
            enrollment.facility = facilities[enrollment.facility_id]
        if enrollment.center_id is not None and (center := reference.center_get(enrollment.center_id)) is not None:
            enrollment.center = center
    # Stable sort: newest first within each facility, as the query gave them.
    enrollments.sort(key=lambda e: e.facility.order)
    return enrollments


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
    for facility in [f for f in reference.facilities() if f.active and f.code != "P1"]:
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
    places taken (`taken`) and the entrepreneur's own sign-up (`my_attendance`, with its
    status only). One query however many there are; facilities and centres from the cache."""
    now = now or timezone.now()
    mine = (
        Attendance.objects.filter(activity=OuterRef("pk"), entrepreneur=entrepreneur)
        .exclude(status=Attendance.Status.CANCELLED)
        .order_by("-id")
        .values("status")[:1]
    )
    activities = list(
        me_activity_queryset(entrepreneur=entrepreneur)
        .upcoming(now=now)
        .annotate(
            taken=Count("attendances", filter=~Q(attendances__status=Attendance.Status.CANCELLED)),
            my_status=Subquery(mine),
        )
        .order_by("starts_at", "id")[:limit]
    )
    facilities = {facility.code: facility for facility in reference.facilities()}
    for activity in activities:
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
    return Activity.objects.published().filter(Q(center=entrepreneur.home_center_id) | Q(center__isnull=True))


# --- staff scoping ------------------------------------------------------------------------------

PERSONAL_DATA_PERMISSION = "registrations.view_personal_data"
EXPORT_PERMISSION = "registrations.export_entrepreneur"
IMPORT_PERMISSION = "registrations.import_entrepreneur"

_CACHE_ATTR = "_jakpreneur_kecamatan_codes"


def kecamatan_codes_for(user: User | None) -> frozenset[str] | None:
    """The kecamatan codes a user may see: None means all of them, an empty set none.

    Cached on the user object, so one request asks the database once.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    if hasattr(user, _CACHE_ATTR):
        return getattr(user, _CACHE_ATTR)
    codes: frozenset[str] | None = frozenset()
    if user.is_staff:
        groups = set(user.groups.values_list("name", flat=True))
        if DINAS_ADMIN in groups:
            codes = None
        elif CENTER_STAFF in groups:
            codes = frozenset(user.kecamatan_scope.values_list("code", flat=True))
    setattr(user, _CACHE_ATTR, codes)
    return codes


def forget_scope(user: User) -> None:
    """Drop the cached scope (after the user's groups or kecamatan change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def sees_everything(user: User | None) -> bool:
    return kecamatan_codes_for(user) is None


def can_see_personal_data(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(PERSONAL_DATA_PERMISSION))


def _scoped(queryset: QuerySet, user: User | None, lookup: str) -> QuerySet:
    codes = kecamatan_codes_for(user)
    if codes is None:
        return queryset
    if not codes:
        return queryset.none()
    return queryset.filter(**{f"{lookup}__in": sorted(codes)})


def entrepreneurs_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    qs = Entrepreneur.objects.all() if queryset is None else queryset
    return _scoped(qs, user, "kecamatan_id")


def businesses_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    qs = Business.objects.all() if queryset is None else queryset
    return _scoped(qs, user, "entrepreneur__kecamatan_id")


def enrollments_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    qs = Enrollment.objects.all() if queryset is None else queryset
    return _scoped(qs, user, "entrepreneur__kecamatan_id")


def status_changes_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    qs = StatusChange.objects.all() if queryset is None else queryset
    return _scoped(qs, user, "entrepreneur__kecamatan_id")


def activities_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    """Centre staff see their centres' activities; province-wide ones belong to the Dinas."""
    qs = Activity.objects.all() if queryset is None else queryset
    return _scoped(qs, user, "center__kecamatan_id")


def attendance_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    """Participants of the user's activities (whoever they are) and the activities of the
    user's entrepreneurs."""
    qs = Attendance.objects.all() if queryset is None else queryset
    codes = kecamatan_codes_for(user)
    if codes is None:
        return qs
    if not codes:
        return qs.none()
    codes = sorted(codes)
    return qs.filter(Q(activity__center__kecamatan_id__in=codes) | Q(entrepreneur__kecamatan_id__in=codes))


def centers_visible_to(user: User | None) -> QuerySet:
    return _scoped(Center.objects.select_related("kecamatan"), user, "kecamatan_id")


def kecamatan_visible_to(user: User | None) -> QuerySet:
    return _scoped(Kecamatan.objects.select_related("kota"), user, "code")


def kelurahan_visible_to(user: User | None) -> QuerySet:
    return _scoped(Kelurahan.objects.select_related("kecamatan"), user, "kecamatan_id")


class NameKey(Func):
    """The database's half of `normalize_name`: lower case, every run of whitespace one space,
    no space at either end. SQLite has no regexp_replace: tabs and line breaks become spaces
    and runs of up to 16 spaces are collapsed there."""

    output_field = CharField()
    template = (
        "LOWER(TRIM(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(%(expressions)s, "
        "char(9), ' '), char(10), ' '), char(13), ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' ')))"
    )

    def as_postgresql(self, compiler, connection, **extra_context):
        template = r"LOWER(BTRIM(REGEXP_REPLACE(%(expressions)s, '\s+', ' ', 'g')))"
        return self.as_sql(compiler, connection, template=template, **extra_context)


@dataclass
class DuplicateGroup:
    reason: str  # "name_birth_date" or "phone"
    key: str
    entrepreneurs: list[Entrepreneur] = field(default_factory=list)


def duplicate_candidates(user: User | None, *, limit: int = 200) -> list[DuplicateGroup]:
    """Likely duplicates the NIK constraint cannot catch: the same normalised name and birth
    date, or the same phone number, among the entrepreneurs the user may see.

    The database groups by `NameKey`; the exact `normalize_name` (casefolded) then regroups
    the candidates in Python.
    """
    visible = entrepreneurs_visible_to(user)
    groups: list[DuplicateGroup] = []

    name_keys = list(
        visible.annotate(name_key=NameKey("full_name"))
        .values("name_key", "birth_date")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("-n", "name_key")[:limit]
    )
    if name_keys:
        condition = Q()
        for key in name_keys:
            condition |= Q(name_key=key["name_key"], birth_date=key["birth_date"])
        rows = (
            visible.annotate(name_key=NameKey("full_name"))
            .filter(condition)
            .select_related("kecamatan")
            .order_by("registered_at", "id")
        )
        by_key: dict[tuple, DuplicateGroup] = {}
        for row in rows:
            group_key = (normalize_name(row.full_name), row.birth_date)
            group = by_key.setdefault(
                group_key,
                DuplicateGroup(reason="name_birth_date", key=f"{row.full_name.strip()} · {row.birth_date:%Y-%m-%d}"),
            )
            group.entrepreneurs.append(row)
        groups.extend(g for g in by_key.values() if len(g.entrepreneurs) > 1)

    phones = list(visible.values("phone").annotate(n=Count("id")).filter(n__gt=1).order_by("-n", "phone")[:limit])
    if phones:
        by_phone: dict[str, DuplicateGroup] = {}
        rows = (
            visible.filter(phone__in=[p["phone"] for p in phones])
            .select_related("kecamatan")
            .order_by("registered_at", "id")
        )
        for row in rows:
            by_phone.setdefault(row.phone, DuplicateGroup(reason="phone", key=row.phone)).entrepreneurs.append(row)
        groups.extend(by_phone.values())
    return groups


def entrepreneurs_by_nik(niks: Iterable[str]) -> dict[str, Entrepreneur]:
    return {e.nik: e for e in Entrepreneur.objects.filter(nik__in=list(niks))}
