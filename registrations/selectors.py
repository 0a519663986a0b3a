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
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Count, Func, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities import cache as reference
from facilities.models import Activity, Center, Facility, Kecamatan, Kelurahan
from jakpreneur.access import CENTER_STAFF, DINAS_ADMIN, ROLES
from registrations.models import (
    Attendance,
    Business,
    Enrollment,
    Entrepreneur,
    ImportJob,
    RevealLog,
    StatusChange,
    User,
)
from registrations.validators import normalize_name


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
    places taken (`taken`), the kind's label (`kind_label`) and the entrepreneur's own sign-up
    (`my_attendance`, with its status only). One query however many there are; facilities and centres from the cache."""
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


def import_jobs_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    """Every import job for the Dinas; for anyone else who may import (a centre staff member
    the Dinas gave the right), their own uploads only; nothing for the rest."""
    qs = ImportJob.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if sees_everything(user):
        return qs
    if user.has_perm(IMPORT_PERMISSION):
        return qs.filter(created_by=user)
    return qs.none()


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


# Activity periods a staff member works by: the admin's "when" filter and the admin index's
# work panel use the same boundaries (Asia/Jakarta days; the week runs Monday to Sunday).
ACTIVITY_PERIODS = ("today", "week", "upcoming")


def activity_period_bounds(period: str, *, now=None) -> tuple[dt.datetime, dt.datetime | None]:
    """[start, end) of "today", "week" or "upcoming" (no end) in Asia/Jakarta."""
    now = timezone.localtime(now or timezone.now())
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "today":
        return today, today + dt.timedelta(days=1)
    if period == "week":
        monday = today - dt.timedelta(days=today.weekday())
        return monday, monday + dt.timedelta(days=7)
    if period == "upcoming":
        return now, None
    raise ValueError(period)


def activities_in_period(queryset: QuerySet, period: str, *, now=None) -> QuerySet:
    start, end = activity_period_bounds(period, now=now)
    queryset = queryset.filter(starts_at__gte=start)
    return queryset if end is None else queryset.filter(starts_at__lt=end)


def users_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    """Accounts: all for superusers, every account but the superusers' for the Dinas, none
    for anyone else (centre staff do not manage accounts)."""
    qs = User.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    if user.is_staff and kecamatan_codes_for(user) is None:
        return qs.filter(is_superuser=False)
    return qs.none()


def groups_visible_to(user: User | None) -> QuerySet:
    """The roles a user may give an account: any group for superusers, the roles of the access
    table for the Dinas, none for anyone else."""
    groups = Group.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return groups.none()
    if user.is_superuser:
        return groups
    if user.is_staff and kecamatan_codes_for(user) is None:
        return groups.filter(name__in=ROLES)
    return groups.none()


def permissions_visible_to(user: User | None) -> QuerySet:
    """Single permissions are granted by superusers only; everyone else works through roles."""
    permissions = Permission.objects.select_related("content_type")
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return permissions
    return permissions.none()


def reveal_logs_visible_to(user: User | None, queryset: QuerySet | None = None) -> QuerySet:
    """The reveal log is the Dinas's to read (it oversees the centres); centre staff see none
    of it, their own reveals included."""
    qs = RevealLog.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated or not user.is_staff or not sees_everything(user):
        return qs.none()
    return qs


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


# --- the person's own copy of their data (UU 27/2022; registrations/personal_data.py) -------------

# Fields of the history tables that are bookkeeping, not data about the person.
_HISTORY_BOOKKEEPING = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id", "id"}


def _json_value(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


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
            name: _json_value(value)
            for name, value in fields.items()
            if previous is None or previous.get(name) != value
        }
        changes.append(
            {
                "at": _json_value(record["history_date"]),
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
            "birth_date": _json_value(person.birth_date),
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
            "status_changed_at": _json_value(person.status_changed_at),
            "source": person.source,
            "legacy_id": person.legacy_id,
            "consent_at": _json_value(person.consent_at),
            "consent_withdrawn_at": _json_value(person.consent_withdrawn_at),
            "registered_at": _json_value(person.registered_at),
        },
        "account": (
            {
                "email": account.email,
                "date_joined": _json_value(account.date_joined),
                "last_login": _json_value(account.last_login),
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
                "requested_at": _json_value(e.requested_at),
                "started_at": _json_value(e.started_at),
                "completed_at": _json_value(e.completed_at),
                "cancelled_at": _json_value(e.cancelled_at),
                "note": e.note,
                "permit_type": e.permit_type,
                "permit_number": e.permit_number,
                "curation_grade": e.curation_grade,
                "financing_amount": _json_value(e.financing_amount),
                "financing_provider": e.financing_provider,
            }
            for e in enrollments
        ],
        "attendance": [
            {
                "activity": a.activity.title,
                "facility": a.activity.facility_id,
                "centre": a.activity.center.name if a.activity.center else None,
                "starts_at": _json_value(a.activity.starts_at),
                "status": a.status,
                "signed_up_at": _json_value(a.signed_up_at),
                "marked_at": _json_value(a.marked_at),
            }
            for a in attendances
        ],
        "status_history": [
            {
                "at": _json_value(change.changed_at),
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
