"""Every write to financing applications: submit (the entrepreneur, their mentor or centre
staff on their behalf), verify, cancel or withdraw, refer in a bank's referral batch, the
bank's decision, disbursement (which completes the entrepreneur's P7 enrolment through
registrations' services) and the monthly repayment status.

Each service is keyword-only and transactional, checks the actor's scope itself (the admin
is not the only caller), allows only the transitions of `FinancingApplication.TRANSITIONS`,
records the step (who, when, from, to, why) and queues the email to the entrepreneur with
`enqueue_on_commit`. A refused change raises ValidationError and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility
from financing import decisions, rules, selectors, tasks
from financing.models import (
    ApplicationStep,
    ExportLog,
    FinancingApplication,
    FinancingProduct,
    ReferralBatch,
    RepaymentStatus,
)
from growth.selectors import is_mentor
from jakpreneur.celery import enqueue_on_commit
from registrations import services as registrations_services
from registrations.models import Entrepreneur, User

Status = FinancingApplication.Status

NOT_IN_SCOPE = _("This application is not in your scope.")
DINAS_ONLY = _("Only Dinas staff record the bank's side of an application.")


def _log_step(*, application, from_status, to_status, actor, reason="", at=None) -> ApplicationStep:
    return ApplicationStep.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        actor=actor if actor is not None and actor.pk else None,
        at=at or timezone.now(),
        reason=reason,
    )


def _notify(application: FinancingApplication, step: ApplicationStep) -> None:
    enqueue_on_commit(tasks.send_application_update, application.pk, step.pk)


def _locked(application: FinancingApplication) -> FinancingApplication:
    return FinancingApplication.objects.select_for_update().select_related("product").get(pk=application.pk)


def _move(application: FinancingApplication, *, to_status: str, actor, reason: str = "", fields=(), at=None):
    """Change the status of a locked application (allowed transition checked), log and notify."""
    if not application.can_become(to_status):
        raise ValidationError(
            _("An application that is %(from)s cannot become %(to)s.")
            % {"from": application.get_status_display(), "to": Status(to_status).label},
            code="invalid_transition",
        )
    now = at or timezone.now()
    previous = application.status
    application.status = to_status
    application.status_changed_at = now
    application.save(update_fields=["status", "status_changed_at", "updated_at", *fields])
    step = _log_step(application=application, from_status=previous, to_status=to_status, actor=actor, reason=reason)
    _notify(application, step)
    return application


def _check_in_scope(application: FinancingApplication, actor: User | None) -> None:
    if not selectors.applications_visible_to(actor).filter(pk=application.pk).exists():
        raise ValidationError(NOT_IN_SCOPE, code="not_in_scope")


def _check_dinas(actor: User | None) -> None:
    if actor is None or not selectors.sees_everything(actor):
        raise ValidationError(DINAS_ONLY, code="dinas_only")


# --- submitting ----------------------------------------------------------------------------------


def submitter_kind(*, entrepreneur: Entrepreneur, actor: User | None) -> str:
    """Who is applying: the entrepreneur themself, their mentor, or staff in whose scope they
    are; anyone else is refused."""
    if actor is not None and actor.pk and actor.pk == entrepreneur.user_id:
        return FinancingApplication.SubmittedBy.SELF
    if actor is None or not selectors.entrepreneurs_in_financing_scope(actor).filter(pk=entrepreneur.pk).exists():
        raise ValidationError(_("You may only apply for people in your scope."), code="not_in_scope")
    if is_mentor(actor):
        return FinancingApplication.SubmittedBy.MENTOR
    return FinancingApplication.SubmittedBy.STAFF


@transaction.atomic
def application_submit(
    *,
    entrepreneur: Entrepreneur,
    product: FinancingProduct,
    amount: Decimal,
    tenor_months: int,
    purpose: str,
    actor: User | None,
) -> FinancingApplication:
    """An application for one product, if the product's rules allow it (financing.rules)."""
    kind = submitter_kind(entrepreneur=entrepreneur, actor=actor)
    purpose = rules.clean_purpose(purpose)
    product = selectors.products_with_terms().get(pk=product.pk)
    # One applicant at a time: two simultaneous submissions see each other's open application.
    entrepreneur = Entrepreneur.objects.select_for_update().get(pk=entrepreneur.pk)
    rules.check_application(
        selectors.terms_of(product), selectors.applicant_facts(entrepreneur), amount=amount, tenor_months=tenor_months
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            application = FinancingApplication.objects.create(
                entrepreneur=entrepreneur,
                product=product,
                amount=amount,
                tenor_months=tenor_months,
                purpose=purpose,
                submitted_by_kind=kind,
                submitted_by=actor if actor is not None and actor.pk else None,
                submitted_at=now,
                status_changed_at=now,
            )
    except IntegrityError:
        raise ValidationError(
            {"product": _("You already have an open application for %(product)s.") % {"product": product.name}},
            code="already_open",
        ) from None
    step = _log_step(application=application, from_status="", to_status=Status.SUBMITTED, actor=actor, at=now)
    _notify(application, step)
    return application


# --- centre staff and mentors -----------------------------------------------------------------


@transaction.atomic
def application_verify(*, application: FinancingApplication, actor: User, reason: str = "") -> FinancingApplication:
    """Centre staff (or the mentor) checked the application with the entrepreneur."""
    _check_in_scope(application, actor)
    return _move(_locked(application), to_status=Status.VERIFIED, actor=actor, reason=reason)


@transaction.atomic
def application_cancel(*, application: FinancingApplication, actor: User, reason: str) -> FinancingApplication:
    """Staff in scope stop an application that has not reached the money (with a reason)."""
    _check_in_scope(application, actor)
    if not (reason or "").strip():
        raise ValidationError(_("Give a reason."), code="reason_required")
    return _move(_locked(application), to_status=Status.CANCELLED, actor=actor, reason=reason.strip())


@transaction.atomic
def application_withdraw(
    *, application: FinancingApplication, entrepreneur: Entrepreneur, actor: User | None
) -> FinancingApplication:
    """The entrepreneur withdraws their own application before it reaches the bank."""
    locked = _locked(application)
    if locked.entrepreneur_id != entrepreneur.pk:
        raise ValidationError(_("This application is not yours."), code="not_yours")
    if not locked.withdrawable_by_entrepreneur:
        raise ValidationError(
            _("The bank already has this application: ask your centre to withdraw it."), code="not_withdrawable"
        )
    return _move(locked, to_status=Status.CANCELLED, actor=actor, reason="withdrawn by the entrepreneur")


# --- the bank's side (the Dinas) ------------------------------------------------------------------


@transaction.atomic
def referral_batch_create(
    *, applications: Iterable[FinancingApplication], actor: User, note: str = ""
) -> ReferralBatch:
    """Refer verified applications of one bank together, in a new batch."""
    _check_dinas(actor)
    ids = sorted({application.pk for application in applications})
    if not ids:
        raise ValidationError(_("Select at least one verified application."), code="empty_batch")
    locked = list(
        FinancingApplication.objects.select_for_update().filter(pk__in=ids).select_related("product").order_by("pk")
    )
    not_verified = [a.reference for a in locked if a.status != Status.VERIFIED]
    if not_verified:
        raise ValidationError(
            _("Only verified applications can be referred: %(refs)s.") % {"refs": ", ".join(not_verified)},
            code="not_verified",
        )
    providers = {a.product.provider for a in locked}
    if len(providers) > 1:
        raise ValidationError(
            _("A batch goes to one bank; the selection is for %(banks)s.") % {"banks": ", ".join(sorted(providers))},
            code="several_banks",
        )
    batch = ReferralBatch.objects.create(provider=providers.pop(), created_by=actor, note=note)
    for application in locked:
        application.batch = batch
        _move(application, to_status=Status.REFERRED, actor=actor, reason=f"batch #{batch.pk}", fields=["batch"])
    return batch


def _decide(application, *, actor, approved: bool, approved_amount, reason: str, at=None):
    if approved:
        if approved_amount is None:
            approved_amount = application.amount
        if approved_amount <= 0 or approved_amount > application.product.max_amount:
            raise ValidationError(
                {
                    "approved_amount": _("The approved amount must be above zero and at most %(max)s.")
                    % {"max": rules.rupiah(application.product.max_amount)}
                },
                code="approved_amount",
            )
        application.approved_amount = approved_amount
    application.decision_reason = reason
    application.decided_at = at or timezone.now()
    return _move(
        application,
        to_status=Status.APPROVED if approved else Status.REJECTED,
        actor=actor,
        reason=reason,
        fields=["approved_amount", "decision_reason", "decided_at"],
    )


@transaction.atomic
def application_decide(
    *,
    application: FinancingApplication,
    actor: User,
    approved: bool,
    approved_amount: Decimal | None = None,
    reason: str = "",
) -> FinancingApplication:
    """The bank's decision on a referred application (approved amount defaults to the request)."""
    _check_dinas(actor)
    return _decide(_locked(application), actor=actor, approved=approved, approved_amount=approved_amount, reason=reason)


def _disburse(application, *, actor, amount: Decimal, on: dt.date, reason: str = ""):
    if application.status != Status.APPROVED:
        raise ValidationError(
            _("Only an approved application can be disbursed (this one is %(status)s).")
            % {"status": application.get_status_display()},
            code="not_approved",
        )
    if amount is None or amount <= 0 or amount > application.approved_amount:
        raise ValidationError(
            {
                "disbursed_amount": _("The disbursed amount must be above zero and at most the approved %(amount)s.")
                % {"amount": rules.rupiah(application.approved_amount)}
            },
            code="disbursed_amount",
        )
    # The bank's decision date may be recorded after the money went out (a decision file),
    # so the disbursement lies between the application and today.
    if on is None or on > timezone.localdate() or on < timezone.localdate(application.submitted_at):
        raise ValidationError(
            {"disbursed_on": _("The disbursement date must lie between the application and today.")},
            code="disbursed_on",
        )
    application.disbursed_amount = amount
    application.disbursed_on = on
    _move(
        application,
        to_status=Status.DISBURSED,
        actor=actor,
        reason=reason,
        fields=["disbursed_amount", "disbursed_on"],
    )
    # P7 is reached when the money is: complete the enrolment (requesting it if missing).
    registrations_services.enrollment_record_completion(
        entrepreneur=application.entrepreneur,
        facility=Facility.objects.get(code="P7"),
        actor=actor,
        reason=f"financing {application.reference} disbursed",
        financing_amount=amount,
        financing_provider=application.product.provider,
    )
    return application


@transaction.atomic
def application_disburse(
    *, application: FinancingApplication, actor: User, amount: Decimal, on: dt.date, reason: str = ""
) -> FinancingApplication:
    """The bank paid out (at most the approved amount); completes the P7 enrolment."""
    _check_dinas(actor)
    return _disburse(_locked(application), actor=actor, amount=amount, on=on, reason=reason)


@transaction.atomic
def repayment_record(*, application: FinancingApplication, actor: User, month: dt.date, status: str) -> RepaymentStatus:
    """The repayment status of one month; the latest month recorded sets the application's."""
    _check_dinas(actor)
    locked = _locked(application)
    if locked.status not in FinancingApplication.DISBURSED_STATUSES:
        raise ValidationError(_("Only a disbursed loan has repayments."), code="not_disbursed")
    month = month.replace(day=1)
    if month > timezone.localdate() or (locked.disbursed_on and month < locked.disbursed_on.replace(day=1)):
        raise ValidationError(
            {"month": _("The month must lie between the disbursement and this month.")}, code="month_out_of_range"
        )
    if status not in RepaymentStatus.Status.values:
        raise ValidationError({"status": _("Choose repaying, repaid or in arrears.")}, code="status")
    if locked.status == Status.REPAID and status != Status.REPAID:
        raise ValidationError(_("This loan is repaid."), code="repaid")
    record, _created = RepaymentStatus.objects.update_or_create(
        application=locked,
        month=month,
        defaults={"status": status, "recorded_by": actor, "recorded_at": timezone.now()},
    )
    latest = locked.repayments.order_by("-month").values_list("month", flat=True).first()
    if latest == month and locked.status != status:
        _move(locked, to_status=status, actor=actor, reason=f"{month:%Y-%m}")
    return record


# --- referral batch files -------------------------------------------------------------------------


@transaction.atomic
def batch_export_record(*, batch: ReferralBatch, actor: User, rows: int) -> ExportLog:
    """Log one export of a batch's file (who, when, which batch, how many applications)."""
    _check_dinas(actor)
    now = timezone.now()
    ReferralBatch.objects.filter(pk=batch.pk).update(exported_at=now)
    return ExportLog.objects.create(batch=batch, kind=ExportLog.Kind.EXPORT, user=actor, at=now, rows=rows)


@transaction.atomic
def batch_decisions_apply(
    *, batch: ReferralBatch, lines: list[decisions.DecisionLine], actor: User, file_name: str, sha256: str
) -> decisions.DecisionPlan:
    """Apply a bank's decision file to its batch: every line's change, or none (one bad line
    and nothing is written). Lines already recorded change nothing (idempotent)."""
    _check_dinas(actor)
    locked = {
        a.pk: a
        for a in FinancingApplication.objects.select_for_update()
        .filter(pk__in=[line.application_id for line in lines if line.application_id])
        .select_related("product", "entrepreneur")
        .order_by("pk")
    }
    plan = decisions.plan(batch, lines, applications=locked)
    if plan.errors:
        raise ValidationError(
            _("The file has %(n)s wrong line(s); nothing was imported.") % {"n": len(plan.errors)}, code="bad_lines"
        )
    for line, decide, disburse in plan.work:
        application = locked[line.application_id]
        if decide:
            _decide(
                application,
                actor=actor,
                approved=line.approved,
                approved_amount=line.approved_amount,
                reason=line.reason,
            )
        if disburse:
            _disburse(
                application,
                actor=actor,
                amount=line.disbursed_amount,
                on=line.disbursed_on,
                reason=f"decision file {file_name}",
            )
    ExportLog.objects.create(
        batch=batch,
        kind=ExportLog.Kind.DECISIONS,
        user=actor,
        rows=len(lines),
        changed=plan.changes,
        file_name=file_name[:255],
        sha256=sha256,
    )
    return plan
