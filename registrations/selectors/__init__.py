"""Reads of people data, and the one staff scoping layer, by subject:

- me.py: the entrepreneur's own page (/me/): `me_entrepreneur`, `me_page_entrepreneur`, `me_enrollments`,
  `me_facility_rows`, `me_activities`, `me_next_activities`, `me_activity_queryset`;
- scope.py: who sees which rows, deny by default: `kecamatan_codes_for`, `sees_everything`,
  `can_see_personal_data`, the permission names, and the `*_visible_to(user)` selectors
  under every admin list, change view, action, export, count and autocomplete;
- periods.py: the activity periods ("today", "week", "upcoming") staff work by;
- duplicates.py: likely duplicates the NIK constraint cannot catch (`duplicate_candidates`);
- personal_data.py: registrations' part of a person's copy of their data (UU 27/2022).

Callers import the package (`from registrations import selectors`; `selectors.X`). A test
that patches a name patches it where it is used (the submodule), not here.
"""

from registrations.selectors.duplicates import DuplicateGroup, NameKey, duplicate_candidates, entrepreneurs_by_nik
from registrations.selectors.me import (
    FacilityRow,
    me_activities,
    me_activity_queryset,
    me_enrollments,
    me_entrepreneur,
    me_facility_rows,
    me_next_activities,
    me_page_entrepreneur,
)
from registrations.selectors.periods import ACTIVITY_PERIODS, activities_in_period, activity_period_bounds
from registrations.selectors.personal_data import entrepreneur_personal_data
from registrations.selectors.scope import (
    EXPORT_PERMISSION,
    IMPORT_PERMISSION,
    PERSONAL_DATA_PERMISSION,
    activities_visible_to,
    attendance_visible_to,
    businesses_visible_to,
    can_see_personal_data,
    centers_visible_to,
    enrollments_visible_to,
    entrepreneurs_visible_to,
    forget_scope,
    groups_visible_to,
    import_jobs_visible_to,
    kecamatan_codes_for,
    kecamatan_visible_to,
    kelurahan_visible_to,
    permissions_visible_to,
    reveal_logs_visible_to,
    sees_everything,
    status_changes_visible_to,
    users_visible_to,
)

__all__ = [
    "ACTIVITY_PERIODS",
    "EXPORT_PERMISSION",
    "IMPORT_PERMISSION",
    "PERSONAL_DATA_PERMISSION",
    "DuplicateGroup",
    "FacilityRow",
    "NameKey",
    "activities_in_period",
    "activities_visible_to",
    "activity_period_bounds",
    "attendance_visible_to",
    "businesses_visible_to",
    "can_see_personal_data",
    "centers_visible_to",
    "duplicate_candidates",
    "enrollments_visible_to",
    "entrepreneur_personal_data",
    "entrepreneurs_by_nik",
    "entrepreneurs_visible_to",
    "forget_scope",
    "groups_visible_to",
    "import_jobs_visible_to",
    "kecamatan_codes_for",
    "kecamatan_visible_to",
    "kelurahan_visible_to",
    "me_activities",
    "me_activity_queryset",
    "me_enrollments",
    "me_entrepreneur",
    "me_facility_rows",
    "me_next_activities",
    "me_page_entrepreneur",
    "permissions_visible_to",
    "reveal_logs_visible_to",
    "sees_everything",
    "status_changes_visible_to",
    "users_visible_to",
]
