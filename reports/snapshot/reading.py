"""Reading a stored snapshot: a `ProgressSnapshot` row is usable only when it has this
version and exactly the declared shape (`reports.snapshot.shape`); otherwise readers get None
and pages show their "no figures yet" state."""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from reports.snapshot.shape import ALL, SNAPSHOT_VERSION, SnapshotData


@dataclass(frozen=True)
class Snapshot:
    """A stored snapshot that is usable: when it was computed and its figures."""

    id: int
    computed_at: dt.datetime
    data: SnapshotData

    @property
    def registered(self) -> int:
        return self.data["scopes"][ALL]["totals"]["registered"]


def snapshot_read(row) -> Snapshot | None:
    """A `ProgressSnapshot` row read into the declared structure; None when it is not usable."""
    if row is None or not data_is_usable(row.data):
        return None
    return Snapshot(id=row.pk, computed_at=row.computed_at, data=row.data)


def data_is_usable(data: Any) -> bool:
    """This version, the declared shape, and the scopes and series that readers index into."""
    if not isinstance(data, dict) or data.get("version") != SNAPSHOT_VERSION or not conforms(data, SnapshotData):
        return False
    scopes, length = data["scopes"], len(data["months"])
    return (
        ALL in scopes
        and all(row["code"] in scopes for row in data["kota"])
        and all(len(scope["new"]) == len(scope["cumulative"]) == length for scope in scopes.values())
    )


def conforms(value: Any, declared: Any) -> bool:
    """Whether a JSON value has exactly the declared shape (TypedDict keys, list items, types)."""
    return _checker(declared)(value)


@functools.cache
def _checker(declared: Any) -> Callable[[Any], bool]:
    allowed = _plain_types(declared)
    if allowed is not None:
        return lambda value: type(value) in allowed
    if typing.is_typeddict(declared):
        hints = typing.get_type_hints(declared)
        names = frozenset(hints)
        # Plain fields are checked in one pass over (name, types); nested ones by their checker.
        plain = tuple((name, _plain_types(hint)) for name, hint in hints.items() if _plain_types(hint) is not None)
        nested = tuple((name, _checker(hint)) for name, hint in hints.items() if _plain_types(hint) is None)
        return lambda value: (
            type(value) is dict
            and value.keys() == names
            and all(type(value[name]) in types_ for name, types_ in plain)
            and all(check(value[name]) for name, check in nested)
        )
    origin, args = typing.get_origin(declared), typing.get_args(declared)
    if origin in (typing.Union, types.UnionType):  # e.g. a TypedDict or None
        options = tuple(_checker(arg) for arg in args)
        return lambda value: any(check(value) for check in options)
    if origin is list:
        item_types = _plain_types(args[0])
        if item_types is not None:
            return lambda value: type(value) is list and set(map(type, value)) <= item_types
        item = _checker(args[0])
        return lambda value: type(value) is list and all(map(item, value))
    if origin is dict:
        key, item = _checker(args[0]), _checker(args[1])
        return lambda value: type(value) is dict and all(key(k) and item(v) for k, v in value.items())
    if origin is Literal:
        return lambda value: type(value) is str and value in args
    raise TypeError(f"No JSON check for {declared!r}")


_PLAIN = {int: {int}, float: {int, float}, str: {str}, bool: {bool}, type(None): {type(None)}}


def _plain_types(declared: Any) -> frozenset[type] | None:
    """The Python types a JSON value of a plain declared type may have, or None when the
    declaration is not plain (a TypedDict, list, dict or Literal). JSON has one number type:
    a float 2.0 may come back as 2."""
    if typing.get_origin(declared) in (typing.Union, types.UnionType):
        options = [_plain_types(arg) for arg in typing.get_args(declared)]
        return None if None in options else frozenset().union(*options)
    return frozenset(_PLAIN[declared]) if declared in _PLAIN else None
