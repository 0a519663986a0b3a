"""The bank's decision file for a referral batch (CSV or XLSX), read and checked line by line.

Columns (header names, any order, case-insensitive): `reference` (JP7-0000123), `decision`
(approved / rejected, or disetujui / ditolak), `approved_amount` (optional: the requested
amount when empty), `reason`, and optionally `disbursed_amount` with `disbursed_on`
(YYYY-MM-DD or DD/MM/YYYY).

This module only reads and plans: `read_decision_file` turns the upload into lines (or
refuses the whole file: a type it lies about, NUL bytes, a file cut short, no header),
`plan` says per line what would change and which lines are wrong, against the
applications' current state. `financing.services.batch_decisions_apply` plans again under
lock and writes every change or none (all-or-nothing). A line whose change is already
recorded is "unchanged", so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from financing import rules
from financing.models import REFERENCE_PREFIX, FinancingApplication
from jakpreneur import spreadsheets

COLUMNS = ("reference", "decision", "approved_amount", "reason", "disbursed_amount", "disbursed_on")
REQUIRED = ("reference", "decision")
DECISIONS = {"approved": True, "disetujui": True, "setuju": True, "rejected": False, "ditolak": False, "tolak": False}
MAX_LINES = 5000
MAX_BYTES = 5 * 1024 * 1024
REASON_MAX = 1000
_REFERENCE = re.compile(rf"^{REFERENCE_PREFIX}([0-9]{{1,12}})$", re.IGNORECASE)
_XLSX_MAGIC = b"PK\x03\x04"

Status = FinancingApplication.Status


class DecisionFileError(Exception):
    """The file as a whole cannot be used; nothing is read from it."""


@dataclass
class DecisionLine:
    line: int
    reference: str = ""
    application_id: int | None = None
    approved: bool | None = None
    approved_amount: Decimal | None = None
    reason: str = ""
    disbursed_amount: Decimal | None = None
    disbursed_on: dt.date | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class PlannedLine:
    line: int
    reference: str
    outcome: str  # "approve", "reject", "disburse", "approve+disburse", "unchanged", "error"
    message: str = ""


@dataclass
class DecisionPlan:
    lines: list[PlannedLine] = field(default_factory=list)
    work: list[tuple[DecisionLine, bool, bool]] = field(default_factory=list)  # (line, decide, disburse)

    @property
    def errors(self) -> list[PlannedLine]:
        return [line for line in self.lines if line.outcome == "error"]

    @property
    def changes(self) -> int:
        return sum(1 for _line, decide, disburse in self.work if decide or disburse)


# --- reading ------------------------------------------------------------------------------------


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_decision_file(data: bytes, filename: str) -> list[DecisionLine]:
    """The data lines of an uploaded file, each parsed (with its own errors), or
    DecisionFileError for a file that cannot be used at all."""
    if not data:
        raise DecisionFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise DecisionFileError(_("The file is larger than 5 MB."))
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".xlsx":
        if not data.startswith(_XLSX_MAGIC):
            raise DecisionFileError(_("This file is named .xlsx but is not an XLSX workbook."))
        header, rows = _xlsx_rows(data)
    elif suffix == ".csv":
        if data.startswith(_XLSX_MAGIC) or b"\x00" in data:
            raise DecisionFileError(_("This file is named .csv but is not a text file."))
        header, rows = _csv_rows(data)
    else:
        raise DecisionFileError(_("Upload a .csv or .xlsx file."))
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise DecisionFileError(
            _("The file has no column(s) %(columns)s. Expected: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        )
    lines = []
    for number, values in rows:
        if len(lines) >= MAX_LINES:
            raise DecisionFileError(_("A decision file has at most %(n)s lines.") % {"n": MAX_LINES})
        lines.append(_parse_line(number, dict(zip(header, values, strict=False))))
    if not lines:
        raise DecisionFileError(_("The file has a header but no decisions."))
    return lines


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DecisionFileError(_("The CSV file is not UTF-8 text.")) from None
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [spreadsheets.header_key(h) for h in next(reader)]
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) < len(header) and reader.line_num == _last_line(text):
                raise DecisionFileError(
                    _("The last line has fewer columns than the header: the file seems cut off. Nothing was read.")
                )
            rows.append((reader.line_num, [v.strip() for v in values]))
    except StopIteration:
        raise DecisionFileError(_("The file is empty.")) from None
    except csv.Error:
        raise DecisionFileError(
            _("The CSV file is cut off or malformed (an unclosed quote?). Nothing was read.")
        ) from None
    return header, rows


def _last_line(text: str) -> int:
    return len(text.rstrip("\r\n").splitlines())


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, EOFError):
        raise DecisionFileError(_("The XLSX file cannot be read (cut off or damaged). Nothing was read.")) from None
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a broken file
        raise DecisionFileError(_("The XLSX file cannot be read (cut off or damaged). Nothing was read.")) from None
    try:
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        try:
            header = [spreadsheets.header_key(h) for h in next(iterator)]
        except StopIteration:
            raise DecisionFileError(_("The file is empty.")) from None
        rows = []
        for number, values in enumerate(iterator, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            rows.append((number, [_xlsx_cell(v) for v in values]))
    except DecisionFileError:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet fails while it is read
        raise DecisionFileError(_("The XLSX file cannot be read (cut off or damaged). Nothing was read.")) from None
    finally:
        workbook.close()
    return header, rows


def _xlsx_cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, dt.date)):
        return value if isinstance(value, dt.date) else str(value)
    return str(value).strip()


def _parse_date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _parse_line(number: int, raw: dict) -> DecisionLine:
    line = DecisionLine(line=number)
    texts = {name: raw.get(name, "") for name in COLUMNS}
    for name, value in texts.items():
        if isinstance(value, str) and rules.has_hidden_characters(value):
            line.errors.append(_("%(column)s contains control or invisible characters.") % {"column": name})
    if line.errors:
        return line
    line.reference = str(texts["reference"]).strip().upper()
    match = _REFERENCE.match(line.reference)
    if not match:
        line.errors.append(_("reference: not an application reference (like JP7-0000123)."))
    else:
        line.application_id = int(match.group(1))
    decision = str(texts["decision"]).strip().lower()
    if decision not in DECISIONS:
        line.errors.append(_("decision: write approved or rejected."))
    else:
        line.approved = DECISIONS[decision]
    line.reason = str(texts["reason"]).strip()
    if len(line.reason) > REASON_MAX:
        line.errors.append(_("reason: at most %(n)s characters.") % {"n": REASON_MAX})
    for name in ("approved_amount", "disbursed_amount"):
        value = str(texts[name]).strip()
        if value:
            try:
                setattr(line, name, rules.parse_rupiah(value))
            except ValidationError as error:
                line.errors.append(f"{name}: {' '.join(error.messages)}")
    if texts["disbursed_on"] not in ("", None):
        try:
            line.disbursed_on = _parse_date(texts["disbursed_on"])
        except ValueError:
            line.errors.append(_("disbursed_on: write the date as YYYY-MM-DD."))
    if (line.disbursed_amount is None) != (line.disbursed_on is None) and not line.errors:
        line.errors.append(_("disbursed_amount and disbursed_on go together."))
    if line.approved is False and (line.approved_amount or line.disbursed_amount):
        line.errors.append(_("A rejected application has no approved or disbursed amount."))
    return line


# --- planning ---------------------------------------------------------------------------------


def plan(
    batch, lines: list[DecisionLine], *, applications: dict[int, FinancingApplication] | None = None
) -> DecisionPlan:
    """What importing these lines into `batch` would do, line by line (nothing is written)."""
    if applications is None:
        ids = [line.application_id for line in lines if line.application_id]
        applications = {a.pk: a for a in FinancingApplication.objects.filter(pk__in=ids).select_related("product")}
    result = DecisionPlan()
    seen: dict[int, int] = {}
    for line in lines:
        errors = list(line.errors)
        application = applications.get(line.application_id) if line.application_id else None
        if not errors and application is None:
            errors.append(_("No application %(ref)s.") % {"ref": line.reference})
        elif not errors and application.batch_id != batch.pk:
            errors.append(_("%(ref)s is not in this batch.") % {"ref": line.reference})
        if not errors and line.application_id in seen:
            errors.append(
                _("%(ref)s is already on line %(line)s.") % {"ref": line.reference, "line": seen[line.application_id]}
            )
        if line.application_id:
            seen.setdefault(line.application_id, line.line)
        if not errors:
            outcome, decide, disburse, problem = _against_state(application, line)
            if problem:
                errors.append(problem)
        if errors:
            result.lines.append(PlannedLine(line.line, line.reference, "error", " ".join(errors)))
            continue
        result.lines.append(PlannedLine(line.line, line.reference, outcome))
        result.work.append((line, decide, disburse))
    return result


def _against_state(application: FinancingApplication, line: DecisionLine) -> tuple[str, bool, bool, str]:
    """(outcome, decide?, disburse?, problem) of one valid line against the application."""
    status = application.status
    approved_amount = line.approved_amount if line.approved_amount is not None else application.amount
    wants_disbursement = line.disbursed_amount is not None
    if status == Status.REFERRED:
        if not line.approved:
            return "reject", True, False, ""
        if approved_amount > application.product.max_amount:
            return (
                "",
                False,
                False,
                _("The approved amount is above the product's limit of %(max)s.")
                % {"max": rules.rupiah(application.product.max_amount)},
            )
        if wants_disbursement and line.disbursed_amount > approved_amount:
            return "", False, False, _("The disbursed amount is above the approved amount.")
        return ("approve+disburse" if wants_disbursement else "approve"), True, wants_disbursement, ""
    if status == Status.REJECTED:
        if line.approved is False:
            return "unchanged", False, False, ""
        return "", False, False, _("%(ref)s was already rejected.") % {"ref": application.reference}
    if status in (Status.APPROVED, *FinancingApplication.DISBURSED_STATUSES):
        if line.approved is False or approved_amount != application.approved_amount:
            return (
                "",
                False,
                False,
                _("%(ref)s was already approved for %(amount)s.")
                % {
                    "ref": application.reference,
                    "amount": rules.rupiah(application.approved_amount or 0),
                },
            )
        if status == Status.APPROVED:
            if wants_disbursement:
                if line.disbursed_amount > application.approved_amount:
                    return "", False, False, _("The disbursed amount is above the approved amount.")
                return "disburse", False, True, ""
            return "unchanged", False, False, ""
        if wants_disbursement and (
            line.disbursed_amount != application.disbursed_amount or line.disbursed_on != application.disbursed_on
        ):
            return (
                "",
                False,
                False,
                _("%(ref)s was already disbursed (%(amount)s on %(date)s).")
                % {
                    "ref": application.reference,
                    "amount": rules.rupiah(application.disbursed_amount or 0),
                    "date": application.disbursed_on,
                },
            )
        return "unchanged", False, False, ""
    return (
        "",
        False,
        False,
        _("%(ref)s is %(status)s: the bank cannot decide on it.")
        % {
            "ref": application.reference,
            "status": application.get_status_display(),
        },
    )
