"""The processed-events table every consumer keeps in its own schema: the idempotency key."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import DateTime, String, Table, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from apptremind.consumers.arrays import joined, unjoined
from apptremind.consumers.messages import ConsumedEvent


class ProcessedEventMixin:
    """One row per event a consumer applied, written in the transaction that applied it."""

    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(100), nullable=False)
    processed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


async def claim_new(
    session: AsyncSession, table: Table, events: Sequence[ConsumedEvent]
) -> list[ConsumedEvent]:
    """Records the events' ids; returns those never processed before, in their order.

    A redelivered event (after a crash before the offset commit, or produced twice) is
    already in the table, so ON CONFLICT DO NOTHING leaves it out of RETURNING.
    """
    first: dict[uuid.UUID, ConsumedEvent] = {}
    for event in events:
        first.setdefault(event.event_id, event)
    if not first:
        return []
    inserted = await session.execute(
        text(
            f"INSERT INTO {table.fullname} (event_id, event_type) "
            f"SELECT * FROM unnest({unjoined('ids', 'uuid')}, {unjoined('types', 'text')}) "
            "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
        ),
        {"ids": joined(first), "types": joined(e.event_type for e in first.values())},
    )
    new_ids = set(inserted.scalars())
    return [event for event_id, event in first.items() if event_id in new_ids]
