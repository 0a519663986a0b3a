"""An import writes every row or none (issue 13.3): a bad row anywhere, a byte that is not
UTF-8, a NUL, a file cut short or one that lies about its type leaves the database as it was,
with a line-numbered report; the dry run's verdict is the real run's."""

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from registrations import imports
from registrations.models import Business, Enrollment, Entrepreneur, StatusChange
from registrations.tests.test_import import csv_file, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


BIG = 2600
BAD_ROW = 2501  # the 2,501st person: line 2,502 of the file, as a spreadsheet numbers it


def big_file(*, damage) -> io.BytesIO:
    """A file of BIG valid people (more than one batch) with one line damaged by `damage`."""
    lines = csv_file([row(serial=n + 1) for n in range(BIG)]).getvalue().split(b"\r\n")
    lines[BAD_ROW] = damage(lines[BAD_ROW])
    return io.BytesIO(b"\r\n".join(lines))


def verdict(result) -> list[tuple[int, str, str]]:
    return [(e.line, e.field, e.code) for e in result.errors]


def nothing_written():
    return not (
        Entrepreneur.objects.exists()
        or Business.objects.exists()
        or Enrollment.objects.exists()
        or StatusChange.objects.exists()
        or Entrepreneur.history.exists()
    )


def test_a_byte_that_is_not_utf8_in_the_last_batch_writes_nothing_and_names_the_line():
    result = imports.import_entrepreneurs(
        file=big_file(damage=lambda line: line.replace(b"Dewi", b"D\xffwi")), filename="legacy.csv"
    )
    assert verdict(result) == [(BAD_ROW + 1, "full_name", "not_utf8")]
    assert result.total == BIG and not result.written
    assert nothing_written()


def test_a_nul_byte_in_the_last_batch_writes_nothing_and_names_the_line():
    result = imports.import_entrepreneurs(
        file=big_file(damage=lambda line: line.replace(b"Tanah", b"Ta\x00nah")), filename="legacy.csv"
    )
    assert verdict(result) == [(BAD_ROW + 1, "address", "null_characters_not_allowed")]
    assert not result.written
    assert nothing_written()


def test_a_valid_big_file_is_written_whole():
    result = imports.import_entrepreneurs(file=big_file(damage=lambda line: line), filename="legacy.csv")
    assert result.errors == [] and result.written
    assert Entrepreneur.objects.count() == BIG == result.created


def test_one_bad_row_among_good_ones_writes_nothing():
    result = imports.import_entrepreneurs(
        file=csv_file([row(serial=1), row(serial=2, phone="12"), row(serial=3)]), filename="legacy.csv"
    )
    assert verdict(result) == [(3, "phone", "phone_format")]
    assert (result.created, result.written) == (2, False)  # what would have been written
    assert nothing_written()


def three_rows_with(damage) -> bytes:
    lines = csv_file([row(serial=n) for n in range(1, 4)]).getvalue().split(b"\r\n")
    lines[2] = damage(lines[2])
    return b"\r\n".join(lines)


