"""The people: staff and entrepreneur accounts, entrepreneurs, their businesses (`people`);
their enrolments into facilities, with a state machine and a status log, and attendance
(`enrollments`); the reveal log and the import jobs that bring legacy files in (`oversight`).
Import from here: `from registrations.models import Entrepreneur`."""

from registrations.models.enrollments import Attendance, Enrollment, EnrollmentQuerySet, StatusChange
from registrations.models.oversight import ImportJob, RevealLog, import_upload_to
from registrations.models.people import Business, EmailUserManager, Entrepreneur, EntrepreneurQuerySet, User

__all__ = [
    "Attendance",
    "Business",
    "EmailUserManager",
    "Enrollment",
    "EnrollmentQuerySet",
    "Entrepreneur",
    "EntrepreneurQuerySet",
    "ImportJob",
    "RevealLog",
    "StatusChange",
    "User",
    "import_upload_to",
]
