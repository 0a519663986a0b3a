"""Import of legacy OK OCE / spreadsheet records (CSV or XLSX; layout in docs/IMPORT.md).

Rows are validated with the registration rules (validators.py). Valid rows are written in
batches with bulk operations, with django-simple-history rows for every insert and update;
an NIK that already exists is updated in place; a row that would change nothing writes
nothing, so re-running a file is a no-op. Invalid rows are reported with their line number.
"""

import csv
import datetime as dt
import io
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from facilities.models import Center, Kelurahan
from jakpreneur import spreadsheets
from registrations.models import Business, Enrollment, Entrepreneur, StatusChange, User
from registrations.validators import age_on, check_nik_consistency, normalize_phone, parse_nik, validate_nib

COLUMNS = (
    "legacy_id",
    "nik",
    "full_name",
    "birth_date",
    "gender",
    "phone",
    "email",
    "kelurahan_code",
    "address",
    "track",
    "business_name",
    "sector",
    "nib",
    "workers",
    "turnover_band",
    "started_year",
    "facilities_completed",
    "registered_date",
)
REQUIRED = ("nik", "full_name", "birth_date", "gender", "phone", "kelurahan_code", "address")
ENTREPRENEUR_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "phone",
    "email",
    "kelurahan_id",
    "kecamatan_id",
    "home_center_id",
    "address",
    "track",
)
BUSINESS_FIELDS = ("name", "sector", "nib", "workers", "turnover_band", "started_year")
FACILITY_CODES = {f"P{n}" for n in range(1, 8)}
IMPORT_REASON = "import"
DEFAULT_BATCH_SIZE = 2000
GENDER_ALIASES = {"l": "L", "laki-laki": "L", "laki laki": "L", "m": "L", "p": "P", "perempuan": "P", "f": "P"}
TRACK_ALIASES = {"pemula": "pemula", "naik_kelas": "naik_kelas", "naik kelas": "naik_kelas", "": "pemula"}
SECTORS = {value for value, _label in Business.Sector.choices}
TURNOVER_BANDS = {value for value, _label in Business.TurnoverBand.choices}


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, missing columns)."""


@dataclass
class RowError:
    line: int
    nik: str
    field: str
    message: str


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def valid(self) -> int:
        return self.created + self.updated + self.unchanged

    def error_report_csv(self) -> str:
        buffer = io.StringIO()
        writer = spreadsheets.csv_writer(buffer)  # the values echoed may be formula-like
        writer.writerow(["line", "nik", "field", "error"])
        for error in self.errors:
            writer.writerow([error.line, error.nik, error.field, error.message])
        return buffer.getvalue()


@dataclass
class CleanRow:
    line: int
    legacy_id: str | None
    nik: str
    full_name: str
    birth_date: dt.date
    gender: str
    phone: str
    email: str
    kelurahan_id: str
    kecamatan_id: str
    home_center_id: int
    address: str
    track: str
    business: dict | None
    facilities: list[str]
    registered_at: dt.datetime


# --- reading ---------------------------------------------------------------------------------


def _header_key(value) -> str:
    return str(value or "").strip().lower().replace(" ", "_").replace("-", "_")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(file, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, {column: text}) for each non-empty data row; line 1 is the header."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        yield from _read_xlsx(file)
    elif suffix == ".csv":
        yield from _read_csv(file)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))


def _check_header(header: list[str]) -> None:
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(
            _("The file has no column(s) %(columns)s. See docs/IMPORT.md for the layout.")
            % {"columns": ", ".join(missing)}
        )


def _read_csv(file) -> Iterator[tuple[int, dict[str, str]]]:
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="") if not isinstance(file, io.TextIOBase) else file
    try:
        sample = text.read(4096)
        text.seek(0)
    except UnicodeDecodeError:
        raise ImportFileError(_("The CSV file is not UTF-8 text.")) from None
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = [_header_key(h) for h in next(reader)]
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    except (UnicodeDecodeError, csv.Error):
        raise ImportFileError(_("The CSV file is not UTF-8 text.")) from None
    _check_header(header)
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            yield reader.line_num, {key: value.strip() for key, value in zip(header, values, strict=False)}
    except (UnicodeDecodeError, csv.Error) as error:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _read_xlsx(file) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a broken file
        raise ImportFileError(_("The XLSX file cannot be read.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        try:
            header = [_header_key(h) for h in next(rows)]
        except StopIteration:
            raise ImportFileError(_("The file is empty.")) from None
        _check_header(header)
        for line, values in enumerate(rows, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            yield line, {key: _cell(value) for key, value in zip(header, values, strict=False)}
    finally:
        workbook.close()


# --- validation ------------------------------------------------------------------------------


def _parse_date(value: str) -> dt.date:
    if len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


class RowValidator:
    """Validates one row at a time with the registration rules; keeps the small lookups
    (kelurahan → kecamatan and centre) in memory for the whole file."""

    def __init__(self, *, allowed_kecamatan: frozenset[str] | None = None, today: dt.date | None = None):
        centers = dict(Center.objects.values_list("kecamatan_id", "id"))
        self.kelurahan = {
            code: (kec, centers.get(kec)) for code, kec in Kelurahan.objects.values_list("code", "kecamatan_id")
        }
        self.allowed_kecamatan = allowed_kecamatan
        self.today = today or timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.minimum_age = settings.JAKPRENEUR_MINIMUM_AGE

    def clean(self, line: int, raw: dict[str, str]) -> CleanRow | list[RowError]:
        nik = raw.get("nik", "").replace(" ", "")
        errors: list[RowError] = []

        def error(field_name: str, message) -> None:
            errors.append(RowError(line=line, nik=nik, field=field_name, message=str(message)))

        for name in REQUIRED:
            if not raw.get(name, "").strip():
                error(name, _("This column is required."))
        if errors:
            return errors

        try:
            birth_date = _parse_date(raw["birth_date"])
        except ValueError:
            birth_date = None
            error("birth_date", _("Enter the date as YYYY-MM-DD."))
        gender = GENDER_ALIASES.get(raw["gender"].strip().lower())
        if gender is None:
            error("gender", _("Gender is L (laki-laki) or P (perempuan)."))
        try:
            if birth_date and gender:
                # Parses the NIK too (format, region, date, serial) before comparing.
                check_nik_consistency(nik, birth_date=birth_date, gender=gender)
            else:
                parse_nik(nik, today=self.today)
        except ValidationError as e:
            error("nik", " ".join(e.messages))
        try:
            phone = normalize_phone(raw["phone"])
        except ValidationError as e:
            phone = ""
            error("phone", e.messages[0])
        email = raw.get("email", "").strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                error("email", _("Enter a valid email address."))
        full_name = " ".join(raw["full_name"].split())
        if len(full_name) > 150:
            error("full_name", _("The name is longer than 150 characters."))
        address = raw["address"].strip()
        if len(address) > 255:
            error("address", _("The address is longer than 255 characters."))
        region = self.kelurahan.get(raw["kelurahan_code"].strip())
        if region is None:
            error("kelurahan_code", _("Unknown kelurahan code (use the Kemendagri code, e.g. 31.71.01.1001)."))
        elif region[1] is None:
            error("kelurahan_code", _("There is no JakPreneur centre for this kecamatan yet."))
        elif self.allowed_kecamatan is not None and region[0] not in self.allowed_kecamatan:
            error("kelurahan_code", _("This kelurahan is outside the kecamatan you manage."))
        track = TRACK_ALIASES.get(raw.get("track", "").strip().lower())
        if track is None:
            error("track", _("Track is pemula or naik_kelas."))

        registered_at = None
        if raw.get("registered_date", "").strip():
            try:
                registered_date = _parse_date(raw["registered_date"].strip())
            except ValueError:
                error("registered_date", _("Enter the date as YYYY-MM-DD."))
            else:
                if registered_date > self.today:
                    error("registered_date", _("The registration date is in the future."))
                registered_at = dt.datetime.combine(registered_date, dt.time(9, 0), tzinfo=self.tz)
        if birth_date and not errors:
            on = registered_at.date() if registered_at else self.today
            if age_on(birth_date, on) < self.minimum_age:
                error(
                    "birth_date",
                    _("Entrepreneurs register from the age of %(age)s.") % {"age": self.minimum_age},
                )

        facilities = []
        for code in raw.get("facilities_completed", "").replace(",", ";").split(";"):
            code = code.strip().upper()
            if not code:
                continue
            if code not in FACILITY_CODES:
                error("facilities_completed", _("Unknown facility %(code)s (use P1 to P7).") % {"code": code})
            elif code not in facilities:
                facilities.append(code)

        business = self._clean_business(raw, error)
        if errors:
            return errors
        kecamatan_id, center_id = region
        return CleanRow(
            line=line,
            legacy_id=raw.get("legacy_id", "").strip() or None,
            nik=nik,
            full_name=full_name,
            birth_date=birth_date,
            gender=gender,
            phone=phone,
            email=email,
            kelurahan_id=raw["kelurahan_code"].strip(),
            kecamatan_id=kecamatan_id,
            home_center_id=center_id,
            address=address,
            track=track,
            business=business,
            facilities=facilities,
            registered_at=registered_at,
        )

    def _clean_business(self, raw: dict[str, str], error: Callable) -> dict | None:
        name = raw.get("business_name", "").strip()
        sector = raw.get("sector", "").strip().lower()
        nib = raw.get("nib", "").replace(" ", "")
        workers_text = raw.get("workers", "").strip()
        turnover = raw.get("turnover_band", "").strip().lower()
        started = raw.get("started_year", "").strip()
        if not any((name, sector, nib, workers_text, turnover, started)):
            return None
        if len(name) > 150:
            error("business_name", _("The business name is longer than 150 characters."))
        if sector and sector not in SECTORS:
            error("sector", _("Unknown sector %(value)s.") % {"value": sector})
        if nib:
            try:
                validate_nib(nib)
            except ValidationError as e:
                error("nib", e.messages[0])
        workers = 0
        if workers_text:
            try:
                workers = int(workers_text)
                if workers < 0:
                    raise ValueError
            except ValueError:
                error("workers", _("Workers is a whole number."))
        if turnover and turnover not in TURNOVER_BANDS:
            error("turnover_band", _("Unknown turnover band %(value)s.") % {"value": turnover})
        started_year = None
        if started:
            try:
                started_year = int(started)
                if not 1900 <= started_year <= self.today.year:
                    raise ValueError
            except ValueError:
                error("started_year", _("Year started is a year between 1900 and this year."))
        return {
            "name": name,
            "sector": sector or Business.Sector.OTHER,
            "nib": nib,
            "workers": workers,
            "turnover_band": turnover or Business.TurnoverBand.NONE,
            "started_year": started_year,
        }


# --- writing ---------------------------------------------------------------------------------


def import_entrepreneurs(
    *,
    file,
    filename: str,
    actor: User | None = None,
    dry_run: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    allowed_kecamatan: frozenset[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate and import a legacy file; returns counts and the per-line errors.

    `allowed_kecamatan` (None = all) refuses rows of other kecamatan. With `dry_run` nothing
    is written, but created/updated/unchanged are still counted against the database.
    """
    result = ImportResult(dry_run=dry_run)
    validator = RowValidator(allowed_kecamatan=allowed_kecamatan)
    seen_niks: dict[str, int] = {}
    seen_legacy: dict[str, int] = {}
    batch: list[CleanRow] = []
    for line, raw in read_rows(file, filename):
        result.total += 1
        cleaned = validator.clean(line, raw)
        if isinstance(cleaned, list):
            result.errors.extend(cleaned)
        elif cleaned.nik in seen_niks:
            result.errors.append(
                RowError(line, cleaned.nik, "nik", _("Same NIK as line %(line)s.") % {"line": seen_niks[cleaned.nik]})
            )
        elif cleaned.legacy_id and cleaned.legacy_id in seen_legacy:
            result.errors.append(
                RowError(
                    line,
                    cleaned.nik,
                    "legacy_id",
                    _("Same legacy id as line %(line)s.") % {"line": seen_legacy[cleaned.legacy_id]},
                )
            )
        else:
            seen_niks[cleaned.nik] = line
            if cleaned.legacy_id:
                seen_legacy[cleaned.legacy_id] = line
            batch.append(cleaned)
        if len(batch) >= batch_size:
            _write_batch(batch, result=result, actor=actor, dry_run=dry_run)
            batch = []
            if progress:
                progress(result.total)
    if batch:
        _write_batch(batch, result=result, actor=actor, dry_run=dry_run)
    if progress:
        progress(result.total)
    result.errors.sort(key=lambda e: e.line)
    return result


