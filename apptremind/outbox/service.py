"""Writing events: always through the caller's session, so they commit with the change."""

import json
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.db import driver_connection
from apptremind.events import Event, EventEnvelope
from apptremind.outbox.domain_handlers import has_domain_handler
from apptremind.outbox.workflow_triggers import has_workflow_trigger
from apptremind.telemetry.tracing import current_trace_context


async def emit(
    session: AsyncSession, event: Event, *, key: uuid.UUID | None = None
) -> EventEnvelope:
    """Adds the event to the current transaction; the relay delivers it after commit.

    `key` (the Kafka key) is the event's own (`event.key`) unless its data does not carry
    it: a password reset is keyed by the user's business, a due reminder by its
    appointment's."""
    key = key or event.key
    if key is None:
        raise ValueError(f"{event.event_type} needs its key named")
    envelope = EventEnvelope(event_type=event.event_type, data=event.model_dump(mode="json"))
    await session.flush()  # the caller's pending changes first, as the event describes them
    driver = await driver_connection(session)
    trace_context = current_trace_context()
    await driver.execute(
        "INSERT INTO outbox.events"
        " (event_id, event_type, key, envelope, needs_dispatch, trace_context)"
        " VALUES (%s, %s, %s, %s::jsonb, %s, %s::jsonb)",
        (
            envelope.event_id,
            event.event_type,
            str(key),
            envelope.model_dump_json(),
            has_workflow_trigger(event.event_type) or has_domain_handler(event.event_type),
            json.dumps(trace_context) if trace_context else None,
        ),
    )
    return envelope
