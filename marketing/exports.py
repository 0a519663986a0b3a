"""The Dinas's grade-A list (exhibitions, e-Order onboarding) as CSV or XLSX, through
jakpreneur/spreadsheets.py (formula-like text neutralised). Contact data are the business's
and the entrepreneur's phone and email, masked like every export (the back office reveals
one person's with a reason, registrations/masking.py)."""

import io

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from jakpreneur import spreadsheets
from marketing.models import Grade, Submission
from registrations.masking import mask_email, mask_phone

XLSX_ROW_CAP = 50_000

COLUMNS = (
    ("round__title", "round"),
    ("graded_at", "graded_at"),
    ("grade", "grade"),
    ("product__name", "product"),
    ("product__category", "category"),
    ("product__price", "price"),
    ("product__unit", "unit"),
    ("product__pirt_number", "pirt"),
    ("product__halal_number", "halal"),
    ("product__bpom_number", "bpom"),
    ("product__entrepreneur__business__name", "business"),
    ("product__entrepreneur__full_name", "entrepreneur"),
    ("product__entrepreneur__phone", "phone"),
    ("product__entrepreneur__email", "email"),
    ("product__entrepreneur__kecamatan__name", "kecamatan"),
    ("product__entrepreneur__kecamatan__kota__name", "kota"),
)


PHONE = [header for _p, header in COLUMNS].index("phone")
EMAIL = [header for _p, header in COLUMNS].index("email")


def grade_a(queryset: QuerySet) -> QuerySet:
    return queryset.filter(status=Submission.Status.GRADED, grade=Grade.A).order_by("-graded_at", "-id")


def rows(queryset: QuerySet):
    tz = timezone.get_current_timezone()
    for values in grade_a(queryset).values_list(*(path for path, _h in COLUMNS)).iterator(chunk_size=2000):
        row = list(values)
        if row[1] is not None:
            row[1] = timezone.localtime(row[1], tz).replace(tzinfo=None, microsecond=0)
        row[PHONE], row[EMAIL] = mask_phone(row[PHONE]), mask_email(row[EMAIL])
        yield row


def _filename(extension: str) -> str:
    return f"jakpreneur-kurasi-grade-a-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def csv_response(queryset: QuerySet) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = spreadsheets.csv_writer(buffer)
    writer.writerow([header for _p, header in COLUMNS])
    writer.writerows(rows(queryset))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(queryset: QuerySet) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Grade A")[:31])
    sheet.append(spreadsheets.xlsx_row(sheet, [header for _p, header in COLUMNS]))
    for n, row in enumerate(rows(queryset)):
        if n >= XLSX_ROW_CAP:
            break
        sheet.append(spreadsheets.xlsx_row(sheet, row))
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(
        output.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
