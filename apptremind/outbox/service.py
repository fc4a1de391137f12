"""Writing events: always through the caller's session, so they commit with the change."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.events import EventEnvelope
from apptremind.outbox.domain_handlers import has_domain_handler
from apptremind.outbox.models import OutboxEvent
from apptremind.outbox.workflow_triggers import has_workflow_trigger


async def emit(
    session: AsyncSession, event_type: str, business_id: uuid.UUID, data: dict[str, Any]
) -> EventEnvelope:
    """Adds the event to the current transaction; the relay delivers it after commit."""
    envelope = EventEnvelope(event_type=event_type, data=data)
    session.add(
        OutboxEvent(
            event_id=envelope.event_id,
            event_type=event_type,
            key=str(business_id),
            envelope=envelope.model_dump(mode="json"),
            needs_dispatch=has_workflow_trigger(event_type) or has_domain_handler(event_type),
        )
    )
    await session.flush()
    return envelope
