"""Property: a valid file with one bad row put anywhere in it (a bad NIK, a NUL or another
control character, a byte that is not UTF-8, in any column) writes nothing, and the report
names that row's line and no other; the dry run says the same. Text that a spreadsheet would
run as a formula is not bad: it is stored as typed (and neutralised when exported)."""

import csv
import io

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registrations import exports, imports
from registrations.models import Business, Enrollment, Entrepreneur, StatusChange
from registrations.tests.test_import import row

pytestmark = pytest.mark.django_db

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Control characters that are not whitespace (Python's str.split() treats \x0b, \x0c and
# \x1c-\x1f as spaces, and the rules collapse whitespace in names and addresses).
CONTROL = [chr(c) for c in (*range(0x00, 0x09), *range(0x0E, 0x1C), 0x7F)]
BAD_BYTE = "\ue000"  # stands for a byte that is not UTF-8 (0xFF) until the file is encoded
FORMULAS = ["=1+1", '=HYPERLINK("http://evil.example/","Klik")', "+62 812", "-1", "@SUM(1)"]
BAD_NIKS = ["123", "31710115058800", "3171015506880000", "abcdefghijklmnop", "3171011506880001"]

bad_cell = st.one_of(
    st.tuples(st.just("nik"), st.sampled_from(BAD_NIKS), st.just("replace")),
    st.tuples(st.sampled_from(imports.COLUMNS), st.sampled_from(CONTROL), st.sampled_from(["append", "insert"])),
    st.tuples(st.sampled_from(imports.COLUMNS), st.just(BAD_BYTE), st.sampled_from(["append", "insert"])),
)


def encode(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(imports.COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8").replace(BAD_BYTE.encode(), b"\xff")


def damaged(values: dict, column: str, bad: str, how: str) -> dict:
    current = values[column]
    if how == "replace":
        text = bad
    elif how == "insert" and len(current) > 1:
        text = current[:1] + bad + current[1:]
    else:
        text = current + bad
    return {**values, column: text}


def state() -> tuple[int, ...]:
    return (
        Entrepreneur.objects.count(),
        Business.objects.count(),
        Enrollment.objects.count(),
        StatusChange.objects.count(),
        Entrepreneur.history.count(),
    )


def run(content: bytes, **kwargs) -> imports.ImportResult:
    return imports.import_entrepreneurs(file=io.BytesIO(content), filename="legacy.csv", **kwargs)


@PROPERTY
@given(
    size=st.integers(min_value=1, max_value=7),
    data=st.data(),
    bad=bad_cell,
    batch_size=st.sampled_from([1, 2, 3, 2000]),
)
def test_one_bad_row_anywhere_writes_nothing_and_the_report_names_its_line(size, data, bad, batch_size):
    position = data.draw(st.integers(min_value=0, max_value=size), label="position")
    column, text, how = bad
    good = [row(serial=n, business_name=f"Usaha {n}", sector="kuliner") for n in range(1, size + 1)]
    rows = [*good[:position], damaged(row(serial=99, business_name="Toko"), column, text, how), *good[position:]]
    content = encode(rows)
    bad_line = position + 2  # the header is line 1
    with transaction.atomic():
        before = state()
        dry = run(content, dry_run=True, batch_size=batch_size)
        real = run(content, batch_size=batch_size)
        after = state()
        transaction.set_rollback(True)
    assert after == before, "a file with a bad row wrote something"
    assert not real.written and real.errors
    assert {e.line for e in real.errors} == {bad_line}, [(e.line, e.field, e.code) for e in real.errors]
    assert [(e.line, e.field, e.code) for e in dry.errors] == [(e.line, e.field, e.code) for e in real.errors]


@PROPERTY
@given(
    size=st.integers(min_value=1, max_value=5),
    data=st.data(),
    formula=st.sampled_from(FORMULAS),
    column=st.sampled_from(["full_name", "business_name"]),
)
def test_formula_like_text_is_stored_as_typed_and_neutralised_on_export(size, data, formula, column, dina):
    position = data.draw(st.integers(min_value=0, max_value=size), label="position")
    value = formula if column == "business_name" else f"{formula} Dewi"
    good = [row(serial=n) for n in range(1, size + 1)]
    rows = [
        *good[:position],
        row(serial=99, **{"business_name": "Toko", "sector": "kuliner", column: value}),
        *good[position:],
    ]
    with transaction.atomic():
        result = run(encode(rows))
        assert (result.errors, result.written, result.created) == ([], True, size + 1)
        person = Entrepreneur.objects.get(nik=rows[position]["nik"])
        stored = {"full_name": person.full_name, "business_name": person.business.name}[column]
        response = exports.csv_response(Entrepreneur.objects.filter(pk=person.pk), user=dina)
        exported = b"".join(response.streaming_content).decode("utf-8-sig")
        transaction.set_rollback(True)
    assert stored == value
    (cell,) = [line[column] for line in csv.DictReader(io.StringIO(exported, newline=""))]
    assert cell == "'" + value  # inert text in a spreadsheet