BAD_FILES = {
    "nul in a name": (three_rows_with(lambda line: line.replace(b"Dewi", b"De\x00wi")), "legacy.csv"),
    "nul in the email": (three_rows_with(lambda line: line.replace(b",,", b",\x00,", 1)), "legacy.csv"),
    "bell in the address": (three_rows_with(lambda line: line.replace(b"Tanah", b"Ta\x07nah")), "legacy.csv"),
    "latin-1 byte": (three_rows_with(lambda line: line.replace(b"Dewi", b"D\xe9wi")), "legacy.csv"),
    "cut mid-row": (csv_file([row(serial=1), row(serial=2)]).getvalue()[:-60], "legacy.csv"),
    "cut mid-utf8": (
        csv_file([row(serial=1), row(serial=2, address="Jl. Kebon Kacang")]).getvalue() + "Jl. Cikini Ré".encode()[:-1],
        "legacy.csv",
    ),
    "bad nik": (csv_file([row(serial=1), row(serial=2, nik="3171")]).getvalue(), "legacy.csv"),
    "nik twice": (csv_file([row(serial=1), row(serial=1)]).getvalue(), "legacy.csv"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_the_dry_run_gives_the_real_runs_verdict_and_neither_writes(name):
    content, filename = BAD_FILES[name]
    dry = imports.import_entrepreneurs(file=io.BytesIO(content), filename=filename, dry_run=True)
    assert nothing_written()
    real = imports.import_entrepreneurs(file=io.BytesIO(content), filename=filename)
    assert verdict(dry) == verdict(real) != []
    assert (dry.created, dry.updated, dry.unchanged) == (real.created, real.updated, real.unchanged)
    assert not dry.written and not real.written
    assert nothing_written()


def test_a_line_cut_short_is_reported_as_such():
    content, filename = BAD_FILES["cut mid-row"]
    result = imports.import_entrepreneurs(file=io.BytesIO(content), filename=filename)
    assert (3, "", "short_line") in verdict(result)


def test_a_good_dry_run_counts_what_the_real_run_writes():
    rows = [row(serial=n) for n in range(1, 6)]
    dry = imports.import_entrepreneurs(file=csv_file(rows), filename="legacy.csv", dry_run=True)
    assert nothing_written() and not dry.written
    real = imports.import_entrepreneurs(file=csv_file(rows), filename="legacy.csv")
    assert (dry.created, dry.errors) == (real.created, real.errors) == (5, [])
    assert real.written and Entrepreneur.objects.count() == 5


def test_line_numbers_are_the_spreadsheets_rows_even_after_a_cell_with_a_line_break():
    rows = [row(serial=1, address="Jl. Mawar\nRT 01"), row(serial=2, phone="12")]
    result = imports.import_entrepreneurs(file=csv_file(rows), filename="legacy.csv")
    assert verdict(result) == [(3, "phone", "phone_format")]


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(imports.COLUMNS))
    for values in rows:
        sheet.append([values[c] for c in imports.COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    ("content", "filename", "words"),
    [
        (b"", "legacy.csv", "empty"),
        (b"", "legacy.xlsx", "empty"),
        (",".join(imports.COLUMNS).encode() + b"\r\n", "legacy.csv", "no rows"),
        (",".join(imports.COLUMNS).encode() + b"\r\n,,,\r\n\r\n", "legacy.csv", "no rows"),
        (xlsx_bytes([]), "legacy.xlsx", "no rows"),
        (xlsx_bytes([row()]), "legacy.csv", "XLSX"),
        (PNG, "legacy.xlsx", "PNG"),
        (PNG, "legacy.csv", "PNG"),
        (b"%PDF-1.4 ...", "legacy.csv", "PDF"),
        ("nik,full_name\r\n".encode("utf-16"), "legacy.csv", "UTF-16"),
        (xlsx_bytes([row(), row(serial=2)])[:-200], "legacy.xlsx", "XLSX"),
        (b"PK\x03\x04 not really a zip", "legacy.xlsx", "XLSX"),
    ],
)
def test_files_that_cannot_be_imported_say_why_and_write_nothing(content, filename, words):
    with pytest.raises(imports.ImportFileError) as error:
        imports.import_entrepreneurs(file=io.BytesIO(content), filename=filename)
    assert words.lower() in str(error.value).lower()
    assert nothing_written()


def test_an_xlsx_damaged_inside_writes_nothing():
    content = xlsx_bytes([row(serial=n) for n in range(1, 4)])
    source = zipfile.ZipFile(io.BytesIO(content))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the sheet's XML cut mid-way
            target.writestr(item, data)
    with pytest.raises(imports.ImportFileError):
        imports.import_entrepreneurs(file=io.BytesIO(damaged.getvalue()), filename="legacy.xlsx")
    assert nothing_written()


def test_formula_like_text_is_not_an_error_it_is_stored_as_typed():
    result = imports.import_entrepreneurs(
        file=csv_file([row(business_name="=SUM(A1)", sector="kuliner")]), filename="legacy.csv"
    )
    assert result.errors == [] and result.written
    assert Business.objects.get().name == "=SUM(A1)"
