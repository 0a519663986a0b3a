"""A queryset's rows as one JSON value of another query's row: one round trip instead of two.

/me/ reads the entrepreneur's row, then their enrolments, then the next activities at their
centre: three queries for one page, each a round trip that costs the web worker and the
database more than the SQL does (docs/PERFORMANCE.md, "Sixth pass"). `JSONRows` puts the
enrolments and the activities into the entrepreneur's own row, each as a JSON array of
arrays (one per row: every concrete field of the model, then the named extra values), and
`JSONRows.instances` turns that value back into model instances with every field loaded, as
the ORM would have (so reading a field never runs a query).

    rows = JSONRows(Enrollment.objects.filter(entrepreneur=OuterRef("pk")))  # extra=("taken",): annotations
    entrepreneur = Entrepreneur.objects.annotate(enrollment_rows=rows.expression()).get(...)
    enrollments = rows.instances(entrepreneur.enrollment_rows)

Rows come back in no particular order (a JSON aggregate keeps none the SQL promises): sort the
instances. A limit ([:3]) applies inside, with the queryset's own ordering. PostgreSQL
(JSONB_AGG) and SQLite (JSON_GROUP_ARRAY) only; the fields are read back by type, and a model
with a field of a type not listed in `_PARSERS` is refused when the expression is built.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import NotSupportedError
from django.db.models import CharField, F, JSONField, Model, QuerySet, Subquery
from django.db.models.functions import Cast, JSONArray

_ROW = "_jakpreneur_row"


def _datetime(value: str) -> dt.datetime:
    # PostgreSQL writes "2026-11-30T08:00:00+00:00" (the connection's time zone, UTC); SQLite
    # keeps Django's naive UTC text, "2026-11-30 08:00:00".
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _as_is(value):
    return value


# By the field's (or a foreign key's target field's) internal type. Decimals travel as text
# (a JSON number would be read back as a float).
_PARSERS: dict[str, Callable[[Any], Any]] = {
    "AutoField": _as_is,
    "BigAutoField": _as_is,
    "SmallAutoField": _as_is,
    "IntegerField": _as_is,
    "BigIntegerField": _as_is,
    "SmallIntegerField": _as_is,
    "PositiveIntegerField": _as_is,
    "PositiveBigIntegerField": _as_is,
    "PositiveSmallIntegerField": _as_is,
    "CharField": _as_is,
    "TextField": _as_is,
    "SlugField": _as_is,
    "EmailField": _as_is,
    "URLField": _as_is,
    "BooleanField": bool,  # SQLite gives 0 and 1
    "DateTimeField": _datetime,
    "DateField": dt.date.fromisoformat,
    "DecimalField": Decimal,  # quantized to the field's places by _parser
    "UUIDField": uuid.UUID,
}


def _stored(field):
    """The field whose value is stored: a foreign key's target field, else the field itself."""
    while field.is_relation:
        field = field.target_field
    return field


def _internal_type(field) -> str:
    return _stored(field).get_internal_type()


def _parser(field) -> Callable[[Any], Any]:
    stored = _stored(field)
    if stored.get_internal_type() != "DecimalField":
        return _PARSERS[stored.get_internal_type()]
    places = Decimal(1).scaleb(-stored.decimal_places)  # as the ORM reads it: 2 places give 1.50
    return lambda value: Decimal(value).quantize(places, context=stored.context)


class _Aggregated(Subquery):
    """`(SELECT <JSON array of every row's array> FROM (<the queryset>) rows)`."""

    output_field = JSONField()

    def as_sql(self, compiler, connection, template=None, **extra_context):
        sql, params = super().as_sql(compiler, connection, template=template, **extra_context)
        if connection.vendor == "postgresql":
            # JSONB, which Django's connection hands over as text for JSONField to read.
            return f"(SELECT COALESCE(JSONB_AGG(r.\"{_ROW}\"), '[]'::jsonb) FROM {sql} r)", params
        if connection.vendor == "sqlite":
            # JSON(): the inner JSON_ARRAY reaches the aggregate as text, to be embedded as JSON.
            return f'(SELECT JSON_GROUP_ARRAY(JSON(r."{_ROW}")) FROM {sql} r)', params
        raise NotSupportedError(f"JSONRows does not support {connection.vendor}.")


class JSONRows:
    """`queryset`'s rows, with the values of its annotations named in `extra` set on each instance."""

    def __init__(self, queryset: QuerySet, *, extra: tuple[str, ...] = ()):
        self.queryset = queryset
        self.model: type[Model] = queryset.model
        self.fields = list(self.model._meta.concrete_fields)
        self.extra = tuple(extra)
        unknown = [f.name for f in self.fields if _internal_type(f) not in _PARSERS]
        if unknown:
            raise ValueError(f"JSONRows cannot read back {self.model.__name__}.{', '.join(unknown)}.")
        self._attnames = [f.attname for f in self.fields]
        self._parsers = [_parser(f) for f in self.fields]

    def expression(self) -> Subquery:
        columns = [
            Cast(field.attname, CharField()) if _internal_type(field) == "DecimalField" else F(field.attname)
            for field in self.fields
        ]
        return _Aggregated(self.queryset.values(**{_ROW: JSONArray(*columns, *(F(name) for name in self.extra))}))

    def instances(self, value: list | None, *, using: str = "default") -> list[Model]:
        """The instances of a value `expression()` gave (None, as from a missing row: none)."""
        instances = []
        count = len(self.fields)
        for row in value or ():
            obj = self.model.from_db(
                using,
                self._attnames,
                [None if v is None else parse(v) for parse, v in zip(self._parsers, row[:count], strict=True)],
            )
            for name, extra_value in zip(self.extra, row[count:], strict=True):
                setattr(obj, name, extra_value)
            instances.append(obj)
        return instances
