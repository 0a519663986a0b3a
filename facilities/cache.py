"""Reference data read on every public form and every /me/ page (the 267 kelurahan with
their kecamatan and kota, the 44 centres, the facilities P1–P7), kept in process memory and
invalidated on change.

Each process keeps its own copy of the rows, tagged with a *generation*, a token held in
Django's shared cache (Redis in production). A copy is used as it is for
`CHECK_SECONDS`; after that the process reads the token (one small cache read per second at
most) and rebuilds its copy from the database if the token changed. Saving or deleting a
Kota, Kecamatan, Kelurahan, Center or Facility, and every `migrate` (data migrations write
with bulk_create, which sends no signals), sets a new token, at once and again after the
transaction commits: every process sees the change within `CHECK_SECONDS`, the one that made
it at once. Writes that bypass the ORM's signals (`QuerySet.update`, raw SQL) need
`invalidate()`. With the shared cache down (Redis unreachable) the token cannot be read and
every check rebuilds from the database, as before the cache existed.

Readers get fresh instances built from the cached values (not saved, not `adding`), so a
caller may change its own copy without touching anyone else's.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction

from facilities.models import Center, Facility, Kecamatan, Kelurahan, Kota

CHECK_SECONDS = 1.0
MODELS = (Kota, Kecamatan, Kelurahan, Center, Facility)

_FACILITY_FIELDS = tuple(field.attname for field in Facility._meta.concrete_fields)
_CENTER_FIELDS = tuple(field.attname for field in Center._meta.concrete_fields)


@dataclass
class _Copy:
    generation: str
    checked_at: float
    value: object


_copies: dict[str, _Copy] = {}
_lock = threading.Lock()


def _generation_key() -> str:
    # The prefix is a setting so that tests can give each test its own generation.
    return f"{getattr(settings, 'REFERENCE_CACHE_PREFIX', 'ref:')}generation"


def _current_generation() -> str:
    key = _generation_key()
    generation = cache.get(key)
    if generation is None:
        # First reader since the cache was emptied (or the cache is down: then `add` fails,
        # the next reader draws another token and rebuilds again, which is the safe side).
        cache.add(key, uuid.uuid4().hex, None)
        generation = cache.get(key) or uuid.uuid4().hex
    return generation


def _cached(name: str, build):
    now = time.monotonic()
    copy = _copies.get(name)
    if copy is not None and now - copy.checked_at < CHECK_SECONDS:
        return copy.value
    generation = _current_generation()
    if copy is not None and copy.generation == generation:
        copy.checked_at = now
        return copy.value
    value = build()
    with _lock:
        _copies[name] = _Copy(generation=generation, checked_at=now, value=value)
    return value


def _loaded(model, values: dict):
    """An instance that behaves like one read from the database (not `adding`)."""
    instance = model(**values)
    instance._state.adding = False
    instance._state.db = DEFAULT_DB_ALIAS
    return instance


# --- regions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KelurahanRow:
    code: str
    name: str
    kecamatan_code: str
    kecamatan_name: str
    kota_code: str
    kota_name: str
    kota_short_name: str


@dataclass(frozen=True)
class _Regions:
    rows: tuple[KelurahanRow, ...]
    by_kelurahan: dict[str, KelurahanRow]
    by_kecamatan: dict[str, KelurahanRow]
    # For the grouped <select>: ("Gambir (Jakarta Pusat)", ((code, name), …)), …
    choice_groups: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    kota_choices: tuple[tuple[str, str], ...]


def _build_regions() -> _Regions:
    query = Kelurahan.objects.select_related("kecamatan__kota").order_by(
        "kecamatan__kota_id", "kecamatan__name", "name"
    )
    rows = tuple(
        KelurahanRow(
            k.code,
            k.name,
            k.kecamatan_id,
            k.kecamatan.name,
            k.kecamatan.kota_id,
            k.kecamatan.kota.name,
            k.kecamatan.kota.short_name,
        )
        for k in query
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    kota: dict[str, str] = {}
    for row in rows:
        kota.setdefault(row.kota_code, row.kota_short_name)
        groups.setdefault(f"{row.kecamatan_name} ({row.kota_short_name})", []).append((row.code, row.name))
    return _Regions(
        rows=rows,
        by_kelurahan={row.code: row for row in rows},
        by_kecamatan={row.kecamatan_code: row for row in rows},
        choice_groups=tuple((label, tuple(members)) for label, members in groups.items()),
        kota_choices=tuple(kota.items()),
    )


def kelurahan_choice_groups() -> tuple[
    tuple[tuple[str, tuple[tuple[str, str], ...]], ...], tuple[tuple[str, str], ...]
]:
    """The kelurahan grouped by "kecamatan (kota)" in display order, and the kota (code,
    short name) in order: what the registration and contact forms offer."""
    regions = _cached("regions", _build_regions)
    return regions.choice_groups, regions.kota_choices


def kelurahan_rows() -> tuple[KelurahanRow, ...]:
    """Every kelurahan with its kecamatan and kota, ordered by kota, kecamatan name, name."""
    return _cached("regions", _build_regions).rows


def _kecamatan(row: KelurahanRow) -> Kecamatan:
    kecamatan = _loaded(Kecamatan, {"code": row.kecamatan_code, "name": row.kecamatan_name, "kota_id": row.kota_code})
    kecamatan.kota = _loaded(Kota, {"code": row.kota_code, "name": row.kota_name})
    return kecamatan


def kelurahan_get(code: str | None) -> Kelurahan | None:
    """The kelurahan of a Kemendagri code, with its kecamatan and kota attached (no query
    when cached), or None for an unknown code."""
    row = _cached("regions", _build_regions).by_kelurahan.get(code)
    if row is None:
        return None
    kelurahan = _loaded(Kelurahan, {"code": row.code, "name": row.name, "kecamatan_id": row.kecamatan_code})
    kelurahan.kecamatan = _kecamatan(row)
    return kelurahan


def kecamatan_get(code: str | None) -> Kecamatan | None:
    """The kecamatan of a Kemendagri code with its kota attached, or None."""
    row = _cached("regions", _build_regions).by_kecamatan.get(code)
    return None if row is None else _kecamatan(row)


# --- centres and facilities --------------------------------------------------------------------


def _build_centers() -> dict[int, dict]:
    return {row["id"]: row for row in Center.objects.values(*_CENTER_FIELDS)}


def center_get(pk: int | None) -> Center | None:
    """The centre (active or not) with this id, or None."""
    values = _cached("centers", _build_centers).get(pk)
    return None if values is None else _loaded(Center, values)


def center_of_kecamatan(code: str | None) -> Center | None:
    """The centre of a kecamatan (one each), or None when the cached copy knows none."""
    for values in _cached("centers", _build_centers).values():
        if values["kecamatan_id"] == code:
            return _loaded(Center, values)
    return None


def _build_facilities() -> tuple[dict, ...]:
    return tuple(Facility.objects.order_by("order").values(*_FACILITY_FIELDS))


def facilities() -> list[Facility]:
    """All facilities P1–P7 (active or not), in order."""
    return [_loaded(Facility, values) for values in _cached("facilities", _build_facilities)]


# --- invalidation --------------------------------------------------------------------------------


def forget_local_copies() -> None:
    """Drop this process's copies (tests: a rolled-back change must not outlive its test)."""
    with _lock:
        _copies.clear()


def invalidate(**kwargs) -> None:
    """A new generation: every process rebuilds its copy, now and again once the current
    transaction commits (so a request racing the change cannot keep the old rows)."""

    def renew() -> None:
        forget_local_copies()
        cache.set(_generation_key(), uuid.uuid4().hex, None)

    renew()
    transaction.on_commit(renew)
