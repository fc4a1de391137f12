"""The processed-events table every consumer keeps in its own schema, and the one statement
that claims a batch's event ids in it and applies only the events it had not seen."""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, String, Table, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from apptremind.consumers.arrays import Value, joined, unjoined
from apptremind.consumers.messages import ConsumedEvent


class ProcessedEventMixin:
    """One row per event a consumer applied, written in the statement that applied it."""

    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(100), nullable=False)
    processed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


@dataclass(frozen=True)
class Column:
    """One value each event of a batch brings to its consumer's statement."""

    name: str
    sql_type: str  # PostgreSQL type of the value; its text must hold no comma (see arrays)
    value: Callable[[ConsumedEvent], Value]


def exactly_once_statement(processed_events: Table, columns: Sequence[Column], apply: str) -> str:
    """The batch as rows (`event_id`, `event_type` and `columns`); the ids claimed in
    `processed_events` with ON CONFLICT DO NOTHING; `apply`, a data-modifying statement, sees
    in `new_events` only the rows whose id was claimed just now. A redelivered event (after a
    crash before the offset commit, or produced twice) is already there and changes nothing.

    One statement is one transaction and one round trip; it returns how many were new.
    """
    names = ["event_id", "event_type", *(c.name for c in columns)]
    arrays = [
        unjoined("event_id", "uuid"),
        unjoined("event_type", "text"),
        *(unjoined(c.name, c.sql_type) for c in columns),
    ]
    return f"""
        WITH batch ({", ".join(names)}) AS (SELECT * FROM unnest({", ".join(arrays)})),
        claimed AS (
            INSERT INTO {processed_events.fullname} (event_id, event_type)
            SELECT event_id, event_type FROM batch
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id
        ),
        new_events AS (SELECT batch.* FROM batch JOIN claimed USING (event_id)),
        applied AS ({apply})
        SELECT count(*) FROM claimed
    """


def batch_parameters(events: Sequence[ConsumedEvent], columns: Sequence[Column]) -> dict[str, str]:
    """The statement's parameters; `events` must not repeat an event id."""
    parameters = {
        "event_id": joined([e.event_id for e in events]),
        "event_type": joined([e.event_type for e in events]),
    }
    for column in columns:
        parameters[column.name] = joined([column.value(e) for e in events])
    return parameters
