"""Every write to entrepreneurs, businesses, enrolments, attendance and the status log.

The public views, the admin (actions and save_model), the importer and the tasks all call
these functions, so a rule holds wherever a change comes from; nothing else writes these
tables (but `seed_demo`, whose synthetic demo rows bypass them, as its docstring says). Each
is keyword-only and transactional, checks the values it is given with the rules of
registrations/rules.py, and raises `django.core.exceptions.ValidationError` (with a stable
`code`, keyed by form field where one applies) for a refused change, writing nothing then.

By subject (callers import the package: `from registrations import services`):

- people.py: entrepreneur_register, entrepreneur_update (staff corrections and the
  entrepreneur's own contact data), entrepreneur_verify / _reject, business_upsert, and the
  two checks that need the database (nik_ensure_free, email_ensure_free);
- enrollments.py: enrollment_request, the state machine (enrollment_start / _complete /
  _cancel / _transition), enrollment_withdraw (the entrepreneur's own),
  enrollment_record_completion, and enrollments_follow_work (P3/P6 enrolments opened by the
  work itself: a mentor assigned, a monthly report filed);
- attendance.py: attendance_signup / _cancel / _mark, activity_complete_facility_for_attendees;
- bulk.py: entrepreneurs_import_batch, the legacy import's write of a validated batch (COPY
  on PostgreSQL, bulk_create elsewhere), with history rows and the status log;
- import_jobs.py: import_job_create / _rerun / _run, a legacy file imported by the worker;
  import_files_purge, the uploaded files deleted after their retention
  (all or nothing) with its progress, outcome and report;
- privacy.py: entrepreneur_withdraw_consent and entrepreneur_anonymise (a resident's
  rights under UU 27/2022; registrations' part of personal_data.erase_all), and the reveal
  log (personal_data_reveal, personal_data_export_log);
- data.py: the data classes callers build (EntrepreneurData, BusinessData, ImportRow) and
  the refusal messages they show.
"""

from registrations.services.attendance import (
    activity_complete_facility_for_attendees,
    activity_taken_places,
    attendance_cancel,
    attendance_mark,
    attendance_signup,
)
from registrations.services.bulk import BatchOutcome, entrepreneurs_import_batch
from registrations.services.data import (
    DUPLICATE_EMAIL_MESSAGE,
    DUPLICATE_NIK_MESSAGE,
    EMAIL_IN_USE_MESSAGE,
    BusinessData,
    EntrepreneurData,
    ImportRow,
)
from registrations.services.enrollments import (
    OUTCOME_FIELDS,
    enrollment_cancel,
    enrollment_complete,
    enrollment_record_completion,
    enrollment_request,
    enrollment_start,
    enrollment_transition,
    enrollment_withdraw,
    enrollments_follow_work,
    previous_facility_completed,
)
from registrations.services.import_jobs import (
    IMPORT_REPORT_MAX_ERRORS,
    import_files_purge,
    import_job_create,
    import_job_is_stale,
    import_job_progress,
    import_job_rerun,
    import_job_run,
)
from registrations.services.people import (
    BUSINESS_FIELDS,
    ENTREPRENEUR_EDITABLE_FIELDS,
    business_upsert,
    checked_business,
    checked_person,
    email_ensure_free,
    entrepreneur_register,
    entrepreneur_reject,
    entrepreneur_update,
    entrepreneur_verify,
    nik_ensure_free,
)
from registrations.services.privacy import (
    entrepreneur_anonymise,
    entrepreneur_withdraw_consent,
    personal_data_export_log,
    personal_data_reveal,
)

__all__ = [
    "BUSINESS_FIELDS",
    "DUPLICATE_EMAIL_MESSAGE",
    "DUPLICATE_NIK_MESSAGE",
    "EMAIL_IN_USE_MESSAGE",
    "ENTREPRENEUR_EDITABLE_FIELDS",
    "OUTCOME_FIELDS",
    "BatchOutcome",
    "BusinessData",
    "EntrepreneurData",
    "ImportRow",
    "activity_complete_facility_for_attendees",
    "activity_taken_places",
    "attendance_cancel",
    "attendance_mark",
    "attendance_signup",
    "business_upsert",
    "checked_business",
    "checked_person",
    "email_ensure_free",
    "enrollment_cancel",
    "enrollment_complete",
    "enrollment_record_completion",
    "enrollments_follow_work",
    "enrollment_request",
    "enrollment_start",
    "enrollment_transition",
    "enrollment_withdraw",
    "entrepreneur_anonymise",
    "entrepreneur_register",
    "entrepreneur_reject",
    "entrepreneur_update",
    "entrepreneur_verify",
    "entrepreneur_withdraw_consent",
    "entrepreneurs_import_batch",
    "IMPORT_REPORT_MAX_ERRORS",
    "import_files_purge",
    "import_job_create",
    "import_job_is_stale",
    "import_job_progress",
    "import_job_rerun",
    "import_job_run",
    "nik_ensure_free",
    "personal_data_export_log",
    "personal_data_reveal",
    "previous_facility_completed",
]
