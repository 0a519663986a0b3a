"""`AnyOf`: a column's value among many, for bulk paths that look up thousands of keys at once
(the monthly sheet's NIKs and report months).

`field__in=[…]` writes one placeholder per value, which the client formats and PostgreSQL
parses one by one (~2× the time at 5,000 NIKs). On PostgreSQL this is `col = ANY(%s::type[])`
with the values sent as one array literal; elsewhere the plain `IN` list. Used as an
expression: `queryset.filter(AnyOf(F("nik"), niks))`.
"""

import datetime as dt

from django.db.models import Lookup

_PLAIN = frozenset({str, int})


def postgres_array(values) -> str:
    """PostgreSQL's text form of a one-dimensional array, to send thousands of values as one
    parameter (`%s::bigint[]`): whole numbers as they are, None as NULL, anything else quoted
    with `"` and `\\` escaped; dates and times in ISO form."""
    values = list(values)
    if all(type(value) is int for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    items = []
    for value in values:
        if value is None:
            items.append("NULL")
            continue
        if isinstance(value, bool):
            text = "t" if value else "f"
        elif isinstance(value, dt.date):  # and datetimes, with their offset
            text = value.isoformat()
        else:
            text = str(value)
        items.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(items) + "}"


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        # Text and whole numbers go as they are; other values as the field stores them.
        values = [v if type(v) in _PLAIN else field.get_db_prep_value(v, connection, prepared=False) for v in self.rhs]
        if not values:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::{field.db_type(connection)}[])", [*lhs_params, postgres_array(values)]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]
