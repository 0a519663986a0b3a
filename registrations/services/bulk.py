"""The legacy import's write: one validated batch of people in one transaction.

This is the bulk path next to the per-person services (people.py): what the importer
(registrations/imports/) read and validated with the rules goes in here, and nowhere else.
A new NIK becomes a verified entrepreneur (source "import") with P1 and the listed
facilities completed on the registration date; a known NIK is updated in place; a row that
would change nothing writes nothing, so importing a file twice is a no-op. Every insert and
update writes its django-simple-history row (the importer, reason "import") and every new
status a StatusChange row, as the per-person services do.

On PostgreSQL new rows and their history rows go in with COPY (inserts.py, ids reserved from
the sequences in one query): at 100,000 people the ORM's per-value preparation would cost
more than the database's work. Elsewhere bulk_create does the same (docs/PERFORMANCE.md,
"Import").
"""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from registrations import moves
from registrations.models import Business, Enrollment, Entrepreneur, StatusChange, User
from registrations.selectors import kecamatan_codes_for
from registrations.services.data import OUT_OF_SCOPE_MESSAGE, ImportRow
from registrations.services.inserts import IMPORT_REASON, insert_rows
from registrations.services.privacy import ERASED_MESSAGE, erased_niks

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


@dataclass
class BatchOutcome:
    """What a batch did (or, in a dry run, would do), and the rows it refused."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[ImportRow, str, str, str]] = field(default_factory=list)  # row, field, code, message


def entrepreneurs_import_batch(*, rows: list[ImportRow], actor: User | None, dry_run: bool = False) -> BatchOutcome:
    """Write one batch of validated import rows in one transaction (nothing in a dry run,
    which still counts what would be created, updated and left unchanged). The rows are
    ImportRow.checked()'s: the rules passed on them. A row whose legacy id belongs to another
    NIK is refused, and so is a row outside the actor's kecamatan (`actor` None: the system)."""
    if not all(row.rules_checked for row in rows):
        raise TypeError("entrepreneurs_import_batch takes rows made by ImportRow.checked().")
    result = BatchOutcome()
    with transaction.atomic():
        if connection.vendor == "postgresql" and not dry_run:
            # An import is idempotent: should the server crash right after a commit, running
            # the file again redoes the batch, so the commit need not wait for the WAL flush.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        existing = _known_people([r.nik for r in rows])
        legacy_ids = [r.legacy_id for r in rows if r.legacy_id]
        legacy_owner = (
            dict(Entrepreneur.objects.filter(legacy_id__in=legacy_ids).values_list("legacy_id", "nik"))
            if legacy_ids
            else {}
        )
        # Staff import the people of their kecamatan only: a row living elsewhere, or the NIK
        # of someone registered elsewhere, is refused (the importer's RowValidator checks the
        # first; this is the service's own check of both).
        codes = None if actor is None else kecamatan_codes_for(actor)
        # People erased at their request stay erased: an old sheet does not bring them back.
        erased = erased_niks(row.nik for row in rows if row.nik not in existing)
        accepted = []
        for row in rows:
            current = existing.get(row.nik)
            if current is None and row.nik in erased:
                result.refused.append((row, "nik", "erased", str(ERASED_MESSAGE)))
                continue
            if codes is not None and (
                row.kecamatan_id not in codes or (current is not None and current["kecamatan_id"] not in codes)
            ):
                result.refused.append((row, "kelurahan", "out_of_scope", str(OUT_OF_SCOPE_MESSAGE)))
                continue
            owner = legacy_owner.get(row.legacy_id) if row.legacy_id else None
            if owner is not None and owner != row.nik:
                result.refused.append(
                    (row, "legacy_id", "legacy_id_taken", _("This legacy id belongs to another NIK."))
                )
                continue
            accepted.append(row)

        completed, open_enrollments = _enrollments_of([e["pk"] for e in existing.values()])
        now = timezone.now()
        actor_id = actor.pk if actor and actor.pk else None

        new_entrepreneurs: list[dict] = []
        new_rows: list[ImportRow] = []
        # id → {field: new value}, for the people and businesses the file changes
        changed_entrepreneurs: dict[int, dict] = {}
        new_businesses: list[dict] = []
        changed_businesses: dict[int, dict] = {}
        # (row, entrepreneur id, home centre id, facility code)
        wanted_completions: list[tuple[ImportRow, int, int, str]] = []

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

            changes = {name: getattr(row, name) for name in ENTREPRENEUR_FIELDS if current[name] != getattr(row, name)}
            if row.legacy_id and current["legacy_id"] != row.legacy_id:
                changes["legacy_id"] = row.legacy_id
            if changes:
                changed_entrepreneurs[current["pk"]] = changes
            row_changed = bool(changes)
            business = current["business"]
            if row.business is not None and business is None:
                new_businesses.append({"entrepreneur_id": current["pk"], "updated_at": now, **vars(row.business)})
                row_changed = True
            elif row.business is not None:
                changes = {
                    name: getattr(row.business, name)
                    for name in BUSINESS_FIELDS
                    if business[name] != getattr(row.business, name)
                }
                if changes:
                    changed_businesses[business["pk"]] = changes
                    row_changed = True
            for code in row.facilities:
                if code not in completed.get(current["pk"], ()):
                    wanted_completions.append((row, current["pk"], current["home_center_id"], code))
                    row_changed = True
            if row_changed:
                result.updated += 1
            else:
                result.unchanged += 1

        if dry_run:
            return result

        history = {"actor": actor, "actor_id": actor_id, "now": now}
        new_ids = insert_rows(Entrepreneur, new_entrepreneurs, **history)
        for row, entrepreneur_id in zip(new_rows, new_ids, strict=True):
            if row.business is not None:
                new_businesses.append({"entrepreneur_id": entrepreneur_id, "updated_at": now, **vars(row.business)})
            codes = row.facilities if "P1" in row.facilities else ["P1", *row.facilities]
            wanted_completions.extend((row, entrepreneur_id, row.home_center_id, code) for code in codes)
        _update(Entrepreneur, changed_entrepreneurs, actor=actor, now=now)
        # People the file moves to another kecamatan: the other apps' copies follow them.
        moves.kecamatan_changed(
            {pk: change["kecamatan_id"] for pk, change in changed_entrepreneurs.items() if "kecamatan_id" in change}
        )
        insert_rows(Business, new_businesses, **history)
        _update(Business, changed_businesses, actor=actor, now=now)
        _record_completions(wanted_completions, open_enrollments=open_enrollments, new_ids=new_ids, **history)
    return result


