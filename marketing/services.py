"""Every write of the marketing app: products and photos (the entrepreneur's), submissions
and their steps (the entrepreneur, the mentor, the centre, the Dinas, the curators), and
certificates. Keyword-only functions; a refused change raises ValidationError and writes
nothing. The entrepreneur is emailed at each step of a submission (queued on commit)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jakpreneur.celery import enqueue_on_commit
from marketing import roles, rules
from marketing.models import (
    LISTED_GRADES,
    PHOTOS_MAX,
    Certificate,
    CurationRound,
    Grade,
    Product,
    ProductPhoto,
    Submission,
    SubmissionStep,
)
from marketing.photos import photo_process
from registrations.models import Business, Entrepreneur

logger = logging.getLogger(__name__)

PRODUCT_FIELDS = (
    "name",
    "category",
    "description",
    "price",
    "unit",
    "pirt_number",
    "halal_number",
    "bpom_number",
    "trademark",
    "show_whatsapp",
)

NOT_YOURS = _("This product is not yours.")


# --- products ----------------------------------------------------------------------------------


def product_search_text(*, product: Product, business_name: str = "") -> str:
    """What ?q= searches, in lower case: name, description, category, business name."""
    parts = [product.name, product.description, product.get_category_display(), product.category, business_name]
    return " ".join(" ".join(part.split()) for part in parts if part).lower()


def _business_name(entrepreneur: Entrepreneur) -> str:
    return Business.objects.filter(entrepreneur=entrepreneur).values_list("name", flat=True).first() or ""


def _check_owner(product: Product, entrepreneur: Entrepreneur) -> None:
    if product.entrepreneur_id != entrepreneur.pk:
        raise ValidationError(NOT_YOURS, code="not_yours")


@transaction.atomic
def product_create(*, entrepreneur: Entrepreneur, data: dict) -> Product:
    """A new product of the entrepreneur (rules applied again to what is given)."""
    if entrepreneur.status == Entrepreneur.Status.REJECTED:
        raise ValidationError(_("A rejected registration cannot add products."), code="rejected")
    values = rules.check_product({field: data.get(field, "") for field in PRODUCT_FIELDS})
    values["show_whatsapp"] = bool(values.get("show_whatsapp"))
    product = Product(entrepreneur=entrepreneur, **values)
    product.search_text = product_search_text(product=product, business_name=_business_name(entrepreneur))
    product.save()
    return product


@transaction.atomic
def product_update(*, product: Product, entrepreneur: Entrepreneur, data: dict) -> Product:
    _check_owner(product, entrepreneur)
    if product.is_withdrawn:
        raise ValidationError(_("A withdrawn product cannot be edited."), code="withdrawn")
    values = rules.check_product({field: data[field] for field in PRODUCT_FIELDS if field in data})
    if "show_whatsapp" in values:
        values["show_whatsapp"] = bool(values["show_whatsapp"])
    for field, value in values.items():
        setattr(product, field, value)
    product.search_text = product_search_text(product=product, business_name=_business_name(entrepreneur))
    product.save(update_fields=[*values, "search_text", "updated_at"])
    return product


@transaction.atomic
def product_withdraw(*, product: Product, entrepreneur: Entrepreneur, now: dt.datetime | None = None) -> Product:
    """Take a product off the e-katalog and out of open rounds (its open submissions are
    returned). Its history and certificates stay."""
    _check_owner(product, entrepreneur)
    if product.is_withdrawn:
        return product
    product.withdrawn_at = now or timezone.now()
    product.save(update_fields=["withdrawn_at", "updated_at"])
    for submission in Submission.objects.filter(product=product, status__in=Submission.OPEN_STATUSES):
        _move(submission, to=Submission.Status.RETURNED, actor=entrepreneur.user, reason=str(_("Product withdrawn")))
    return product


def business_renamed(*, entrepreneur: Entrepreneur) -> int:
    """Refresh the search text of an entrepreneur's products after their business name changed."""
    name = _business_name(entrepreneur)
    products = list(Product.objects.filter(entrepreneur=entrepreneur))
    for product in products:
        product.search_text = product_search_text(product=product, business_name=name)
    Product.objects.bulk_update(products, ["search_text"])
    return len(products)


# --- photos ------------------------------------------------------------------------------------


