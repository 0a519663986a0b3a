"""The XLSX file of a referral batch for its bank: one row per application of that batch
(and only those: the file carries their personal data to that bank), with the evidence a
lender wants: the last 12 months of reported turnover (P6) and the mentor.

Written through jakpreneur/spreadsheets.py (formula-like text neutralised); the caller logs
the export (`services.batch_export_record`).
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from financing.models import FinancingApplication, ReferralBatch
from growth.models import MentorAssignment, MonthlyReport
from growth.selectors import add_months, current_period
from jakpreneur.spreadsheets import xlsx_row

MONTHS = 12


def batch_applications(batch: ReferralBatch):
    return (
        FinancingApplication.objects.filter(batch=batch)
        .select_related("entrepreneur__kecamatan", "entrepreneur__kelurahan", "entrepreneur__business", "product")
        .order_by("pk")
    )


def batch_workbook(batch: ReferralBatch, *, today=None) -> tuple[bytes, int]:
    """(XLSX bytes, number of applications) in a fixed number of queries."""
    applications = list(batch_applications(batch))
    people = [a.entrepreneur_id for a in applications]
    last = current_period(today or timezone.localdate())
    # The last 12 full months before this one, oldest first.
    months = [add_months(last, -n) for n in range(MONTHS, 0, -1)]
    turnover: dict[tuple[int, object], object] = {
        (entrepreneur_id, period): value
        for entrepreneur_id, period, value in MonthlyReport.objects.filter(
            entrepreneur_id__in=people, period__gte=months[0], period__lte=months[-1]
        ).values_list("entrepreneur_id", "period", "turnover")
    }
    mentors = {
        entrepreneur_id: (name or email)
        for entrepreneur_id, name, email in MentorAssignment.objects.active()
        .filter(entrepreneur_id__in=people)
        .values_list("entrepreneur_id", "mentor__mentor_profile__display_name", "mentor__email")
    }
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"Batch {batch.pk}"[:31])
    header = [
        _("Reference"),
        _("Applicant"),
        _("NIK"),
        _("Phone"),
        _("Business"),
        _("Sector"),
        _("Kelurahan"),
        _("Kecamatan"),
        _("Product"),
        _("Amount (Rp)"),
        _("Tenor (months)"),
        _("Purpose"),
        _("Mentor"),
        *[_("Turnover %(month)s (Rp)") % {"month": f"{month:%Y-%m}"} for month in months],
    ]
    sheet.append(xlsx_row(sheet, header))
    for application in applications:
        person = application.entrepreneur
        business = getattr(person, "business", None)
        sheet.append(
            xlsx_row(
                sheet,
                [
                    application.reference,
                    person.full_name,
                    person.nik,
                    person.phone,
                    business.name if business else "",
                    business.get_sector_display() if business else "",
                    person.kelurahan.name,
                    person.kecamatan.name,
                    application.product.name,
                    int(application.amount),
                    application.tenor_months,
                    application.purpose,
                    mentors.get(person.pk, ""),
                    *[
                        int(turnover[(person.pk, month)]) if (person.pk, month) in turnover else None
                        for month in months
                    ],
                ],
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), len(applications)