def _write_batch(rows: list[CleanRow], *, result: ImportResult, actor: User | None, dry_run: bool) -> None:
    with transaction.atomic():
        if connection.vendor == "postgresql" and not dry_run:
            # An import is idempotent: should the server crash right after a commit, running
            # the file again redoes the batch, so the commit need not wait for the WAL flush.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        existing = {
            e.nik: e for e in Entrepreneur.objects.filter(nik__in=[r.nik for r in rows]).select_related("business")
        }
        legacy_ids = [r.legacy_id for r in rows if r.legacy_id]
        legacy_owner = (
            dict(Entrepreneur.objects.filter(legacy_id__in=legacy_ids).values_list("legacy_id", "nik"))
            if legacy_ids
            else {}
        )
        accepted = []
        for row in rows:
            owner = legacy_owner.get(row.legacy_id) if row.legacy_id else None
            if owner is not None and owner != row.nik:
                result.errors.append(
                    RowError(row.line, row.nik, "legacy_id", _("This legacy id belongs to another NIK."))
                )
                continue
            accepted.append(row)

        completed = _completed_facilities([e.pk for e in existing.values()])
        open_enrollments = _open_enrollments([e.pk for e in existing.values()])
        now = timezone.now()
        actor_id = actor.pk if actor and actor.pk else None

        new_entrepreneurs: list[dict] = []
        new_rows: list[CleanRow] = []
        changed_entrepreneurs, changed_fields = [], set()
        new_businesses: list[dict] = []
        changed_businesses, changed_business_fields = [], set()
        # (row, entrepreneur id, home centre id, facility code)
        wanted_completions: list[tuple[CleanRow, int, int, str]] = []

        for row in accepted:
            current = existing.get(row.nik)
            if current is None:
                new_rows.append(row)
                new_entrepreneurs.append(
                    {
                        "nik": row.nik,
                        "legacy_id": row.legacy_id,
                        "full_name": row.full_name,
                        "birth_date": row.birth_date,
                        "gender": row.gender,
                        "phone": row.phone,
                        "email": row.email,
                        "kelurahan_id": row.kelurahan_id,
                        "kecamatan_id": row.kecamatan_id,
                        "home_center_id": row.home_center_id,
                        "address": row.address,
                        "track": row.track,
                        "status": Entrepreneur.Status.VERIFIED,
                        "status_changed_at": now,
                        "status_changed_by_id": actor_id,
                        "status_reason": IMPORT_REASON,
                        "source": Entrepreneur.Source.IMPORT,
                        "registered_at": row.registered_at or now,
                        "updated_at": now,
                    }
                )
                result.created += 1
                continue

            row_changed = False
            fields = [name for name in ENTREPRENEUR_FIELDS if getattr(current, name) != getattr(row, name)]
            if row.legacy_id and current.legacy_id != row.legacy_id:
                fields.append("legacy_id")
            if fields:
                for name in fields:
                    setattr(current, name, getattr(row, name))
                current.updated_at = now
                changed_entrepreneurs.append(current)
                changed_fields.update(fields)
                row_changed = True
            if row.business is not None:
                business = getattr(current, "business", None)
                if business is None:
                    new_businesses.append({"entrepreneur_id": current.pk, "updated_at": now, **row.business})
                    row_changed = True
                else:
                    b_fields = [name for name in BUSINESS_FIELDS if getattr(business, name) != row.business[name]]
                    if b_fields:
                        for name in b_fields:
                            setattr(business, name, row.business[name])
                        business.updated_at = now
                        changed_businesses.append(business)
                        changed_business_fields.update(b_fields)
                        row_changed = True
            for code in row.facilities:
                if code not in completed.get(current.pk, ()):
                    wanted_completions.append((row, current.pk, current.home_center_id, code))
                    row_changed = True
            if row_changed:
                result.updated += 1
            else:
                result.unchanged += 1

        if dry_run:
            return

        history = {"actor": actor, "actor_id": actor_id, "now": now}
        new_ids = _insert(Entrepreneur, new_entrepreneurs, **history)
        for row, entrepreneur_id in zip(new_rows, new_ids, strict=True):
            if row.business is not None:
                new_businesses.append({"entrepreneur_id": entrepreneur_id, "updated_at": now, **row.business})
            codes = row.facilities if "P1" in row.facilities else ["P1", *row.facilities]
            wanted_completions.extend((row, entrepreneur_id, row.home_center_id, code) for code in codes)
        if changed_entrepreneurs:
            bulk_update_with_history(
                changed_entrepreneurs,
                Entrepreneur,
                [*sorted(changed_fields), "updated_at"],
                default_user=actor,
                default_change_reason=IMPORT_REASON,
            )
        _insert(Business, new_businesses, **history)
        if changed_businesses:
            bulk_update_with_history(
                changed_businesses,
                Business,
                [*sorted(changed_business_fields), "updated_at"],
                default_user=actor,
                default_change_reason=IMPORT_REASON,
            )
        _record_completions(wanted_completions, open_enrollments=open_enrollments, new_ids=new_ids, **history)