def photo_add(*, product: Product, entrepreneur: Entrepreneur, file) -> ProductPhoto:
    """Decode, check and re-encode an upload (marketing.photos), store the display image and
    thumbnail through STORAGES["default"] and record them. At most PHOTOS_MAX per product."""
    _check_owner(product, entrepreneur)
    processed = photo_process(file)  # before any lock: decoding takes time
    key = f"products/{product.pk}/{uuid.uuid4().hex}"
    names = []
    try:
        names.append(default_storage.save(f"{key}.jpg", ContentFile(processed.display)))
        names.append(default_storage.save(f"{key}-thumb.jpg", ContentFile(processed.thumbnail)))
        with transaction.atomic():
            locked = Product.objects.select_for_update().get(pk=product.pk)
            count = ProductPhoto.objects.filter(product=locked).count()
            if count >= PHOTOS_MAX:
                raise ValidationError(
                    _("A product has at most %(max)s photos. Delete one first."),
                    code="too_many",
                    params={"max": PHOTOS_MAX},
                )
            return ProductPhoto.objects.create(
                product=locked,
                image=names[0],
                thumbnail=names[1],
                width=processed.width,
                height=processed.height,
                thumb_width=processed.thumb_width,
                thumb_height=processed.thumb_height,
                order=count,
            )
    except BaseException:
        for name in names:  # the row was not written: leave no file behind
            default_storage.delete(name)
        raise


@transaction.atomic
def photo_delete(*, photo: ProductPhoto, entrepreneur: Entrepreneur) -> None:
    _check_owner(photo.product, entrepreneur)
    names = [photo.image.name, photo.thumbnail.name]
    photo.delete()

    def delete_files():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:  # the row is gone; a leftover file is harmless
                logger.warning("Could not delete photo file %s", name)

    transaction.on_commit(delete_files)


# --- submissions -------------------------------------------------------------------------------


def _notify(submission: Submission) -> None:
    from marketing import tasks

    enqueue_on_commit(tasks.send_submission_update, submission.pk, submission.status)


def _move(submission: Submission, *, to: str, actor, reason: str = "", now: dt.datetime | None = None) -> Submission:
    now = now or timezone.now()
    SubmissionStep.objects.create(
        submission=submission, from_status=submission.status, to_status=to, actor=actor, at=now, reason=reason
    )
    submission.status = to
    fields = ["status"]
    stamp = {"verified": "verified_at", "validated": "validated_at", "forwarded": "forwarded_at"}.get(to)
    stamp = stamp or {"graded": "graded_at", "returned": "returned_at"}.get(to)
    setattr(submission, stamp, now)
    fields.append(stamp)
    if to == Submission.Status.RETURNED:
        submission.return_reason = reason
        fields.append("return_reason")
    submission.save(update_fields=fields)
    _notify(submission)
    return submission


def round_taken_places(*, round: CurationRound) -> int:
    return round.submissions.exclude(status=Submission.Status.RETURNED).count()


@transaction.atomic
def submission_create(
    *, round: CurationRound, product: Product, entrepreneur: Entrepreneur, now: dt.datetime | None = None
) -> Submission:
    """Submit a product to a round, within its deadline, categories and quota.

    The round row is locked so that simultaneous submissions cannot overfill it."""
    now = now or timezone.now()
    _check_owner(product, entrepreneur)
    locked = CurationRound.objects.select_for_update().get(pk=round.pk)
    if locked.status != CurationRound.Status.OPEN or locked.submission_deadline < now:
        raise ValidationError(_("Submissions to this round have closed."), code="deadline")
    if entrepreneur.status == Entrepreneur.Status.REJECTED:
        raise ValidationError(_("A rejected registration cannot submit products."), code="rejected")
    if product.is_withdrawn:
        raise ValidationError(_("A withdrawn product cannot be submitted."), code="withdrawn")
    if not locked.accepts_category(product.category):
        raise ValidationError(_("This round does not accept products of this category."), code="category")
    if Submission.objects.filter(round=locked, product=product).exists():
        raise ValidationError(_("This product has already been submitted to this round."), code="already_submitted")
    if round_taken_places(round=locked) >= locked.quota:
        raise ValidationError(_("This round is full."), code="full")
    try:
        with transaction.atomic():
            submission = Submission.objects.create(round=locked, product=product, submitted_at=now)
    except IntegrityError as error:  # the same product submitted twice at once
        raise ValidationError(
            _("This product has already been submitted to this round."), code="already_submitted"
        ) from error
    SubmissionStep.objects.create(
        submission=submission, from_status="", to_status=submission.status, actor=entrepreneur.user, at=now
    )
    _notify(submission)
    return submission


def _lock(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("round", "product__entrepreneur")
        .get(pk=submission.pk)
    )


def _refuse_unless(allowed: bool, submission: Submission, expected: str) -> None:
    if submission.status != expected:
        raise ValidationError(
            _("This submission is %(status)s: this step is not possible now."),
            code="wrong_status",
            params={"status": submission.get_status_display()},
        )
    if not allowed:
        raise ValidationError(_("You may not take this step for this submission."), code="not_allowed")


@transaction.atomic
def submission_verify(*, submission: Submission, actor) -> Submission:
    """The mentor confirms the submission (submitted → verified)."""
    locked = _lock(submission)
    _refuse_unless(locked.status == "submitted" and roles.may_verify(actor, locked), locked, "submitted")
    return _move(locked, to=Submission.Status.VERIFIED, actor=actor)


