"""Bulk inserts with their django-simple-history rows, bulk_create off PostgreSQL. The two
bulk paths (docs/PERFORMANCE.md, "Import" and "The monthly sheet against COPY"):

- `insert_rows` (the legacy import's write, bulk.py): rows as dicts, COPY on PostgreSQL with
  ids reserved from the sequence in one query; its free-text columns are formatted by the
  csv module in C, and its budget was measured on this path;
- `insert_columns` (growth's monthly sheet, through `columns_insert_with_history`): columns
  of numbers and dates sent as arrays in one INSERT whose RETURNING feeds the history INSERT,
  one statement and no id reservation."""

import csv
import datetime as dt
import io
import operator

from django.db import connection
from simple_history.utils import bulk_create_with_history

from jakpreneur.lookups import postgres_array
from registrations.models import User

IMPORT_REASON = "import"


# --- bulk inserts: COPY on PostgreSQL, bulk_create elsewhere -------------------------------------


def insert_rows(
    model, rows: list[dict], *, actor, actor_id, now, with_history: bool = True, reason: str = IMPORT_REASON
) -> list[int]:
    """Insert rows (dicts of attname → value) with one history row each ("+", `reason`,
    "import" by default); returns the new ids in order.

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
                objs, model, batch_size=500, default_user=actor, default_change_reason=reason
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
        # four constants: the values are formatted once, as CSV lines, for both COPYs.
        history_columns = {f.attname for f in model.history.model._meta.concrete_fields} if with_history else set()
        fields = model._meta.concrete_fields
        shared = [f for f in fields if not with_history or f.attname in history_columns]
        own = [f for f in fields if f not in shared]  # e.g. updated_at, not kept in history
        defaults = {f.attname: f.get_default() for f in shared}
        pick = operator.itemgetter(*[f.attname for f in shared])
        lines = _csv_lines([pick({**defaults, **row}) for row in rows])
        # Columns outside the history (updated_at) hold the same value in every row here.
        own_values = tuple(rows[0].get(f.attname, f.get_default()) for f in own)
        _copy(cursor, model, [*shared, *own], lines, own_values)
        if with_history:
            history = model.history.model._meta
            extra = (now, reason, "+", actor_id)
            history_fields = [history.get_field(f.name) for f in shared]
            history_fields += [
                history.get_field(name)
                for name in ("history_date", "history_change_reason", "history_type", "history_user")
            ]
            _copy(cursor, model.history.model, history_fields, lines, extra)
    return ids


def insert_columns(
    model, columns: dict[str, list], *, count: int, actor, actor_id, now, with_history: bool = True
) -> list[int]:
    """Insert `count` rows given as columns (attname → one value per row; a field left out
    takes its default), with one history row each ("+", reason "import"); returns the new
    ids in order.

    On PostgreSQL one statement writes both tables: the columns go as arrays (one parameter
    each; a column holding one value throughout as that value), unnested in order, the ids
    come from the table's own default and RETURNING feeds the history rows. Elsewhere, the
    rows are built and take `insert_rows`' bulk_create path."""
    if not count:
        return []
    if connection.vendor != "postgresql":
        names = list(columns)
        rows = [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]
        return insert_rows(model, rows, actor=actor, actor_id=actor_id, now=now, with_history=with_history)
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    for name, values in columns.items():
        if len(values) != count:
            raise ValueError(f"{name}: {len(values)} values for {count} rows")
    # A column with one value throughout goes once; at least one goes as an array (the rows).
    varying = [f for f in fields if f.attname in columns and columns[f.attname].count(columns[f.attname][0]) != count]
    varying = varying or [next(f for f in fields if f.attname in columns)]
    selected, arrays, constants, array_params = [], [], [], []
    for f in fields:
        if f in varying:
            selected.append(f"u.c{len(arrays)}")
            arrays.append(f"%s::{f.db_type(connection)}[]")
            array_params.append(postgres_array(columns[f.attname]))
        else:
            selected.append(f"%s::{f.db_type(connection)}")
            constants.append(columns[f.attname][0] if f.attname in columns else f.get_default())
    shared = [meta.pk, *fields]
    if with_history:
        history = model.history.model._meta
        kept = {f.attname for f in history.concrete_fields}
        shared = [f for f in shared if f.attname in kept]
    returning = ", ".join(quote(f.column) for f in shared)
    sql = (
        f"WITH new AS (INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"SELECT {', '.join(selected)} FROM unnest({', '.join(arrays)}) WITH ORDINALITY "
        f"AS u({', '.join(f'c{i}' for i in range(len(arrays)))}, n) ORDER BY u.n RETURNING {returning})"
    )
    params = [*constants, *array_params]
    if with_history:
        history_columns = [history.get_field(f.name).column for f in shared]
        history_columns += [
            history.get_field(name).column
            for name in ("history_date", "history_change_reason", "history_type", "history_user")
        ]
        sql += (
            f", history AS (INSERT INTO {quote(history.db_table)} ({', '.join(map(quote, history_columns))}) "
            f"SELECT {returning}, %s, %s, %s, %s FROM new)"
        )
        params += [now, IMPORT_REASON, "+", actor_id]
    sql += f" SELECT {quote(meta.pk.column)} FROM new"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


def columns_insert_with_history(
    model, columns: dict[str, list], *, count: int, actor: User | None, now: dt.datetime
) -> list[int]:
    """The column insert above for other apps' bulk writes (growth's monthly sheet): one
    history row each (the actor, reason "import"). Returns the new ids in order."""
    return insert_columns(model, columns, count=count, actor=actor, actor_id=actor.pk if actor else None, now=now)


def _csv_lines(values: list[tuple]) -> list[str]:
    """Each tuple as one CSV line (without its end of line): the csv module formats in C."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(values)
    text = buffer.getvalue()
    if text.count("\n") == len(values):
        return text.split("\n")[:-1]
    # A value holds a line break (quoted in its field): format the lines one by one.
    return [_one_line(row) for row in values]


def _one_line(row: tuple) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(row)
    return buffer.getvalue()


def _copy(cursor, model, fields: list, lines: list[str], suffix: tuple = ()) -> None:
    """COPY rows (CSV lines of the fields' values, each followed by `suffix`) into the
    model's table. An empty unquoted field is NULL in PostgreSQL's CSV, so the NOT NULL
    columns are listed in FORCE_NOT_NULL to read it as an empty string."""
    # The same value on every line: format it once (str() of a datetime costs per call).
    end = _one_line(tuple(v.isoformat() if isinstance(v, dt.datetime) else v for v in suffix)) if suffix else ""
    buffer = io.StringIO("".join(f"{line},{end}\n" for line in lines) if suffix else "\n".join(lines) + "\n")
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
