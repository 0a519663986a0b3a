"""The one staff scoping layer: who sees which rows of the people's tables.

Every admin list, change view, action, export, count and autocomplete narrows its queryset
through the `*_visible_to(user)` functions below, so a rule about who sees what lives in one
place. Scoping is deny-by-default: a user is shown everything only when they are a superuser
or a Dinas admin, the kecamatan in their `kecamatan_scope` when they are centre staff, and
nothing in every other case (no group, no kecamatan, an official, an entrepreneur).
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet

from facilities.models import Activity, Center, Kecamatan, Kelurahan
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
