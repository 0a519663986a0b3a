"""Every write of the growth app: mentor assignments, mentoring sessions, monthly reports.

Each service checks the actor's scope itself (growth.selectors), whoever calls it: the /me/
pages, the admin, the sheet upload or a task. A refused change raises ValidationError (keyed
by form field where one applies) and writes nothing.

By subject: `caseload` (assignments, mentor profiles), `sessions`, `reports` (filing and
correcting a month), `sheets` (the monthly sheet's import), `reminders`; `scope` holds the
check they share. Callers import the package (`services.report_file(...)`).
"""

from growth.services.caseload import (
    mentor_assign,
    mentor_profile_save,
    mentor_unassign,
)
from growth.services.reminders import (
    REMINDER_CHUNK,
    ReminderOutcome,
    reminders_queue,
)
from growth.services.reports import (
    ReportFigures,
    check_report,
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
    reports_import,
)

__all__ = [
    "IMPORT_CHUNK",
    "ImportOutcome",
    "ImportedReport",
    "REMINDER_CHUNK",
    "ReminderOutcome",
    "ReportFigures",
    "SessionData",
    "check_report",
    "check_session",
    "duplicate_error",
    "ensure_in_scope",
    "mentor_assign",
    "mentor_profile_save",
    "mentor_unassign",
    "reminders_queue",
    "report_correct",
    "report_file",
    "reports_import",
    "session_log",
    "session_update",
    "started_year_of",
]