# --- bulk inserts: COPY on PostgreSQL, bulk_create elsewhere -------------------------------------


def _insert(model, rows: list[dict], *, actor, actor_id, now, with_history: bool = True) -> list[int]:
    """Insert rows (dicts of attname → value) with one history row each ("+", reason
    "import"); returns the new ids in order.

    On PostgreSQL the ids come from the table's sequence and the rows go in with COPY (the
    ORM's per-value preparation costs more than the database's work at this volume); on other
    databases bulk_create and django-simple-history's bulk helper do the same.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**row) for row in rows]
        if with_history:
            created = bulk_create_with_history(
                objs, model, batch_size=500, default_user=actor, default_change_reason=IMPORT_REASON
            )
        else:
            created = model._default_manager.bulk_create(objs, batch_size=500)
        return [obj.pk for obj in created]

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk
        # The history row repeats the row's own columns (less the excluded ones) and adds
        # four constants: the values are gathered once, as tuples, for both COPYs.
        history_columns = {f.attname for f in model.history.model._meta.concrete_fields} if with_history else set()
        fields = model._meta.concrete_fields
        shared = [f for f in fields if not with_history or f.attname in history_columns]
        own = [f for f in fields if f not in shared]  # e.g. updated_at, not kept in history
        defaults = {f.attname: f.get_default() for f in shared}
        pick = operator.itemgetter(*[f.attname for f in shared])
        values = [pick({**defaults, **row}) for row in rows]
        # Columns outside the history (updated_at) hold the same value in every row here.
        own_values = tuple(rows[0].get(f.attname, f.get_default()) for f in own)
        _copy(cursor, model, [*shared, *own], values, own_values)
        if with_history:
            history = model.history.model._meta
            extra = (now, IMPORT_REASON, "+", actor_id)
            history_fields = [history.get_field(f.name) for f in shared]
            history_fields += [
                history.get_field(name)
                for name in ("history_date", "history_change_reason", "history_type", "history_user")
            ]
            _copy(cursor, model.history.model, history_fields, values, extra)
    return ids


def _copy(cursor, model, fields: list, values: list[tuple], suffix: tuple = ()) -> None:
    """COPY rows (tuples of the fields' values, each followed by `suffix`) into the model's
    table, in CSV format: the csv module formats the values in C. An empty unquoted field is
    NULL in PostgreSQL's CSV, so the NOT NULL columns are listed in FORCE_NOT_NULL to read it
    as an empty string."""
    # The same value on every line: format it once (str() of a datetime costs per call).
    suffix = tuple(value.isoformat() if isinstance(value, dt.datetime) else value for value in suffix)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([row + suffix for row in values] if suffix else values)
    buffer.seek(0)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    not_null = ", ".join(quote(f.column) for f in fields if not f.null)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))"
    raw = cursor.cursor
    if hasattr(raw, "copy_expert"):  # psycopg2
        raw.copy_expert(sql, buffer)
    else:  # psycopg 3
        with raw.copy(sql) as copy:
            copy.write(buffer.getvalue())


def _completed_facilities(entrepreneur_ids: list[int]) -> dict[int, set[str]]:
    completed: dict[int, set[str]] = {}
    if entrepreneur_ids:
        for entrepreneur_id, code in (
            Enrollment.objects.completed()
            .filter(entrepreneur_id__in=entrepreneur_ids)
            .values_list("entrepreneur_id", "facility_id")
        ):
            completed.setdefault(entrepreneur_id, set()).add(code)
    return completed


def _open_enrollments(entrepreneur_ids: list[int]) -> dict[tuple[int, str], Enrollment]:
    if not entrepreneur_ids:
        return {}
    return {
        (e.entrepreneur_id, e.facility_id): e
        for e in Enrollment.objects.open().filter(entrepreneur_id__in=entrepreneur_ids)
    }


def _record_completions(wanted, *, open_enrollments, new_ids, actor, actor_id, now) -> None:
    """Legacy files list the facilities someone completed but not when: the registration
    date stands in for the completion date."""
    to_create, to_complete, logs = [], [], []
    for row, entrepreneur_id, center_id, code in wanted:
        when = row.registered_at or now
        current = open_enrollments.get((entrepreneur_id, code))
        if current is not None:
            logs.append(
                {
                    "entrepreneur_id": entrepreneur_id,
                    "enrollment_id": current.pk,
                    "from_status": current.state,
                    "to_status": Enrollment.State.COMPLETED,
                    "changed_by_id": actor_id,
                    "changed_at": now,
                    "reason": IMPORT_REASON,
                }
            )
            current.state = Enrollment.State.COMPLETED
            current.completed_at = when
            current.started_at = current.started_at or when
            current.updated_at = now
            to_complete.append(current)
            continue
        to_create.append(
            {
                "entrepreneur_id": entrepreneur_id,
                "facility_id": code,
                "center_id": center_id,
                "state": Enrollment.State.COMPLETED,
                "requested_at": when,
                "started_at": when,
                "completed_at": when,
                "handled_by_id": actor_id,
                "updated_at": now,
            }
        )
    if to_complete:
        bulk_update_with_history(
            to_complete,
            Enrollment,
            ["state", "completed_at", "started_at", "updated_at"],
            default_user=actor,
            default_change_reason=IMPORT_REASON,
        )
    history = {"actor": actor, "actor_id": actor_id, "now": now}
    created_ids = _insert(Enrollment, to_create, **history)
    logs.extend(
        {
            "entrepreneur_id": enrollment["entrepreneur_id"],
            "enrollment_id": pk,
            "from_status": "",
            "to_status": Enrollment.State.COMPLETED,
            "changed_by_id": actor_id,
            "changed_at": now,
            "reason": f"{IMPORT_REASON} {enrollment['facility_id']}",
        }
        for enrollment, pk in zip(to_create, created_ids, strict=True)
    )
    logs.extend(
        {
            "entrepreneur_id": pk,
            "enrollment_id": None,
            "from_status": "",
            "to_status": Entrepreneur.Status.VERIFIED,
            "changed_by_id": actor_id,
            "changed_at": now,
            "reason": IMPORT_REASON,
        }
        for pk in new_ids
    )
    _insert(StatusChange, logs, with_history=False, **history)
