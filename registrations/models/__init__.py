"""The people: staff and entrepreneur accounts, entrepreneurs, their businesses (`people`);
their enrolments into facilities, with a state machine and a status log, and attendance
(`enrollments`); the reveal log, the import jobs that bring legacy files in and the digests of erased NIKs
(`oversight`).
Import from here: `from registrations.models import Entrepreneur`."""

from registrations.models.enrollments import Attendance, Enrollment, EnrollmentQuerySet, StatusChange
from registrations.models.oversight import ErasedNik, ImportJob, RevealLog, import_upload_to
from registrations.models.people import Business, EmailUserManager, Entrepreneur, EntrepreneurQuerySet, User

__all__ = [
    "Attendance",
    "Business",
    "EmailUserManager",
    "Enrollment",
    "EnrollmentQuerySet",
    "Entrepreneur",
    "EntrepreneurQuerySet",
    "ErasedNik",
    "ImportJob",
    "RevealLog",
    "StatusChange",
    "User",
    "import_upload_to",
]
