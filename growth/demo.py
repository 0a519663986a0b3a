"""Synthetic mentoring and monthly reports for `manage.py seed_demo` (demo and benchmarks).

Like seed_demo itself this writes *synthetic* rows in bulk, around the services and without
history rows: one mentor per kecamatan with demo people (a staff account with the pendamping
role and a profile), caseloads of those who took P3, sessions with some next steps overdue,
and monthly reports for those who took P6 or have a mentor. The reports are shaped so that
the dashboard tells a story: skewed turnover (log-normal, median about Rp 6 million a
month), most businesses flat, a fifth growing, a Ramadan bump, many gaps.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from growth import services
from growth.models import MAX_AMOUNT, MentorAssignment, MentoringSession, MentorProfile, MonthlyReport
from growth.selectors import add_months, current_period
from jakpreneur.access import PENDAMPING
from registrations.models import Enrollment, Entrepreneur, User

# The month of Ramadan (Hijri calendar) in the Gregorian years the demo covers.
RAMADAN = {(2018, 5), (2019, 5), (2020, 4), (2021, 4), (2022, 4), (2023, 3), (2024, 3), (2025, 3), (2026, 2)}
TOPICS = ["finance", "marketing", "licensing", "production", "digital"]
NEXT_STEPS = ["Daftar NIB di OSS", "Foto produk untuk katalog", "Catat omzet harian", "Urus PIRT", "Ikut bazar"]
BATCH = 5000


def _mentors(rng: random.Random, kecamatan: list[str], prefix: str) -> dict[str, User]:
    group, _ = Group.objects.get_or_create(name=PENDAMPING)
    mentors = {}
    for code in kecamatan:
        email = f"pendamping-{code.replace('.', '')}@{prefix}.jakpreneur.id"
        defaults = {"is_staff": True, "first_name": "Pendamping"}
        user, created = User.objects.get_or_create(email=email, defaults=defaults)
        if created:
            user.set_unusable_password()
            user.last_name = code
            user.save(update_fields=["password", "last_name"])
            user.groups.add(group)
            user.kecamatan_scope.set([code])
            MentorProfile.objects.create(
                user=user, display_name=f"Pendamping {code}", recruitment_target=rng.choice((40, 50, 60, 60, 80))
            )
        mentors[code] = user
    return mentors


def _series(rng: random.Random, months: list[dt.date], pemula: bool) -> list[tuple[dt.date, int, int, int]]:
    """One business's reports: a level, a trend (most flat), Ramadan, noise and gaps; a third
    of the pemula start their business some months in (turnover 0 until then)."""
    level = rng.lognormvariate(math.log(6_000_000), 1.0)
    growing = rng.random() < 0.2
    trend = rng.uniform(0.02, 0.06) if growing else rng.uniform(-0.005, 0.005)
    opens = rng.randrange(len(months)) if pemula and rng.random() < 0.3 else 0
    assets = rng.lognormvariate(math.log(25_000_000), 1.1)
    workers = rng.choice((0, 0, 1, 1, 2, 3, 5))
    rows = []
    for index, period in enumerate(months):
        if rng.random() < 0.25:  # a gap: not reported that month
            continue
        value = 0.0 if index < opens else level * (1 + trend) ** (index - opens) * rng.uniform(0.9, 1.1)
        if (period.year, period.month) in RAMADAN:
            value *= rng.uniform(1.2, 1.6)
        if growing and rng.random() < 0.1:
            workers += 1
        capital = assets * (1 + trend) ** index
        rows.append((period, min(round(value, -3), MAX_AMOUNT), min(round(capital, -3), MAX_AMOUNT), workers))
    return rows


@transaction.atomic
def seed_growth(*, seed: int, prefix: str = "demo") -> tuple[int, int, int]:
    """Mentors, caseloads, sessions and reports for the demo entrepreneurs that have none yet.
    Returns (assignments, sessions, reports) written."""
    rng = random.Random(seed * 7919 + 3)
    demo = Entrepreneur.objects.filter(legacy_id__startswith="demo-").exclude(status="rejected")
    kecamatan = sorted(set(demo.values_list("kecamatan_id", flat=True)))
    mentors = _mentors(rng, kecamatan, prefix)
    p3 = set(
        Enrollment.objects.filter(entrepreneur__in=demo, facility_id="P3").values_list("entrepreneur_id", flat=True)
    )
    p6 = set(
        Enrollment.objects.filter(entrepreneur__in=demo, facility_id="P6").values_list("entrepreneur_id", flat=True)
    )
    assigned = set(MentorAssignment.objects.filter(entrepreneur__in=demo).values_list("entrepreneur_id", flat=True))
    reported = set(
        MonthlyReport.objects.filter(entrepreneur__in=demo).values_list("entrepreneur_id", flat=True).distinct()
    )
    now, today = timezone.now(), timezone.localdate()
    last = add_months(current_period(today), -1)
    assignments, sessions, reports = [], [], []
    for person_id, kecamatan_id, track in (
        demo.values_list("id", "kecamatan_id", "track").order_by("id").iterator(chunk_size=BATCH)
    ):
        mentor = mentors[kecamatan_id]
        has_mentor = person_id in p3 and person_id not in assigned
        if has_mentor:
            assignments.append(
                MentorAssignment(
                    entrepreneur_id=person_id, mentor=mentor, assigned_at=now - dt.timedelta(days=rng.randint(30, 700))
                )
            )
            for _ in range(rng.randint(1, 6)):
                date = today - dt.timedelta(days=rng.randint(0, 360))
                due = date + dt.timedelta(days=rng.randint(7, 45)) if rng.random() < 0.6 else None
                sessions.append(
                    MentoringSession(
                        entrepreneur_id=person_id,
                        mentor=mentor,
                        created_by=mentor,
                        date=date,
                        mode=rng.choice(("visit", "visit", "phone", "online", "class")),
                        topics=sorted(rng.sample(TOPICS, rng.randint(1, 3)), key=TOPICS.index),
                        notes="Catatan internal demo.",
                        next_step=rng.choice(NEXT_STEPS) if due else "",
                        next_step_due=due,
                    )
                )
        if person_id in reported or not (person_id in p6 or (has_mentor and rng.random() < 0.6)):
            continue
        length = rng.randint(12, 24)
        months = [add_months(last, -offset) for offset in range(length - 1, -1, -1)]
        for period, turnover, assets, workers in _series(rng, months, track == "pemula"):
            reports.append(
                MonthlyReport(
                    entrepreneur_id=person_id,
                    kecamatan_id=kecamatan_id,
                    period=period,
                    turnover=turnover,
                    assets=assets,
                    workers=workers,
                    filed_by=rng.choice(("self", "mentor", "mentor", "import")),
                )
            )
        if len(reports) >= BATCH:
            MonthlyReport.objects.bulk_create(reports, batch_size=BATCH)
            reports = []
    MentorAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    MentoringSession.objects.bulk_create(sessions, batch_size=BATCH)
    MonthlyReport.objects.bulk_create(reports, batch_size=BATCH)
    # The enrolments follow the work, as the services make them for real filings: P3 for
    # everyone with a mentor, P6 for everyone who reports.
    services.recorded_work_follow(people=demo)
    written = MonthlyReport.objects.filter(entrepreneur__in=demo).count()
    return len(assignments), len(sessions), written
