"""The mentors' monthly sheet: line-numbered errors, all or nothing, idempotent re-runs,
corrections with history, only the uploader's caseload, and files that lie or are cut off."""

import io

import pytest
from openpyxl import Workbook

from facilities.tests.factories import MENTENG_KELURAHAN
from growth.models import MonthlyReport
from growth.selectors import add_months, current_period
from growth.tests.factories import MentorAssignmentFactory
from registrations.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/growth/monthlyreport/upload/"
HEADER = "nik,period,turnover,assets,workers\n"


@pytest.fixture
def caseload(maya):
    people = [EntrepreneurFactory() for _ in range(3)]
    for person in people:
        MentorAssignmentFactory(entrepreneur=person, mentor=maya)
    return people


def month(offset=-1) -> str:
    return f"{add_months(current_period(), offset):%Y-%m}"


def csv_file(text: str, name="sheet.csv"):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def sheet(people, *, turnover="1.500.000"):
    return HEADER + "".join(f"{p.nik},{month()},{turnover},10000000,2\n" for p in people)


def upload(client, file, **extra):
    return client.post(UPLOAD, {"file": file, **extra})


def test_a_mentor_uploads_her_caseloads_month_and_a_rerun_writes_nothing(client, maya, caseload):
    client.force_login(maya)
    response = upload(client, csv_file(sheet(caseload)))
    result = response.context["result"]
    assert (result.total, result.created, result.corrected, result.unchanged, result.errors) == (3, 3, 0, 0, [])
    assert set(MonthlyReport.objects.values_list("filed_by", "turnover")) == {("import", 1_500_000)}
    history_rows = sum(r.history.count() for r in MonthlyReport.objects.all())
    assert history_rows == 3

    result = upload(client, csv_file(sheet(caseload))).context["result"]
    assert (result.created, result.corrected, result.unchanged) == (0, 0, 3)
    assert sum(r.history.count() for r in MonthlyReport.objects.all()) == 3


def test_a_changed_value_is_a_correction_with_history(client, maya, caseload):
    client.force_login(maya)
    upload(client, csv_file(sheet(caseload)))
    changed = HEADER + f"{caseload[0].nik},{month()},Rp 2.000.000,10000000,2\n"
    result = upload(client, csv_file(changed)).context["result"]
    assert (result.created, result.corrected, result.unchanged) == (0, 1, 0)
    report = MonthlyReport.objects.get(entrepreneur=caseload[0])
    assert [h.turnover for h in report.history.order_by("history_date")] == [1_500_000, 2_000_000]


def test_one_bad_row_saves_nothing_and_every_error_has_its_line(client, maya, caseload, mark):
    outsider = EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN)
    MentorAssignmentFactory(entrepreneur=outsider, mentor=mark)
    text = (
        HEADER
        + f"{caseload[0].nik},{month()},1.000.000,5000000,1\n"  # line 2: fine
        + f"{caseload[1].nik},{month(1)},1.000.000,5000000,1\n"  # line 3: a future month
        + f"{outsider.nik},{month()},1.000.000,5000000,1\n"  # line 4: not her caseload
        + f'=HYPERLINK("http://x"),{month()},1,1,1\n'  # line 5: a formula for a NIK
        + f"{caseload[2].nik},{month()},-5,5000000,1\n"  # line 6: negative
        + f"{caseload[0].nik},{month()},1.000.000,5000000,1\n"  # line 7: same NIK and month as line 2
        + f"{caseload[2].nik},2016-01,1\u0007000,5000000,1\n"  # line 8: before 2017-12, a control character
    )
    client.force_login(maya)
    response = upload(client, csv_file(text))
    errors = [(e.line, e.field, e.code) for e in response.context["result"].errors]
    assert errors == [
        (3, "period", "period_future"),
        (4, "nik", "not_in_scope"),
        (5, "nik", "nik_format"),
        (6, "turnover", "amount_negative"),
        (7, "period", "duplicate_row"),
        (8, "period", "period_before_programme"),
        (8, "turnover", "control_characters"),
    ]
    assert not MonthlyReport.objects.exists()
    report = client.get(UPLOAD + "report/")
    body = report.content.decode()
    assert report["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in body  # the echoed formula is neutralised


def test_a_dry_run_counts_but_writes_nothing(client, maya, caseload):
    client.force_login(maya)
    result = upload(client, csv_file(sheet(caseload)), dry_run="on").context["result"]
    assert (result.created, result.dry_run) == (3, True)
    assert not MonthlyReport.objects.exists()


def test_an_xlsx_sheet_with_typed_cells(client, maya, caseload):
    workbook = Workbook()
    ws = workbook.active
    ws.append(["NIK", "Period", "Turnover", "Assets", "Workers"])
    ws.append([caseload[0].nik, month(), 2_500_000, 12_000_000.0, 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "sheet.xlsx"
    client.force_login(maya)
    result = upload(client, buffer).context["result"]
    assert result.created == 1 and not result.errors
    assert MonthlyReport.objects.get().assets == 12_000_000


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"PK\x03\x04 this is not really a workbook", "sheet.xlsx"),  # a broken or cut-off XLSX
        (b"PK\x03\x04\x14\x00\x06\x00", "sheet.csv"),  # an XLSX named .csv
        (b"nik,period,turnover,assets,workers\n3171014101900001,2026-01,1000", "sheet.csv"),  # cut off
        (b"nik,period,turnover\n", "sheet.csv"),  # missing columns
        (b"nik,period,turnover,assets,workers\n317101\x0041019,2026-01,1,1,1\n", "sheet.csv"),  # NUL
        (b"\xff\xfe\x00n\x00i\x00k", "sheet.csv"),  # UTF-16
        (b'nik,period,turnover,assets,workers\n"3171014101900001,2026-01,1,1,1\n', "sheet.csv"),  # open quote
        (b"", "sheet.csv"),
        (b"nik,period", "sheet.txt"),
    ],
)
def test_files_that_lie_or_are_cut_off_are_refused_whole(client, maya, caseload, content, name):
    client.force_login(maya)
    file = io.BytesIO(content)
    file.name = name
    response = upload(client, file)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not MonthlyReport.objects.exists()


def test_only_people_with_the_permission_upload(client, olga, caseload):
    EntrepreneurFactory()
    client.force_login(olga)
    assert client.post(UPLOAD, {"file": csv_file(sheet(caseload))}).status_code == 302  # not staff: the login
    assert not MonthlyReport.objects.exists()


def test_centre_staff_upload_for_their_kecamatan(client, alice, caseload):
    client.force_login(alice)
    result = upload(client, csv_file(sheet(caseload))).context["result"]
    assert result.created == 3 and MonthlyReport.objects.filter(filed_by_user=alice).count() == 3
