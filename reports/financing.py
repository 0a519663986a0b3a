"""The P7 outcome section of the progress snapshot (financing applications through the
banks), following the recipe in reports/snapshot.py: one query step aggregating per
kecamatan through the financing app's models, roll-ups that add counts, and builders of the
declared `FinancingFigures` / `FinancingCounts`.

What counts (officials will ask):
- applications: every financing application of a counted (not rejected) entrepreneur,
  whatever its status, cancelled ones included;
- approved: the bank approved it (now approved, disbursed, repaying, repaid or in arrears);
  rejected: the bank rejected it; approval rate = approved / (approved + rejected);
- disbursed: the money reached the entrepreneur; amount disbursed: their sum in rupiah;
- median days to disbursement: from the day the application was submitted to the day the
  money was disbursed, over the disbursed applications of the scope. Medians do not add up,
  so the step keeps a histogram of days (which does) and the median is read from it per scope.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate

from financing.models import FinancingApplication, FinancingProduct
from reports.queries import REJECTED, PerKecamatan, Reference
from reports.snapshot import FinancingCounts, FinancingFigures, FinancingProductRow, percent

Status = FinancingApplication.Status
APPROVED = Q(status__in=[Status.APPROVED, *FinancingApplication.DISBURSED_STATUSES])
DISBURSED = Q(status__in=FinancingApplication.DISBURSED_STATUSES)
COUNT_KEYS = ("applications", "approved", "rejected", "disbursed", "amount_disbursed")
ALL_PRODUCTS = "all"


def _key(product, figure: str) -> tuple[str, str]:
    return (str(product), figure)


def financing_by_kecamatan(ref: Reference) -> PerKecamatan:
    """Two GROUP BY queries: the counts per kecamatan and product, and the histogram of days
    from application to disbursement per kecamatan, product and number of days. Keys are
    (product id or "all", figure) and (product id or "all", "days:N")."""
    applications = FinancingApplication.objects.exclude(entrepreneur__status=REJECTED)
    rows = (
        applications.values("entrepreneur__kecamatan_id", "product_id")
        .annotate(
            applications=Count("id"),
            approved=Count("id", filter=APPROVED),
            rejected=Count("id", filter=Q(status=Status.REJECTED)),
            disbursed=Count("id", filter=DISBURSED),
            amount_disbursed=Sum("disbursed_amount", filter=DISBURSED),
        )
        .order_by()
    )
    result: PerKecamatan = {}
    for row in rows:
        counts = result.setdefault(row.pop("entrepreneur__kecamatan_id"), Counter())
        product = row.pop("product_id")
        for figure, value in row.items():
            value = int(value or 0)
            counts[_key(product, figure)] += value
            counts[_key(ALL_PRODUCTS, figure)] += value
    waits = (
        applications.filter(DISBURSED, disbursed_on__isnull=False)
        .annotate(wait=ExpressionWrapper(F("disbursed_on") - TruncDate("submitted_at"), output_field=DurationField()))
        .values("entrepreneur__kecamatan_id", "product_id", "wait")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in waits:
        counts = result.setdefault(row["entrepreneur__kecamatan_id"], Counter())
        days = max(row["wait"].days, 0) if row["wait"] is not None else 0
        counts[_key(row["product_id"], f"days:{days}")] += row["n"]
        counts[_key(ALL_PRODUCTS, f"days:{days}")] += row["n"]
    return result


def products_reference() -> list[dict]:
    """Every product, closed ones included (their applications still count)."""
    return list(FinancingProduct.objects.order_by("provider", "name", "id").values("id", "name", "provider"))


def median_days(counts: Counter, product) -> float | None:
    """The median of a histogram of days {("p", "days:N"): count}; None without disbursements."""
    prefix = "days:"
    histogram = sorted(
        (int(figure[len(prefix) :]), n)
        for (key, figure), n in counts.items()
        if key == str(product) and figure.startswith(prefix) and n
    )
    total = sum(n for _days, n in histogram)
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]  # the one or two middle positions
    values, seen = [], 0
    for days, n in histogram:
        for position in middle:
            if seen <= position < seen + n:
                values.append(days)
        seen += n
    return round(sum(values) / len(values), 1)


def financing_counts(counts: Counter, product=ALL_PRODUCTS) -> FinancingCounts:
    figures = {key: counts[_key(product, key)] for key in COUNT_KEYS}
    return {
        **figures,
        "approval_rate": percent(figures["approved"], figures["approved"] + figures["rejected"]),
    }


def financing_figures(counts: Counter, products: list[dict]) -> FinancingFigures:
    """A scope's section (all of Jakarta or one kota) from its rolled-up counts."""
    rows: list[FinancingProductRow] = [
        {
            "id": product["id"],
            "name": product["name"],
            "provider": product["provider"],
            **financing_counts(counts, product["id"]),
            "median_days_to_disbursement": median_days(counts, product["id"]),
        }
        for product in products
    ]
    return {
        **financing_counts(counts),
        "median_days_to_disbursement": median_days(counts, ALL_PRODUCTS),
        "products": rows,
    }
