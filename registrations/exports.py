"""Exports of entrepreneurs for staff: CSV streamed in constant memory, XLSX with a row cap.

The caller passes an already scoped queryset (from the admin changelist); this module only
decides the columns and masks personal data. NIK and mobile numbers are masked in every export
unless `reveal` is set, which the admin does only after the staff member gave a reason and
the export was written to the reveal log (registrations.services.personal_data_export_log).
Birth dates (the year only) and emails are masked for users without the permission to see
personal data.
"""

import datetime as dt
import io

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from jakpreneur import spreadsheets
from registrations.masking import mask_email, mask_nik, mask_phone
from registrations.models import Entrepreneur
from registrations.selectors import can_see_personal_data

XLSX_ROW_CAP = 50_000
CSV_CHUNK_SIZE = 2_000

# (value path, header); read with values_list so no model instances are built.
COLUMNS = (
    ("id", "id"),
    ("legacy_id", "legacy_id"),
    ("nik", "nik"),
    ("full_name", "full_name"),
    ("birth_date", "birth_date"),
    ("gender", "gender"),
    ("phone", "phone"),
    ("email", "email"),
    ("kecamatan__kota__name", "kota"),
    ("kecamatan__name", "kecamatan"),
    ("kelurahan_id", "kelurahan_code"),
    ("kelurahan__name", "kelurahan"),
    ("track", "track"),
    ("status", "status"),
    ("source", "source"),
    ("business__name", "business_name"),
    ("business__sector", "sector"),
    ("registered_at", "registered_at"),
    ("status_changed_at", "status_changed_at"),
)
_INDEX = {path: i for i, (path, _header) in enumerate(COLUMNS)}


def headers() -> list[str]:
    return [header for _path, header in COLUMNS]


def _row_formatter(*, personal: bool, reveal: bool):
    tz = timezone.get_current_timezone()
    nik_i, phone_i, email_i, birth_i = _INDEX["nik"], _INDEX["phone"], _INDEX["email"], _INDEX["birth_date"]
    dt_columns = (_INDEX["registered_at"], _INDEX["status_changed_at"])

    def format_row(values: tuple) -> list:
        row = list(values)
        for i in dt_columns:
            if row[i] is not None:
                row[i] = timezone.localtime(row[i], tz).replace(tzinfo=None, microsecond=0)
        if not (personal and reveal):
            row[nik_i] = mask_nik(row[nik_i])
            row[phone_i] = mask_phone(row[phone_i])
        if not personal:
            row[email_i] = mask_email(row[email_i])
            # Birth date is personal data: keep the year for age statistics only.
            row[birth_i] = row[birth_i].year if isinstance(row[birth_i], dt.date) else row[birth_i]
        return row

    return format_row


def export_rows(queryset: QuerySet, *, personal: bool, reveal: bool = False, chunk_size: int = CSV_CHUNK_SIZE):
    """Yield export rows (lists) one by one; the queryset is read with a server-side cursor
    on PostgreSQL, so memory stays flat whatever the number of rows."""
    format_row = _row_formatter(personal=personal, reveal=reveal)
    for values in queryset.values_list(*(path for path, _h in COLUMNS)).iterator(chunk_size=chunk_size):
        yield format_row(values)


class _Echo:
    """A file-like object whose write() returns the line instead of storing it."""

    def write(self, value):
        return value


def _filename(extension: str) -> str:
    return f"jakpreneur-entrepreneurs-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def csv_response(queryset: QuerySet, *, user, reveal: bool = False) -> StreamingHttpResponse:
    personal = can_see_personal_data(user)
    writer = spreadsheets.csv_writer(_Echo())

    def lines():
        yield "\ufeff"  # BOM: spreadsheet programs then read the file as UTF-8
        yield writer.writerow(headers())
        buffer = io.StringIO()
        buffered = spreadsheets.csv_writer(buffer)
        for n, row in enumerate(export_rows(queryset, personal=personal, reveal=reveal), start=1):
            buffered.writerow(row)
            if n % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


class TooManyRows(Exception):
    def __init__(self, count: int, cap: int):
        self.count, self.cap = count, cap
        super().__init__(
            _(
                "The XLSX export is limited to %(cap)s rows and this list has %(count)s. "
                "Narrow it with the filters, or export CSV, which has no limit."
            )
            % {"cap": f"{cap:,}", "count": f"{count:,}"}
        )


def xlsx_response(queryset: QuerySet, *, user, reveal: bool = False, cap: int | None = None) -> HttpResponse:
    """Build an XLSX workbook (openpyxl write-only mode) or raise TooManyRows above `cap`."""
    cap = XLSX_ROW_CAP if cap is None else cap
    count = queryset.count()
    if count > cap:
        raise TooManyRows(count, cap)
    personal = can_see_personal_data(user)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(Entrepreneur._meta.verbose_name_plural)[:31])
    sheet.append(spreadsheets.xlsx_row(sheet, headers()))
    for row in export_rows(queryset, personal=personal, reveal=reveal):
        sheet.append(spreadsheets.xlsx_row(sheet, row))
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(
        output.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
