"""Deterministic synthetic people: entrepreneurs, their businesses and enrolments from a seed
(`Generator`), written in batches by `reports.demo.writing.seed_people` (COPY on PostgreSQL, bulk_create elsewhere)."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from decimal import Decimal

from reports.demo.programme import (
    ASSETS,
    BUSINESS_WORDS,
    DEMO_PREFIX,
    FIRST_NAMES,
    FUNNEL,
    JAKARTA,
    LAST_NAMES,
    PERMITS,
    SECTORS,
    STREETS,
    TURNOVER,
    growth_curve,
)


class Generator:
    """Deterministic rows for entrepreneurs number `first`… from a seed."""

    def __init__(self, *, seed: int, now: dt.datetime, kelurahan, centres, taken_niks: set[str]):
        self.seed = seed
        self.now = now
        self.today = now.astimezone(JAKARTA).date()
        self.curve = growth_curve(self.today)
        self.curve_counts = [count for count, _ in self.curve]
        self.kelurahan = kelurahan  # {kecamatan: [kelurahan codes]}
        self.kecamatan = sorted(kelurahan)
        # Weight kecamatan by their number of kelurahan (a rough proxy for population); the
        # Thousand Islands are a small population spread over many kelurahan.
        self.weights = [len(kelurahan[code]) * (0.15 if code.startswith("31.01") else 1) for code in self.kecamatan]
        self.centres = centres
        self.taken = taken_niks
        self.sector_names = [name for name, _ in SECTORS]
        self.sector_weights = [weight for _, weight in SECTORS]

    def registered_at(self, rng: random.Random) -> dt.datetime:
        target = rng.random() * self.curve_counts[-1]
        index = max(bisect.bisect_left(self.curve_counts, target), 1)
        (c0, d0), (c1, d1) = self.curve[index - 1], self.curve[index]
        ordinal = d0 + (d1 - d0) * ((target - c0) / (c1 - c0) if c1 > c0 else 0)
        day = dt.date.fromordinal(int(ordinal))
        moment = dt.datetime.combine(day, dt.time(8), tzinfo=JAKARTA) + dt.timedelta(seconds=rng.randrange(12 * 3600))
        return min(moment, self.now - dt.timedelta(minutes=1))

    def later(self, rng: random.Random, start: dt.datetime, max_days: int) -> dt.datetime:
        return min(start + dt.timedelta(days=rng.random() * max_days), self.now)

    def nik(self, rng: random.Random, kecamatan: str, birth: dt.date, gender: str) -> str:
        region = kecamatan.replace(".", "")
        day = birth.day + (40 if gender == "P" else 0)
        stem = f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        while True:
            nik = f"{stem}{rng.randint(1, 9999):04d}"
            if nik not in self.taken:
                self.taken.add(nik)
                return nik

    def rows(self, first: int, count: int, ids: tuple[int, int, int]):
        """Entrepreneur, business and enrolment rows (tuples in model field order)."""
        rng = random.Random(f"{self.seed}:{first}")
        entrepreneur_id, business_id, enrollment_id = ids
        entrepreneurs, businesses, enrollments = [], [], []
        now = self.now
        kecamatan_picks = rng.choices(self.kecamatan, weights=self.weights, k=count)
        for offset in range(count):
            number = first + offset
            entrepreneur_id += 1
            kecamatan = kecamatan_picks[offset]
            gender = "P" if rng.random() < 0.62 else "L"
            registered = self.registered_at(rng)
            age_days = int(rng.triangular(18, 62, 36) * 365.25)
            birth = registered.date() - dt.timedelta(days=age_days)
            track = "naik_kelas" if rng.random() < 0.45 else "pemula"
            since = (now - registered).days
            draw = rng.random()
            if draw < 0.02:
                status = "rejected"
            elif draw < (0.88 if since > 60 else 0.35):
                status = "verified"
            else:
                status = "submitted"
            status_changed_at = self.later(rng, registered, 30) if status != "submitted" else None
            entrepreneurs.append(
                (
                    entrepreneur_id,
                    None,  # user
                    self.nik(rng, kecamatan, birth, gender),
                    f"{rng.choice(FIRST_NAMES[gender])} {rng.choice(LAST_NAMES)}",
                    birth,
                    gender,
                    f"+6281{rng.randint(1, 9)}{rng.randrange(10**8):08d}",
                    "",
                    rng.choice(self.kelurahan[kecamatan]),
                    kecamatan,
                    f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}",
                    self.centres[kecamatan],
                    track,
                    status,
                    status_changed_at,
                    None,
                    "Data demo: dokumen tidak lengkap" if status == "rejected" else "",
                    rng.choice(("self", "self", "staff", "import")),
                    f"{DEMO_PREFIX}{self.seed}-{number:07d}",
                    registered,
                    registered,
                    now,
                )
            )
            if track == "naik_kelas" or rng.random() < 0.75:
                business_id += 1
                businesses.append(
                    (
                        business_id,
                        entrepreneur_id,
                        f"{rng.choice(('Warung', 'Toko', 'Dapur', 'Butik', 'Kedai'))} {rng.choice(BUSINESS_WORDS)}",
                        rng.choices(self.sector_names, weights=self.sector_weights)[0],
                        rng.randint(2005, registered.year) if track == "naik_kelas" else None,
                        f"{rng.randrange(10**12, 10**13)}" if track == "naik_kelas" and rng.random() < 0.4 else "",
                        rng.randint(1, 12) if track == "naik_kelas" else 0,
                        rng.choice(TURNOVER[1:]) if track == "naik_kelas" else "none",
                        rng.choice(ASSETS) if track == "naik_kelas" else "",
                        now,
                    )
                )
            centre = self.centres[kecamatan]
            # P1 is completed at registration, as entrepreneur_register records it.
            enrollment_id += 1
            enrollments.append(
                (enrollment_id, entrepreneur_id, "P1", centre, "completed", registered, registered, registered)
                + (None, "", "", "", "", None, "", now)
            )
            if status == "rejected":
                continue
            uptake = rng.random()
            mature = since > 180
            cancelled_one = False
            moment = registered
            for code in ("P2", "P3", "P4", "P5", "P6", "P7"):
                if uptake >= FUNNEL[code]:
                    # Some who never got this far asked for it and cancelled.
                    if not cancelled_one and rng.random() < 0.04:
                        cancelled_one = True
                        requested = self.later(rng, moment, 60)
                        enrollment_id += 1
                        enrollments.append(
                            (enrollment_id, entrepreneur_id, code, centre, "cancelled", requested, None, None)
                            + (self.later(rng, requested, 30), "", "", "", "", None, "", now)
                        )
                    continue
                requested = self.later(rng, moment, 60)
                moment = requested
                draw = rng.random()
                state = (
                    "completed"
                    if draw < (0.75 if mature else 0.3)
                    else "active"
                    if draw < (0.9 if mature else 0.6)
                    else "requested"
                )
                started = self.later(rng, requested, 20) if state != "requested" else None
                completed = self.later(rng, started, 60) if state == "completed" else None
                permit = grade = provider = ""
                amount = None
                if state == "completed":
                    if code == "P4":
                        permit = rng.choice(PERMITS)
                    elif code == "P5":
                        grade = rng.choice("ABBCC")
                    elif code == "P7":
                        amount = Decimal(rng.choice((5, 10, 25, 50, 100)) * 1_000_000)
                        provider = "Bank DKI"
                enrollment_id += 1
                enrollments.append(
                    (enrollment_id, entrepreneur_id, code, centre, state, requested, started, completed)
                    + (None, "", permit, "", grade, amount, provider, now)
                )
        return entrepreneurs, businesses, enrollments
