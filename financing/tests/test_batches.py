"""Referral batches: the XLSX for the bank (only that batch's people, the last 12 months of
turnover, formula-like text neutralised, every export logged) and the bank's decision file
back (line-numbered report, all-or-nothing, idempotent, unknown and out-of-batch references
refused, damaged or lying files refused with a message, never a 500)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from financing import decisions, services
from financing.models import ApplicationStep, ExportLog, FinancingApplication
from financing.tests.conftest import apply, eligible_person, through
from growth.selectors import add_months, current_period
from growth.tests.factories import MentorAssignmentFactory
from registrations.models import Enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(siti, budi, monas, dina):
    """Siti's and Budi's verified applications, referred together; Rini's stays outside."""
    first, second = apply(siti, monas), apply(budi, monas, amount="8000000")
    for application in (first, second):
        services.application_verify(application=application, actor=dina)
    return services.referral_batch_create(applications=[first, second], actor=dina)


@pytest.fixture
def outsider(monas, dina):
    rini = eligible_person(full_name="Rini Outsider")
    return through(apply(rini, monas), to="referred", dina=dina)


def refs(batch) -> list[str]:
    return [a.reference for a in batch.applications.order_by("pk")]


def csv_file(text: str, name: str = "decisions.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, batch, file, *, dry_run=False):
    data = {"file": file}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("admin:financing_referralbatch_decisions", args=[batch.pk]), data)


def snapshot_of_state():
    return (
        sorted(FinancingApplication.objects.values_list("pk", "status", "approved_amount", "disbursed_amount")),
        ApplicationStep.objects.count(),
        Enrollment.objects.filter(facility_id="P7").count(),
    )


# --- the export ----------------------------------------------------------------------------------


