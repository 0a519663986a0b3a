"""Open the P3 and P6 enrolments that the work already done stands for: everyone with a
mentor today holds P3, everyone who has filed a monthly report holds P6
(`registrations.services.enrollments_follow_work`, which the services call for every new
assignment and report). Run once on data from before that rule; safe to run again (it opens
nothing twice). In chunks of --chunk people, one transaction each."""

from django.core.management.base import BaseCommand
from django.db import transaction

from growth.models import MentorAssignment, MonthlyReport
from growth.services.caseload import MENTORING_FACILITY, MENTORING_REASON
from growth.services.reports import REPORTING_FACILITY, REPORTING_REASON
from registrations import services as registrations


class Command(BaseCommand):
    help = "Open the P3/P6 enrolments of people who have a mentor or file monthly reports (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=5000, help="people per transaction")

    def handle(self, *args, chunk: int, **options):
        work = (
            (MENTORING_FACILITY, MENTORING_REASON, MentorAssignment.objects.active()),
            (REPORTING_FACILITY, REPORTING_REASON, MonthlyReport.objects.all()),
        )
        for code, reason, rows in work:
            people = list(rows.order_by("entrepreneur_id").values_list("entrepreneur_id", flat=True).distinct())
            opened = 0
            for start in range(0, len(people), chunk):
                with transaction.atomic():
                    opened += registrations.enrollments_follow_work(
                        entrepreneur_ids=people[start : start + chunk], facility_code=code, actor=None, reason=reason
                    )
            self.stdout.write(f"{code}: {len(people):,} people with the work, {opened:,} enrolments opened or started.")
