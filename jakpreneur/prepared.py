"""A queryset compiled to SQL once per thread and run many times with other parameters.

For a read on every request whose SQL never changes, only a parameter or two (the signed-in
person's id), the ORM's compiling of the query (resolving every annotation and subquery,
quoting every column) can cost more CPU than the rest of the request: /me/'s first query, the
entrepreneur with every panel's values as subqueries, took ~5 ms of the page's ~20 to compile.
`PreparedQuery` builds the queryset once with stand-in values, keeps the compiler's SQL and
column layout, and on each call swaps the stand-ins for the real values and turns the row into
a model instance as Django's own ModelIterable does (select_related objects and annotations
included, with the fields' converters).

On PostgreSQL with persistent connections (CONN_MAX_AGE not 0) the SQL is also prepared on
the server (`PREPARE`, once per connection) and run with `EXECUTE`: planning /me/'s first query
cost the server ~0.8 ms per request, more than running it. After five runs PostgreSQL keeps a
generic plan (plan_cache_mode "auto"). Behind a PgBouncer in transaction mode, where a session's
prepared statements do not follow it, switch this off with DATABASE_PREPARED_STATEMENTS=0
(settings.JAKPRENEUR_PREPARED_STATEMENTS). Statements the server forgets under a connection
(DISCARD ALL, DEALLOCATE ALL) are prepared again at the next call outside a transaction; inside
one the error aborts it, as any database error would.

Only for querysets whose SQL depends on nothing but the stand-ins: no `timezone.now()` (use
`Now()`), no per-request choices. Each thread keeps its own copy (a compiler holds its
connection); `key` tells when to build again (e.g. another set of /me/ panels).
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import QuerySet
from django.db.models.query import get_related_populators


@dataclass(frozen=True)
class _Compiled:
    key: Hashable
    alias: str
    compiler: Any
    sql: str
    params: tuple
    slots: dict[int, int]  # position in params → index of the value passed to get()
    statement: str  # its name as a server-side prepared statement (where it is one)
    # How a row becomes instances, worked out once as well (ModelIterable does it per query):
    converters: dict  # the fields' from_db_value converters, by column
    model_columns: slice  # where the model's own columns are in a row
    init_list: list[str]  # the model's attnames, in the order of those columns
    populators: list  # select_related's RelatedPopulators


_names = itertools.count(1)
_NO_SUCH_STATEMENT = "26000"  # PostgreSQL's invalid_sql_statement_name: "prepared statement … does not exist"
_PLACEHOLDER = re.compile(r"%(s|%)")


def _numbered(sql: str) -> str:
    """psycopg2's `%s` placeholders as PostgreSQL's `$1, $2 …` (and `%%` as `%`), for PREPARE."""
    numbers = itertools.count(1)
    return _PLACEHOLDER.sub(lambda m: f"${next(numbers)}" if m.group(1) == "s" else "%", sql)


def _prepares(connection) -> bool:
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict.get("CONN_MAX_AGE") != 0
        and getattr(settings, "JAKPRENEUR_PREPARED_STATEMENTS", True)
    )


class PreparedQuery:
    """`build(*stand_ins)` returns the queryset; `first(*values)` runs it with the values in
    place of the stand-ins and returns the first instance or None, `all(*values)` the list."""

    def __init__(self, build: Callable[..., QuerySet], *, stand_ins: tuple):
        self._build = build
        self._stand_ins = stand_ins
        self._local = threading.local()

    def _compiled(self, key: Hashable) -> _Compiled:
        compiled = getattr(self._local, "compiled", None)
        if compiled is not None and compiled.key == key:
            return compiled
        queryset = self._build(*self._stand_ins)
        alias = queryset.db
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = {}
        for index, stand_in in enumerate(self._stand_ins):
            positions = [i for i, param in enumerate(params) if param == stand_in]
            if not positions:
                raise ValueError(f"The stand-in {stand_in!r} is not a parameter of the query.")
            slots.update(dict.fromkeys(positions, index))
        select, klass_info = compiler.select, compiler.klass_info
        model_columns = slice(klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1)
        fields = [column[0] for column in select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("PreparedQuery does not read composite primary keys.")
        compiled = _Compiled(
            key=key,
            alias=alias,
            compiler=compiler,
            sql=sql,
            params=tuple(params),
            slots=slots,
            statement=f"jp_prepared_{next(_names)}",
            converters=compiler.get_converters(fields),
            model_columns=model_columns,
            init_list=[column[0].target.attname for column in select[model_columns]],
            populators=get_related_populators(klass_info, select, alias),
        )
        self._local.compiled = compiled
        return compiled

    def _rows(self, values: tuple, key: Hashable, *, one: bool) -> tuple[_Compiled, list]:
        compiled = self._compiled(key)
        params = [values[compiled.slots[i]] if i in compiled.slots else p for i, p in enumerate(compiled.params)]
        connection = connections[compiled.alias]
        with connection.cursor() as cursor:
            self._execute(compiled, connection, cursor, params)
            rows = ([row] if (row := cursor.fetchone()) is not None else []) if one else cursor.fetchall()
        return compiled, rows

    def _execute(self, compiled: _Compiled, connection, cursor, params: list) -> None:
        if not (_prepares(connection) and self._prepared_on(compiled, connection, cursor)):
            cursor.execute(compiled.sql, params)
            return
        execute = f"EXECUTE {compiled.statement} ({', '.join(['%s'] * len(params))})"
        try:
            cursor.execute(execute, params)
        except DatabaseError as error:
            if getattr(error.__cause__, "pgcode", None) != _NO_SUCH_STATEMENT:
                raise
            # The server forgot this connection's statements (DEALLOCATE ALL, DISCARD ALL: a
            # pool's reset between clients). Forget them here too; outside a transaction,
            # prepare again and run; inside one the error has aborted it, so it stands.
            connection._jakpreneur_prepared = None
            if connection.in_atomic_block or not self._prepared_on(compiled, connection, cursor):
                raise
            cursor.execute(execute, params)

    def _prepared_on(self, compiled: _Compiled, connection, cursor) -> bool:
        """Whether the statement is prepared on this cursor's connection, preparing it if not.
        A new connection (after CONN_MAX_AGE, a failed health check) starts with none."""
        raw = connection.connection
        known = getattr(connection, "_jakpreneur_prepared", None)
        if known is None or known[0] is not raw:
            known = (raw, {})
            connection._jakpreneur_prepared = known
        if compiled.statement not in known[1]:
            try:
                # In a savepoint (or a transaction of its own): a statement PostgreSQL cannot
                # prepare (a parameter of no inferable type) must not abort the caller's transaction.
                with transaction.atomic(using=compiled.alias):
                    cursor.execute(f"PREPARE {compiled.statement} AS {_numbered(compiled.sql)}")
            except DatabaseError:
                known[1][compiled.statement] = False
            else:
                known[1][compiled.statement] = True
        return known[1][compiled.statement]

    def first(self, *values, key: Hashable = None):
        compiled, rows = self._rows(values, key, one=True)
        return _instances(compiled, rows)[0] if rows else None

    def all(self, *values, key: Hashable = None) -> list:
        compiled, rows = self._rows(values, key, one=False)
        return _instances(compiled, rows)


def _instances(compiled: _Compiled, rows: list) -> list:
    # As django.db.models.query.ModelIterable does (compiler.results_iter, then from_db).
    compiler = compiled.compiler
    model, columns = compiler.klass_info["model"], compiled.model_columns
    init_list, populators = compiled.init_list, compiled.populators
    annotations = compiler.annotation_col_map.items()
    if compiled.converters:
        rows = compiler.apply_converters(rows, compiled.converters)
    instances = []
    for row in rows:
        obj = model.from_db(compiled.alias, init_list, row[columns])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in annotations:
            setattr(obj, name, row[position])
        instances.append(obj)
    return instances
