"""Open the P3 and P6 enrolments that the work already done stands for: everyone with a
mentor today holds P3, everyone who has filed a monthly report holds P6
(`growth.services.recorded_work_follow`; the services open them for every new assignment and
report). Run once on data from before that rule; safe to run again (it opens nothing twice).
In chunks of --chunk people, one transaction each."""

from django.core.management.base import BaseCommand

from growth import services


class Command(BaseCommand):
    help = "Open the P3/P6 enrolments of people who have a mentor or file monthly reports (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=services.FOLLOW_CHUNK, help="people per transaction")

    def handle(self, *args, chunk: int, **options):
        for code, (people, opened) in services.recorded_work_follow(chunk=chunk).items():
            self.stdout.write(f"{code}: {people:,} people with the work, {opened:,} enrolments opened or started.")
