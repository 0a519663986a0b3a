"""Synthetic P7 demo data for `seed_demo` (reports/management/commands/seed_demo.py).

Like the rest of seed_demo it bypasses the services on purpose: demo entrepreneurs carry no
P6 reports (the rules would refuse them) and a demo of a thousand loans must load in a
moment. Every row still satisfies the database's constraints and tells a consistent story:
- each demo entrepreneur whose P7 enrolment is completed with an amount gets the loan behind
  it (Kredit Monas Pemula up to Rp 10 million, KUR Mikro above), disbursed on the day P7
  was completed, after 2–12 weeks from the application; some are repaying, repaid or in
  arrears;
- a share of those who completed P6 but not P7 have an application somewhere in the
  pipeline: submitted, verified, referred (in the open batch of Bank DKI), approved,
  rejected by the bank or withdrawn;
- every application has its steps (who is left empty: synthetic).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from financing.models import ApplicationStep, FinancingApplication, FinancingProduct, ReferralBatch
from registrations.models import Enrollment

PURPOSES = (
    "Tambah stok bahan baku",
    "Beli etalase dan freezer",
    "Modal kerja menjelang Ramadan",
    "Mesin jahit kedua",
    "Gerobak dan peralatan masak",
    "Renovasi tempat usaha",
)
PIPELINE = (
    ("submitted", 4),
    ("verified", 3),
    ("referred", 3),
    ("approved", 2),
    ("rejected", 2),
    ("cancelled", 1),
)
PATHS = {
    "submitted": ["submitted"],
    "verified": ["submitted", "verified"],
    "referred": ["submitted", "verified", "referred"],
    "approved": ["submitted", "verified", "referred", "approved"],
    "rejected": ["submitted", "verified", "referred", "rejected"],
    "cancelled": ["submitted", "cancelled"],
    "disbursed": ["submitted", "verified", "referred", "approved", "disbursed"],
    "repaying": ["submitted", "verified", "referred", "approved", "disbursed", "repaying"],
    "repaid": ["submitted", "verified", "referred", "approved", "disbursed", "repaying", "repaid"],
    "arrears": ["submitted", "verified", "referred", "approved", "disbursed", "arrears"],
}


@transaction.atomic
def seed_financing(*, seed: int, legacy_prefix: str, pipeline_share: float = 0.15, limit: int = 5000) -> int:
    """Applications for the demo entrepreneurs whose legacy id starts with `legacy_prefix`,
    once (a second run for the same prefix writes nothing); returns how many were written."""
    if FinancingApplication.objects.filter(entrepreneur__legacy_id__startswith=legacy_prefix).exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    products = {p.name: p for p in FinancingProduct.objects.all()}
    monas, kur = products.get("Kredit Monas Pemula"), products.get("KUR Mikro")
    if monas is None or kur is None:
        return 0
    demo = Enrollment.objects.filter(entrepreneur__legacy_id__startswith=legacy_prefix)
    loans = list(
        demo.filter(facility_id="P7", state="completed", financing_amount__isnull=False)
        .order_by("entrepreneur_id")
        .values_list("entrepreneur_id", "financing_amount", "completed_at")[:limit]
    )
    p7_done = {entrepreneur_id for entrepreneur_id, _amount, _at in loans}
    candidates = [
        entrepreneur_id
        for entrepreneur_id in demo.filter(facility_id="P6", state="completed")
        .order_by("entrepreneur_id")
        .values_list("entrepreneur_id", flat=True)[:limit]
        if entrepreneur_id not in p7_done and rng.random() < pipeline_share
    ]
    batches = {}

    def batch_for(status: str, at: dt.datetime) -> ReferralBatch | None:
        if status in ("submitted", "verified", "cancelled"):
            return None
        key = "open" if status == "referred" else at.strftime("%Y-%m")
        if key not in batches:
            batches[key] = ReferralBatch.objects.create(
                provider="Bank DKI", created_at=at, note=f"demo {key}", exported_at=at
            )
        return batches[key]

    rows: list[tuple[FinancingApplication, list[str], dt.datetime, dt.datetime]] = []
    for entrepreneur_id, amount, completed_at in loans:
        product = monas if amount <= monas.max_amount else kur
        if amount > product.max_amount or amount < product.min_amount:
            continue
        disbursed_at = completed_at or now
        submitted_at = disbursed_at - dt.timedelta(days=rng.randint(14, 84))
        status = rng.choices(["disbursed", "repaying", "repaid", "arrears"], weights=(2, 6, 3, 1))[0]
        application = FinancingApplication(
            entrepreneur_id=entrepreneur_id,
            product=product,
            amount=amount,
            tenor_months=min(product.tenor_max_months, rng.choice((6, 12, 18, 24, 36))),
            purpose=rng.choice(PURPOSES),
            status=status,
            submitted_by_kind=rng.choice(("self", "self", "mentor", "staff")),
            submitted_at=submitted_at,
            status_changed_at=disbursed_at,
            decided_at=disbursed_at - dt.timedelta(days=rng.randint(1, 7)),
            approved_amount=amount,
            disbursed_amount=amount,
            disbursed_on=timezone.localdate(disbursed_at),
            batch=batch_for(status, submitted_at + dt.timedelta(days=7)),
        )
        rows.append((application, PATHS[status], submitted_at, disbursed_at))
    for entrepreneur_id in candidates:
        status = rng.choices([s for s, _w in PIPELINE], weights=[w for _s, w in PIPELINE])[0]
        submitted_at = now - dt.timedelta(days=rng.randint(1, 60))
        changed_at = submitted_at + (now - submitted_at) * rng.random()
        product = monas if rng.random() < 0.7 else kur
        amount = rng.choice((3, 5, 7, 10)) * 1_000_000 if product is monas else rng.choice((15, 25, 50)) * 1_000_000
        decided = status in ("approved", "rejected")
        application = FinancingApplication(
            entrepreneur_id=entrepreneur_id,
            product=product,
            amount=amount,
            tenor_months=min(product.tenor_max_months, rng.choice((6, 12, 18))),
            purpose=rng.choice(PURPOSES),
            status=status,
            submitted_by_kind=rng.choice(("self", "self", "mentor", "staff")),
            submitted_at=submitted_at,
            status_changed_at=changed_at,
            decided_at=changed_at if decided else None,
            approved_amount=amount if status == "approved" else None,
            decision_reason="Kapasitas bayar belum memadai" if status == "rejected" else "",
            batch=batch_for(status, submitted_at),
        )
        rows.append((application, PATHS[status], submitted_at, changed_at))
    created = FinancingApplication.objects.bulk_create([row[0] for row in rows], batch_size=1000)
    steps = []
    for application, (_row, path, first, last) in zip(created, rows, strict=True):
        for index, status in enumerate(path):
            at = first + (last - first) * (index / max(len(path) - 1, 1))
            steps.append(
                ApplicationStep(
                    application=application,
                    from_status=path[index - 1] if index else "",
                    to_status=status,
                    at=at,
                    reason="demo",
                )
            )
    ApplicationStep.objects.bulk_create(steps, batch_size=2000)
    return len(created)
