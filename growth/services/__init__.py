"""Every write of the growth app: mentor assignments, mentoring sessions, monthly reports.

Each service checks the actor's scope itself (growth.selectors), whoever calls it: the /me/
pages, the admin, the sheet upload or a task. A refused change raises ValidationError (keyed
by form field where one applies) and writes nothing.

By subject: `caseload` (assignments, mentor profiles), `sessions`, `reports` (filing and
correcting a month), `sheets` (the monthly sheet's import), `reminders`, `follow` (the P3/P6
enrolments of work recorded without them); `scope` holds the
check they share. Callers import the package (`services.report_file(...)`).
"""

from growth.services.caseload import (
    BulkAssignment,
    may_assign_mentors,
    mentor_assign,
    mentor_assign_many,
    mentor_profile_save,
    mentor_unassign,
)
from growth.services.follow import FOLLOW_CHUNK, recorded_work_follow
from growth.services.reminders import (
    REMINDER_CHUNK,
    ReminderOutcome,
    reminders_queue,
)
from growth.services.reports import (
    ReportFigures,
    check_report,
    check_reports,
    duplicate_error,
    report_correct,
    report_file,
    started_year_of,
)
from growth.services.scope import (
    ensure_in_scope,
)
from growth.services.sessions import (
    SessionData,
    check_session,
    session_log,
    session_update,
)
from growth.services.sheets import (
    IMPORT_CHUNK,
    ImportedReport,
    ImportOutcome,
    SheetPeople,
    reports_import,
    sheet_people_of,
)

__all__ = [
    "BulkAssignment",
    "FOLLOW_CHUNK",
    "IMPORT_CHUNK",
    "ImportOutcome",
    "ImportedReport",
    "REMINDER_CHUNK",
    "ReminderOutcome",
    "ReportFigures",
    "SessionData",
    "SheetPeople",
    "check_report",
    "check_reports",
    "check_session",
    "duplicate_error",
    "ensure_in_scope",
    "may_assign_mentors",
    "mentor_assign",
    "mentor_assign_many",
    "mentor_profile_save",
    "mentor_unassign",
    "recorded_work_follow",
    "reminders_queue",
    "report_correct",
    "report_file",
    "reports_import",
    "session_log",
    "session_update",
    "sheet_people_of",
    "started_year_of",
]
