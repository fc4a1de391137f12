"""Batch columns as one comma-separated parameter each.

Binding a Python list makes the driver quote-check and dump every element one by one, which
costs more than the statement itself at consumer batch sizes. One joined string per column,
split server side (`string_to_array(%(col)s, ',', '')`, the empty string being NULL), does
not. Only for values whose text has no comma: uuids, dates, times, booleans, identifiers.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any
from uuid import UUID

Value = UUID | date | datetime | bool | int | str | None

# One lookup by exact type instead of a chain of isinstance checks: at consumer batch sizes
# this conversion is a good part of the consumer's own CPU time. Subclasses fall back to
# `str`, whose text PostgreSQL reads the same way.
_TEXT: dict[type, Callable[[Any], str]] = {
    UUID: lambda v: v.hex,  # 32 hex digits, which PostgreSQL reads as a uuid: faster than str
    str: str,
    int: str,
    bool: lambda v: "t" if v else "f",
    date: date.isoformat,
    datetime: datetime.isoformat,
    type(None): lambda _: "",
}


def joined(values: Iterable[Value]) -> str:
    return ",".join([_TEXT.get(type(v), str)(v) for v in values])


def unjoined(parameter: str, sql_type: str) -> str:
    """The SQL expression (psycopg placeholder style) turning a `joined` parameter back into
    an array of `sql_type`."""
    return f"CAST(string_to_array(%({parameter})s, ',', '') AS {sql_type}[])"
