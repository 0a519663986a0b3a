"""Financing's part of what the portal holds about one person (registrations/personal_data.py):
their applications with each step and the repayment statuses the bank reported, for the
resident's copy (`/me/data/`) and for erasure."""

from django.db.models import Prefetch

from financing.models import ApplicationStep, FinancingApplication, RepaymentStatus
from registrations.personal_data import json_value


def _rupiah(value):
    return int(value) if value is not None else None


def personal_data_export(entrepreneur) -> dict:
    """As JSON values, in three queries whatever the person holds."""
    applications = (
        FinancingApplication.objects.filter(entrepreneur=entrepreneur)
        .select_related("product")
        .prefetch_related(
            Prefetch("steps", queryset=ApplicationStep.objects.order_by("at", "id")),
            Prefetch("repayments", queryset=RepaymentStatus.objects.order_by("month", "id")),
        )
        .order_by("submitted_at", "id")
    )
    return {
        "applications": [
            {
                "product": a.product.name,
                "provider": a.product.provider,
                "amount": _rupiah(a.amount),
                "tenor_months": a.tenor_months,
                "purpose": a.purpose,
                "status": a.status,
                "submitted_by": a.submitted_by_kind,
                "submitted_at": json_value(a.submitted_at),
                "decided_at": json_value(a.decided_at),
                "approved_amount": _rupiah(a.approved_amount),
                "bank_reason": a.decision_reason,
                "disbursed_amount": _rupiah(a.disbursed_amount),
                "disbursed_on": json_value(a.disbursed_on),
                "steps": [
                    {"from": s.from_status, "to": s.to_status, "at": json_value(s.at), "reason": s.reason}
                    for s in a.steps.all()
                ],
                "repayments": [{"month": r.month.strftime("%Y-%m"), "status": r.status} for r in a.repayments.all()],
            }
            for a in applications
        ]
    }


def personal_data_erase(entrepreneur, *, actor) -> None:
    """Erase the free text about the person (the purpose they wrote, the bank's reasons, the
    reasons of each step). Products, amounts, statuses and dates stay: the financing figures
    of the snapshot count them, and without the person's identity they identify nobody."""
    applications = FinancingApplication.objects.filter(entrepreneur=entrepreneur)
    applications.update(purpose="", decision_reason="")
    ApplicationStep.objects.filter(application__in=applications).update(reason="")
