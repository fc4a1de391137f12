"""Batch columns as one comma-separated parameter each.

Binding a Python list makes the driver quote-check and dump every element one by one, which
costs more than the statement itself at consumer batch sizes. One joined string per column,
split server side (`string_to_array(:col, ',', '')`, the empty string being NULL), does not.
Only for values whose text has no comma: uuids, dates, times, booleans, identifiers.
"""

from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

Value = UUID | date | datetime | bool | str | None


def joined(values: Iterable[Value]) -> str:
    return ",".join(_text(v) for v in values)


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def unjoined(parameter: str, sql_type: str) -> str:
    """The SQL expression turning a `joined` parameter back into an array of `sql_type`."""
    return f"CAST(string_to_array(:{parameter}, ',', '') AS {sql_type}[])"
