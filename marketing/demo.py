"""Demo data for P5 (called by `manage.py seed_demo`): products with generated placeholder
photos, three curation rounds (graded, at the curators, open) and their history, so the
e-katalog, /me/ and the dashboard have something to show.

Like the rest of seed_demo this writes synthetic rows directly (the steps carry no actor);
every row satisfies the database's constraints and the photos go through the same
processing and storage as uploads."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from marketing.models import Certificate, CurationRound, Product, ProductPhoto, Submission, SubmissionStep
from marketing.photos import photo_process
from marketing.services import certificate_code, product_search_text
from registrations.models import Business, Entrepreneur

NAMES = {
    "kuliner": ["Keripik Tempe Pedas", "Sambal Roa", "Kue Lapis Legit", "Kopi Robusta Bubuk", "Rendang Kemasan"],
    "fesyen": ["Batik Betawi Tulis", "Kemeja Tenun", "Hijab Motif Ondel-ondel", "Tas Kain Songket"],
    "kriya": ["Anyaman Pandan", "Miniatur Ondel-ondel", "Gerabah Hias", "Tas Rajut"],
    "kecantikan": ["Sabun Sereh Alami", "Lulur Rempah", "Minyak Kemiri"],
    "agribisnis": ["Madu Hutan", "Bibit Cabai Rawit", "Ikan Asin Kepulauan Seribu"],
    "kreatif": ["Kartu Ucapan Lukis", "Stiker Ilustrasi Jakarta"],
}
COLOURS = [(179, 32, 42), (10, 79, 180), (20, 108, 67), (102, 77, 3), (111, 66, 193), (13, 110, 253)]


def placeholder(text: str, colour: tuple[int, int, int]) -> io.BytesIO:
    image = Image.new("RGB", (900, 900), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 840, 840), outline=(255, 255, 255), width=8)
    draw.text((100, 420), text[:40], fill=(255, 255, 255), font_size=48)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    buffer.seek(0)
    return buffer


def seed_marketing(*, products: int, seed: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Add `products` demo products (one photo each), three rounds and their submissions."""
    now = now or timezone.now()
    rng = random.Random(seed)
    sellers = list(
        Entrepreneur.objects.exclude(status=Entrepreneur.Status.REJECTED)
        .filter(business__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)[: products * 3]
    )
    if not sellers or products <= 0:
        return {"products": 0, "submissions": 0, "certificates": 0}
    business_names = dict(Business.objects.filter(entrepreneur_id__in=sellers).values_list("entrepreneur_id", "name"))
    made: list[Product] = []
    for n in range(products):
        category = rng.choice(list(NAMES))
        name = f"{rng.choice(NAMES[category])} {n + 1}"
        product = Product(
            entrepreneur_id=rng.choice(sellers),
            name=name,
            category=category,
            description="Produk UMKM binaan JakPreneur.\nDibuat di Jakarta.",
            price=rng.choice([5, 12, 15, 25, 35, 50, 75, 120, 250]) * 1000,
            unit=rng.choice(["pcs", "pack", "botol", "kg"]),
            pirt_number=f"2{rng.randint(10**13, 10**14 - 1)}-27" if category == "kuliner" else "",
            halal_number=f"ID31{rng.randint(10**14, 10**15 - 1)}"
            if category == "kuliner" and rng.random() < 0.7
            else "",
            show_whatsapp=rng.random() < 0.5,
            created_at=now - dt.timedelta(days=rng.randint(30, 400)),
        )
        product.search_text = product_search_text(
            product=product, business_name=business_names.get(product.entrepreneur_id, "")
        )
        made.append(product)
    Product.objects.bulk_create(made, batch_size=500)
    photos = []
    for index, product in enumerate(made):
        processed = photo_process(placeholder(product.name, COLOURS[index % len(COLOURS)]))
        key = f"products/{product.pk}/demo-{seed}-{index}"
        photos.append(
            ProductPhoto(
                product=product,
                image=default_storage.save(f"{key}.jpg", ContentFile(processed.display)),
                thumbnail=default_storage.save(f"{key}-thumb.jpg", ContentFile(processed.thumbnail)),
                width=processed.width,
                height=processed.height,
                thumb_width=processed.thumb_width,
                thumb_height=processed.thumb_height,
            )
        )
    ProductPhoto.objects.bulk_create(photos, batch_size=500)

    graded_round = CurationRound.objects.create(
        title=f"Kurasi Produk UMKM Tahap I (demo {seed})",
        criteria="Produk sudah dijual minimal 3 bulan; produk pangan ber-PIRT.",
        quota=max(products, 1),
        submission_deadline=now - dt.timedelta(days=60),
        curation_date=now - dt.timedelta(days=45),
        curation_place="PLUT-KUMKM DKI Jakarta, Jl. Pramuka",
        status=CurationRound.Status.CLOSED,
    )
    at_curators = CurationRound.objects.create(
        title=f"Kurasi Produk Kuliner Tahap II (demo {seed})",
        criteria="Produk kuliner dengan PIRT dan sertifikat halal.",
        categories=["kuliner"],
        quota=max(products, 1),
        submission_deadline=now - dt.timedelta(days=5),
        curation_date=now + dt.timedelta(days=10),
        curation_place="Balai Kota DKI Jakarta",
        status=CurationRound.Status.CLOSED,
    )
    CurationRound.objects.create(
        title=f"Kurasi e-Katalog Tahap III (demo {seed})",
        criteria="Semua kategori; foto produk jelas; harga jual tercantum.",
        quota=200,
        submission_deadline=now + dt.timedelta(days=21),
        curation_date=now + dt.timedelta(days=35),
        curation_place="Gedung Dinas PPKUKM, Jl. Perintis Kemerdekaan",
        status=CurationRound.Status.OPEN,
    )
    flow = ["submitted", "verified", "validated", "forwarded", "graded"]
    submissions, steps_for = [], []
    for index, product in enumerate(made):
        if index % 4 == 3:
            continue  # never submitted
        first_round = index % 3 != 2
        curation_round = graded_round if first_round else at_curators
        if curation_round is at_curators and product.category != "kuliner":
            curation_round = graded_round
        submitted = curation_round.submission_deadline - dt.timedelta(days=rng.randint(1, 20))
        if curation_round is graded_round:
            outcome = rng.choices(["A", "B", "C", "returned"], weights=[3, 4, 2, 1])[0]
        else:
            outcome = rng.choice(["submitted", "verified", "validated", "forwarded"])
        reached = (
            flow if outcome in ("A", "B", "C") else flow[: flow.index(outcome) + 1] if outcome in flow else flow[:2]
        )
        times = [submitted + dt.timedelta(days=3 * i) for i in range(len(reached))]
        status = "graded" if outcome in ("A", "B", "C") else outcome
        submission = Submission(
            round=curation_round,
            product=product,
            status=status,
            grade=outcome if status == "graded" else "",
            notes="Kemasan rapi, label lengkap." if status == "graded" else "",
            submitted_at=times[0],
            verified_at=times[1] if len(times) > 1 else None,
            validated_at=times[2] if len(times) > 2 else None,
            forwarded_at=times[3] if len(times) > 3 else None,
            graded_at=times[4] if len(times) > 4 else None,
        )
        if outcome == "returned":
            submission.return_reason = "Foto produk kurang jelas; lengkapi PIRT."
            submission.returned_at = times[-1] + dt.timedelta(days=2)
        submissions.append(submission)
        path = [("", reached[0])] + list(zip(reached, reached[1:], strict=False))
        if outcome == "returned":
            path.append((reached[-1], "returned"))
            times.append(submission.returned_at)
        steps_for.append(list(zip(path, times, strict=False)))
    Submission.objects.bulk_create(submissions, batch_size=500)
    SubmissionStep.objects.bulk_create(
        [
            SubmissionStep(
                submission=submission,
                from_status=from_status,
                to_status=to_status,
                at=at,
                reason=submission.return_reason if to_status == "returned" else "",
            )
            for submission, steps in zip(submissions, steps_for, strict=True)
            for (from_status, to_status), at in steps
        ],
        batch_size=1000,
    )
    graded = [s for s in submissions if s.status == "graded"]
    Certificate.objects.bulk_create(
        [Certificate(submission=s, code=certificate_code(), issued_at=s.graded_at) for s in graded], batch_size=500
    )
    for submission in graded:
        Product.objects.filter(pk=submission.product_id).update(
            catalogue_grade=submission.grade, catalogue_since=submission.graded_at
        )
    return {"products": len(made), "submissions": len(submissions), "certificates": len(graded)}
