"""Likely duplicate registrations that the NIK constraint cannot catch, and the lookup of
people by NIK."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Func, Q

from registrations.models import Entrepreneur, User
from registrations.selectors.scope import entrepreneurs_visible_to
from registrations.validators import normalize_name


class NameKey(Func):
    """The database's half of `normalize_name`: lower case, every run of whitespace one space,
    no space at either end. SQLite has no regexp_replace: tabs and line breaks become spaces
    and runs of up to 16 spaces are collapsed there."""

    output_field = CharField()
    template = (
        "LOWER(TRIM(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(%(expressions)s, "
        "char(9), ' '), char(10), ' '), char(13), ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' ')))"
    )

    def as_postgresql(self, compiler, connection, **extra_context):
        template = r"LOWER(BTRIM(REGEXP_REPLACE(%(expressions)s, '\s+', ' ', 'g')))"
        return self.as_sql(compiler, connection, template=template, **extra_context)


@dataclass
class DuplicateGroup:
    reason: str  # "name_birth_date" or "phone"
    key: str
    entrepreneurs: list[Entrepreneur] = field(default_factory=list)


def duplicate_candidates(user: User | None, *, limit: int = 200) -> list[DuplicateGroup]:
    """Likely duplicates the NIK constraint cannot catch: the same normalised name and birth
    date, or the same phone number, among the entrepreneurs the user may see.

    The database groups by `NameKey`; the exact `normalize_name` (casefolded) then regroups
    the candidates in Python.
    """
    visible = entrepreneurs_visible_to(user)
    groups: list[DuplicateGroup] = []

    name_keys = list(
        visible.annotate(name_key=NameKey("full_name"))
        .values("name_key", "birth_date")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("-n", "name_key")[:limit]
    )
    if name_keys:
        condition = Q()
        for key in name_keys:
            condition |= Q(name_key=key["name_key"], birth_date=key["birth_date"])
        rows = (
            visible.annotate(name_key=NameKey("full_name"))
            .filter(condition)
            .select_related("kecamatan")
            .order_by("registered_at", "id")
        )
        by_key: dict[tuple, DuplicateGroup] = {}
        for row in rows:
            group_key = (normalize_name(row.full_name), row.birth_date)
            group = by_key.setdefault(
                group_key,
                DuplicateGroup(reason="name_birth_date", key=f"{row.full_name.strip()} · {row.birth_date:%Y-%m-%d}"),
            )
            group.entrepreneurs.append(row)
        groups.extend(g for g in by_key.values() if len(g.entrepreneurs) > 1)

    phones = list(visible.values("phone").annotate(n=Count("id")).filter(n__gt=1).order_by("-n", "phone")[:limit])
    if phones:
        by_phone: dict[str, DuplicateGroup] = {}
        rows = (
            visible.filter(phone__in=[p["phone"] for p in phones])
            .select_related("kecamatan")
            .order_by("registered_at", "id")
        )
        for row in rows:
            by_phone.setdefault(row.phone, DuplicateGroup(reason="phone", key=row.phone)).entrepreneurs.append(row)
        groups.extend(by_phone.values())
    return groups


def entrepreneurs_by_nik(niks: Iterable[str]) -> dict[str, Entrepreneur]:
    return {e.nik: e for e in Entrepreneur.objects.filter(nik__in=list(niks))}
