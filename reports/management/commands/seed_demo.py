"""`seed_demo`: synthetic demo data shaped like the real programme (see `reports.demo`): the
people, then each app's subject (mentoring and reports, products, financing)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from financing.demo import seed_financing
from growth.demo import seed_growth
from registrations.models import Entrepreneur
from reports.demo.programme import DEMO_PREFIX
from reports.demo.writing import seed_people


class Command(BaseCommand):
    help = "Generate synthetic entrepreneurs, businesses and enrolments shaped like the real programme."

    def add_arguments(self, parser):
        parser.add_argument("--entrepreneurs", type=int, default=1000, help="How many entrepreneurs to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same data).")
        parser.add_argument("--batch", type=int, default=0, help="Rows per transaction (default: 50,000 / 2,000).")
        parser.add_argument("--force", action="store_true", help="Seed even into a database holding real data.")
        parser.add_argument(
            "--products",
            type=int,
            default=None,
            help="Demo products with photos, curation rounds and history (default: 1 per 10 entrepreneurs, max 300).",
        )

    def handle(self, *args, entrepreneurs: int, seed: int, batch: int, force: bool, products=None, **options):
        if entrepreneurs < 0:
            raise CommandError("--entrepreneurs must be zero or more.")
        real_data = Entrepreneur.objects.exclude(legacy_id__startswith=DEMO_PREFIX)
        if not settings.DEBUG and not force and real_data.exists():
            raise CommandError(
                "This database holds entrepreneurs that are not demo data and DJANGO_DEBUG is off: "
                "refusing to mix synthetic records into it. Use --force if you really mean it."
            )
        started = time.monotonic()
        done, businesses, enrolments = seed_people(
            entrepreneurs=entrepreneurs, seed=seed, batch=batch, report=self.stdout.write
        )
        # P3 + P6: mentors, caseloads, sessions and monthly reports for the demo people (growth.demo).
        assignments, sessions, reports = seed_growth(seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {done:,} demo entrepreneurs, {businesses:,} businesses and {enrolments:,} enrolments "
                f"in {time.monotonic() - started:.1f} s; {assignments:,} mentor assignments, {sessions:,} "
                f"mentoring sessions, {reports:,} monthly reports."
            )
        )
        products = min(entrepreneurs // 10, 300) if products is None else products
        if products > 0:
            from marketing.demo import seed_marketing

            with transaction.atomic():
                made = seed_marketing(products=products, seed=seed)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeded {made['products']:,} demo products with photos, {made['submissions']:,} curation "
                    f"submissions and {made['certificates']:,} certificates."
                )
            )
        # P7: the loans behind the completed P7 enrolments and applications in the pipeline.
        loans = seed_financing(seed=seed, legacy_prefix=f"{DEMO_PREFIX}{seed}-")
        self.stdout.write(f"  {loans:,} financing applications (P7).")