def test_the_export_holds_only_the_batch_with_turnover_and_mentor(english, dina, batch, outsider, budi, mark):
    english.force_login(dina)
    response = english.get(reverse("admin:financing_referralbatch_export", args=[batch.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert [row[0] for row in body] == refs(batch)
    assert "Rini Outsider" not in str(rows)
    months = [add_months(current_period(), -n) for n in range(12, 0, -1)]
    assert header[-12:] == tuple(f"Turnover {m:%Y-%m} (Rp)" for m in months)
    budis = next(row for row in body if row[1] == "Budi Santoso")
    assert budis[2] == budi.nik
    assert budis[12] == "mark@jakpreneur.test"
    # The three months reported before this one, as numbers; the others empty.
    assert budis[-3:] == (15_000_000, 15_000_000, 15_000_000)
    assert budis[-4] is None
    log = ExportLog.objects.get()
    assert (log.kind, log.user, log.batch, log.rows) == ("export", dina, batch, 2)


def test_formula_like_text_is_neutralised_in_the_export(english, dina, monas):
    person = eligible_person(full_name='=HYPERLINK("http://evil.example")')
    application = apply(person, monas, purpose="@SUM(A1)")
    through(application, to="referred", dina=dina)
    english.force_login(dina)
    content = english.get(reverse("admin:financing_referralbatch_export", args=[application.batch_id])).content
    cells = {cell.value: cell for row in load_workbook(io.BytesIO(content)).active.iter_rows() for cell in row}
    assert cells['=HYPERLINK("http://evil.example")'].data_type == "s"
    assert cells["@SUM(A1)"].quotePrefix


def test_each_export_is_logged(english, dina, batch):
    english.force_login(dina)
    for _ in range(2):
        english.get(reverse("admin:financing_referralbatch_export", args=[batch.pk]))
    assert ExportLog.objects.filter(batch=batch, kind="export").count() == 2
    batch.refresh_from_db()
    assert batch.exported_at is not None


# --- the decision file -------------------------------------------------------------------------


def test_a_decision_file_approves_rejects_and_disburses(english, dina, batch, django_capture_on_commit_callbacks):
    first, second = refs(batch)
    today = timezone.localdate().isoformat()
    text = (
        "reference,decision,approved_amount,reason,disbursed_amount,disbursed_on\n"
        f"{first},approved,4.500.000,,4.500.000,{today}\n"
        f"{second},ditolak,,Kapasitas bayar kurang,,\n"
    )
    english.force_login(dina)
    response = upload(english, batch, csv_file(text))
    assert response.status_code == 302
    a, b = batch.applications.order_by("pk")
    assert (a.status, a.approved_amount, a.disbursed_amount) == ("disbursed", 4_500_000, 4_500_000)
    assert (b.status, b.decision_reason) == ("rejected", "Kapasitas bayar kurang")
    assert Enrollment.objects.get(entrepreneur=a.entrepreneur, facility_id="P7").state == "completed"
    log = ExportLog.objects.get(kind="decisions")
    assert (log.rows, log.changed, log.file_name) == (2, 2, "decisions.csv")


def test_the_same_file_twice_changes_nothing(english, dina, batch):
    first, second = refs(batch)
    text = f"reference,decision\n{first},approved\n{second},rejected\n"
    english.force_login(dina)
    upload(english, batch, csv_file(text))
    before = snapshot_of_state()
    response = upload(english, batch, csv_file(text))
    assert response.status_code == 302
    assert snapshot_of_state() == before
    assert ExportLog.objects.filter(kind="decisions").order_by("-id").first().changed == 0


def test_one_bad_line_writes_nothing_and_the_report_names_it(english, dina, batch, outsider):
    first, second = refs(batch)
    text = (
        "reference,decision,approved_amount\n"
        f"{first},approved,\n"
        f"{outsider.reference},approved,\n"
        "JP7-9999999,rejected,\n"
        f"{second},maybe,\n"
        f"{first},approved,\n"
    )
    before = snapshot_of_state()
    english.force_login(dina)
    response = upload(english, batch, csv_file(text))
    assert response.status_code == 200
    lines = {line.line: line for line in response.context["plan"].lines}
    assert lines[2].outcome == "approve"
    assert "is not in this batch" in lines[3].message
    assert "No application JP7-9999999" in lines[4].message
    assert "decision: write approved or rejected" in lines[5].message
    assert "already on line 2" in lines[6].message
    assert snapshot_of_state() == before
    assert not ExportLog.objects.filter(kind="decisions").exists()


def test_the_dry_run_reports_and_writes_nothing(english, dina, batch):
    first, _ = refs(batch)
    before = snapshot_of_state()
    english.force_login(dina)
    response = upload(english, batch, csv_file(f"reference,decision\n{first},approved\n"), dry_run=True)
    assert response.status_code == 200
    assert [line.outcome for line in response.context["plan"].lines] == ["approve"]
    assert snapshot_of_state() == before


def test_an_xlsx_decision_file(english, dina, batch):
    first, second = refs(batch)
    data = xlsx_bytes(
        [["Reference", "Decision", "Approved amount"], [first, "Approved", 5_000_000], [second, "rejected", None]]
    )
    english.force_login(dina)
    response = upload(english, batch, SimpleUploadedFile("bank.xlsx", data))
    assert response.status_code == 302
    assert sorted(batch.applications.values_list("status", flat=True)) == ["approved", "rejected"]


def test_a_decision_contradicting_the_recorded_one_is_an_error(english, dina, batch):
    first, _ = refs(batch)
    english.force_login(dina)
    upload(english, batch, csv_file(f"reference,decision\n{first},approved\n"))
    response = upload(english, batch, csv_file(f"reference,decision\n{first},rejected\n"))
    assert "was already approved" in response.context["plan"].lines[0].message
    assert batch.applications.get(pk=int(first[4:])).status == "approved"


def test_an_approved_amount_over_the_product_limit_is_an_error(english, dina, batch):
    first, _ = refs(batch)
    english.force_login(dina)
    response = upload(english, batch, csv_file(f"reference,decision,approved_amount\n{first},approved,10.000.001\n"))
    assert "above the product's limit" in response.context["plan"].lines[0].message


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bank.xlsx", b"reference,decision\nJP7-1,approved\n", "is not an XLSX workbook"),
        ("bank.csv", xlsx_bytes([["reference", "decision"]]), "is not a text file"),
        ("bank.csv", b"reference,decision\nJP7-1,appro\x00ved\n", "is not a text file"),
        ("bank.xlsx", xlsx_bytes([["reference", "decision"], ["JP7-1", "approved"]])[:300], "cannot be read"),
        ("bank.csv", b'reference,decision,reason\nJP7-1,approved,"cut', "cut off"),
        ("bank.csv", b"reference,decision,approved_amount,reason\nJP7-1,approved", "cut off"),
        ("bank.csv", b"\xff\xfe\x00r\x00e", "not a text file"),
        ("bank.csv", b"reference,decision\n", "no decisions"),
        ("bank.csv", b"", "file is empty"),  # the form refuses it before it is read
        ("bank.csv", b"ref,keputusan\nJP7-1,approved\n", "no column(s) reference, decision"),
        ("bank.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file"),
        ("bank.csv", "\ufeffreference,decision\n\xe9\n".encode("latin-1", "ignore"), "not UTF-8"),
    ],
)
def test_damaged_or_lying_files_are_refused_with_a_message(english, dina, batch, name, content, message):
    before = snapshot_of_state()
    english.force_login(dina)
    english.raise_request_exception = False
    response = upload(english, batch, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.context["file_error"] + str(response.context["form"].errors)
    assert snapshot_of_state() == before


def test_control_characters_in_a_line_are_an_error_for_that_line(english, dina, batch):
    first, _ = refs(batch)
    english.force_login(dina)
    response = upload(english, batch, csv_file(f"reference,decision,reason\n{first},approved,ok\u202e\n"))
    assert "control or invisible characters" in response.context["plan"].lines[0].message


def test_the_decision_pages_are_the_dinas_alone(client, alice, mark, batch):
    for user in (alice, mark):
        client.force_login(user)
        response = upload(client, batch, csv_file("reference,decision\n"))
        assert response.status_code == 403


def test_reading_a_half_line_csv_is_refused_whole():
    with pytest.raises(decisions.DecisionFileError):
        decisions.read_decision_file(b"reference,decision,approved_amount\nJP7-1,approved,1\nJP7-2,appr", "x.csv")


def test_mentor_column_uses_the_active_assignment(english, dina, monas):
    person = eligible_person()
    MentorAssignmentFactory(entrepreneur=person, mentor=dina)
    application = through(apply(person, monas), to="referred", dina=dina)
    english.force_login(dina)
    content = english.get(reverse("admin:financing_referralbatch_export", args=[application.batch_id])).content
    row = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))[1]
    assert row[12] == "dina@jakpreneur.test"
