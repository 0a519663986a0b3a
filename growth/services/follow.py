"""The P3 and P6 enrolments that work already recorded stands for: everyone with a mentor today
holds P3, everyone who has filed a monthly report holds P6. New work opens them as it happens
(`mentor_assign`, `report_file`, the sheet's `growth.tasks.follow_reports`); this catches up
the work recorded without them (`manage.py follow_work` on older data, `seed_demo`'s synthetic
rows)."""

from django.db import transaction

from growth.models import MentorAssignment, MonthlyReport
from growth.services.caseload import MENTORING_FACILITY, MENTORING_REASON
from growth.services.reports import REPORTING_FACILITY, REPORTING_REASON
from registrations import services as registrations

FOLLOW_CHUNK = 5000  # people per transaction


def recorded_work_follow(*, people=None, chunk: int = FOLLOW_CHUNK) -> dict[str, tuple[int, int]]:
    """Open (or start) the P3 and P6 enrolments of the people with that work recorded, among
    `people` (an entrepreneur queryset) when given; idempotent, `chunk` people per transaction.
    Returns {facility code: (people with the work, enrolments opened or started)}."""
    work = (
        (MENTORING_FACILITY, MENTORING_REASON, MentorAssignment.objects.active()),
        (REPORTING_FACILITY, REPORTING_REASON, MonthlyReport.objects.all()),
    )
    followed = {}
    for code, reason, rows in work:
        if people is not None:
            rows = rows.filter(entrepreneur__in=people)
        ids = list(rows.order_by("entrepreneur_id").values_list("entrepreneur_id", flat=True).distinct())
        opened = 0
        for start in range(0, len(ids), chunk):
            with transaction.atomic():
                opened += registrations.enrollments_follow_work(
                    entrepreneur_ids=ids[start : start + chunk], facility_code=code, actor=None, reason=reason
                )
        followed[code] = (len(ids), opened)
    return followed