@transaction.atomic
def submission_validate(*, submission: Submission, actor) -> Submission:
    """Centre staff of the entrepreneur's kecamatan validate it (verified → validated)."""
    locked = _lock(submission)
    _refuse_unless(locked.status == "verified" and roles.may_validate(actor, locked), locked, "verified")
    return _move(locked, to=Submission.Status.VALIDATED, actor=actor)


@transaction.atomic
def submission_forward(*, submission: Submission, actor) -> Submission:
    """The Dinas forwards it to the round's curators (validated → forwarded)."""
    locked = _lock(submission)
    _refuse_unless(locked.status == "validated" and roles.may_forward(actor, locked), locked, "validated")
    return _move(locked, to=Submission.Status.FORWARDED, actor=actor)


@transaction.atomic
def submission_grade(*, submission: Submission, actor, grade: str, notes: str = "") -> Submission:
    """A curator of the round grades it A, B or C with notes (forwarded → graded); the
    product's catalogue grade becomes this one and a certificate is issued."""
    if grade not in Grade.values:
        raise ValidationError(_("The grade is A, B or C."), code="grade")
    notes = rules.clean_description(notes)
    locked = _lock(submission)
    _refuse_unless(locked.status == "forwarded" and roles.may_grade(actor, locked), locked, "forwarded")
    now = timezone.now()
    SubmissionStep.objects.create(
        submission=locked, from_status=locked.status, to_status="graded", actor=actor, at=now, reason=notes
    )
    locked.status, locked.grade, locked.notes, locked.graded_at = Submission.Status.GRADED, grade, notes, now
    locked.save(update_fields=["status", "grade", "notes", "graded_at"])
    product = Product.objects.select_for_update().get(pk=locked.product_id)
    product.catalogue_grade = grade
    product.catalogue_since = now
    product.save(update_fields=["catalogue_grade", "catalogue_since", "updated_at"])
    certificate_issue(submission=locked, now=now)
    _notify(locked)
    return locked


@transaction.atomic
def submission_return(*, submission: Submission, actor, reason: str) -> Submission:
    """Whoever may take the current step returns the submission with a reason."""
    reason = rules.clean_description(reason)
    if not reason:
        raise ValidationError(_("Say why the submission is returned."), code="reason_required")
    locked = _lock(submission)
    if not locked.is_open:
        raise ValidationError(
            _("This submission is %(status)s: this step is not possible now."),
            code="wrong_status",
            params={"status": locked.get_status_display()},
        )
    if not roles.may_return(actor, locked):
        raise ValidationError(_("You may not take this step for this submission."), code="not_allowed")
    return _move(locked, to=Submission.Status.RETURNED, actor=actor, reason=reason)


# --- certificates -------------------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CODE_LENGTH = 24  # 120 random bits


def certificate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def certificate_issue(*, submission: Submission, now: dt.datetime | None = None) -> Certificate:
    """The certificate of a graded submission (one per submission)."""
    if submission.status != Submission.Status.GRADED:
        raise ValidationError(_("Only a graded submission has a certificate."), code="not_graded")
    existing = Certificate.objects.filter(submission=submission).first()
    if existing is not None:
        return existing
    return Certificate.objects.create(submission=submission, code=certificate_code(), issued_at=now or timezone.now())


def is_listed(product: Product) -> bool:
    return product.catalogue_grade in LISTED_GRADES and product.withdrawn_at is None


# --- rounds ------------------------------------------------------------------------------------


@transaction.atomic
def round_save(*, round: CurationRound, actor, created: bool) -> CurationRound:
    """Save a round the Dinas edited in the admin (the form validated it); a new round
    records who opened it."""
    if created:
        round.opened_by = actor
    round.save()
    return round


# --- erasure (registrations.personal_data) -------------------------------------------------------

ERASED = "—"


@transaction.atomic
def personal_data_erase(entrepreneur: Entrepreneur, *, actor) -> None:
    """Erase what identifies the person in their products: photos (files too), names, free
    text, permit numbers; the products leave the e-katalog. Submissions keep their round,
    status, grade and dates (the snapshot counts them); notes and reasons are blanked."""
    photos = list(ProductPhoto.objects.filter(product__entrepreneur=entrepreneur))
    names = [name for photo in photos for name in (photo.image.name, photo.thumbnail.name)]
    ProductPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
    now = timezone.now()
    Product.objects.filter(entrepreneur=entrepreneur).update(
        name=ERASED,
        description="",
        pirt_number="",
        halal_number="",
        bpom_number="",
        trademark="",
        show_whatsapp=False,
        search_text="",
        withdrawn_at=now,
    )
    submissions = Submission.objects.filter(product__entrepreneur=entrepreneur)
    submissions.update(notes="", return_reason="")
    SubmissionStep.objects.filter(submission__in=submissions).update(reason="")

    def delete_files():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("Could not delete photo file %s", name)

    transaction.on_commit(delete_files)
