"""The back office of mentoring and monthly reports. Every queryset goes through the growth
scoping selectors (a mentor sees their caseload only); every write calls a service.

By subject (importing them registers the admins): `reports` (monthly reports and the sheet
upload), `sessions`, `caseload` (assignments, caseload pages, mentor profiles); `base` holds
what they share.
"""

from growth.admin.base import (
    CaseloadEntrepreneurMixin,
    EntrepreneurSearchMixin,
    ServiceSaveMixin,
    growth_choice,
    rupiah,
)
from growth.admin.caseload import MentorAssignmentAdmin, MentorProfileAdmin, end_assignment
from growth.admin.reports import UPLOAD_REPORT_MAX_ROWS, UPLOAD_REPORT_SESSION_KEY, MonthlyReportAdmin
from growth.admin.sessions import MentoringSessionAdmin, NextStepFilter

__all__ = [
    "CaseloadEntrepreneurMixin",
    "EntrepreneurSearchMixin",
    "MentorAssignmentAdmin",
    "MentorProfileAdmin",
    "MentoringSessionAdmin",
    "MonthlyReportAdmin",
    "NextStepFilter",
    "ServiceSaveMixin",
    "UPLOAD_REPORT_MAX_ROWS",
    "UPLOAD_REPORT_SESSION_KEY",
    "end_assignment",
    "growth_choice",
    "rupiah",
]