def _known_people(niks: list[str]) -> dict[str, dict]:
    """The entrepreneurs of these NIKs (with their business, or None) as plain values: a
    re-run of a file changes few of them, and instances are made for those only."""
    person_fields = ("pk", "nik", "legacy_id", *ENTREPRENEUR_FIELDS)
    business_fields = ("pk", *BUSINESS_FIELDS)
    columns = [*person_fields, *(f"business__{name}" for name in business_fields)]
    known = {}
    for values in Entrepreneur.objects.filter(nik__in=niks).values_list(*columns):
        person = dict(zip(person_fields, values, strict=False))
        business = values[len(person_fields) :]
        person["business"] = dict(zip(business_fields, business, strict=True)) if business[0] is not None else None
        known[person["nik"]] = person
    return known


def _update(model, changes: dict[int, dict], *, actor, now) -> None:
    """Apply {id: {field: value}} with one history row per changed row (reason "import")."""
    if not changes:
        return
    objs = model._default_manager.in_bulk(list(changes))
    fields = set()
    for pk, values in changes.items():
        for name, value in values.items():
            setattr(objs[pk], name, value)
        objs[pk].updated_at = now
        fields.update(values)
    bulk_update_with_history(
        list(objs.values()),
        model,
        [*sorted(fields), "updated_at"],
        default_user=actor,
        default_change_reason=IMPORT_REASON,
    )


def _enrollments_of(entrepreneur_ids: list[int]) -> tuple[dict[int, set[str]], dict[tuple[int, str], int]]:
    """The facilities each entrepreneur completed, and the ids of their open enrolments by
    (entrepreneur, facility), in one query."""
    completed: dict[int, set[str]] = {}
    open_ids: dict[tuple[int, str], int] = {}
    if entrepreneur_ids:
        states = [Enrollment.State.COMPLETED, *Enrollment.OPEN_STATES]
        for pk, entrepreneur_id, code, state in Enrollment.objects.filter(
            entrepreneur_id__in=entrepreneur_ids, state__in=states
        ).values_list("pk", "entrepreneur_id", "facility_id", "state"):
            if state == Enrollment.State.COMPLETED:
                completed.setdefault(entrepreneur_id, set()).add(code)
            else:
                open_ids[entrepreneur_id, code] = pk
    return completed, open_ids


def _record_completions(wanted, *, open_enrollments, new_ids, actor, actor_id, now) -> None:
    """Legacy files list the facilities someone completed but not when: the registration
    date stands in for the completion date."""
    to_create, to_complete, logs = [], [], []
    # The open enrolments to complete, loaded whole: their history rows copy every field.
    open_ids = [open_enrollments[e, code] for _row, e, _center, code in wanted if (e, code) in open_enrollments]
    opened = Enrollment.objects.in_bulk(open_ids) if open_ids else {}
    for row, entrepreneur_id, center_id, code in wanted:
        when = row.registered_at or now
        current = opened.get(open_enrollments.get((entrepreneur_id, code)))
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
    created_ids = insert_rows(Enrollment, to_create, **history)
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
    insert_rows(StatusChange, logs, with_history=False, **history)
