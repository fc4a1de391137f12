"""Turning a Kafka record into a validated event, or into the reason it is dead-lettered."""

import functools
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiokafka.structs import ConsumerRecord
from pydantic import AwareDatetime, BaseModel, Field, StrictStr, ValidationError, create_model

REQUIRED_ENVELOPE_FIELDS = {"event_id", "event_type", "timestamp", "data"}
# Event types whose data, as earlier versions wrote it, could lack `business_id`: the message
# key has always been the business id (docs/events.md), so it is read from there. Every
# producer now writes it through the event's model, which requires it.
BUSINESS_ID_ONLY_IN_KEY_BEFORE = frozenset({"notification.sent", "notification.failed"})


@dataclass(frozen=True)
class ConsumedEvent:
    """A record that passed validation: the envelope (docs/events.md, as in
    `apptremind.events.EventEnvelope`) with its `data` parsed for its type."""

    event_id: uuid.UUID
    event_type: str
    timestamp: datetime
    data: Any  # the event type's data model
    key: str | None
    record: ConsumerRecord[bytes, bytes]  # for the DLQ, should applying it fail for good


class InvalidMessage(Exception):
    """A record that can never be processed; the reason travels in the DLQ header."""


class _TypedEnvelope(BaseModel):
    event_id: uuid.UUID
    event_type: StrictStr
    timestamp: AwareDatetime = Field(strict=True)
    data: Any


@functools.cache
def _typed_envelope(schema: type[BaseModel]) -> type[_TypedEnvelope]:
    """The whole envelope of one event type, validated from the bytes in one pass."""
    return create_model(f"{schema.__name__}Envelope", __base__=_TypedEnvelope, data=(schema, ...))


def parse_record(
    record: ConsumerRecord[bytes, bytes], schemas: Mapping[str, type[BaseModel]]
) -> ConsumedEvent:
    """A well-formed message takes the fast path; any other is examined step by step, so
    that its dead letter says exactly what is wrong with it."""
    schema = schemas.get(record.topic)
    if schema is not None and record.value is not None:
        try:
            envelope = _typed_envelope(schema).model_validate_json(record.value)
        except ValidationError:
            pass
        else:
            if envelope.event_type == record.topic:
                return ConsumedEvent(
                    event_id=envelope.event_id,
                    event_type=envelope.event_type,
                    timestamp=envelope.timestamp,
                    data=envelope.data,
                    key=record.key.decode(errors="replace") if record.key is not None else None,
                    record=record,
                )
    return _examined(record, schemas)


def _examined(
    record: ConsumerRecord[bytes, bytes], schemas: Mapping[str, type[BaseModel]]
) -> ConsumedEvent:
    if record.value is None:
        raise InvalidMessage("empty message")
    try:
        raw = json.loads(record.value)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidMessage(f"not JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise InvalidMessage("not a JSON object")
    if missing := REQUIRED_ENVELOPE_FIELDS - raw.keys():
        raise InvalidMessage(f"bad envelope: missing {', '.join(sorted(missing))}")
    event_type, data = raw["event_type"], raw["data"]
    if not isinstance(event_type, str):
        raise InvalidMessage("bad envelope: event_type: not a string")
    if not isinstance(data, dict):
        raise InvalidMessage("bad envelope: data: not an object")
    event_id, timestamp = _event_id(raw["event_id"]), _timestamp(raw["timestamp"])
    schema = schemas.get(event_type)
    if schema is None:
        raise InvalidMessage(f"unknown event type {event_type!r}")
    if event_type != record.topic:
        raise InvalidMessage(f"event type {event_type!r} on topic {record.topic!r}")
    if (
        event_type in BUSINESS_ID_ONLY_IN_KEY_BEFORE
        and "business_id" not in data
        and record.key is not None
    ):
        data = {**data, "business_id": record.key.decode(errors="replace")}
    try:
        parsed = schema.model_validate(data)
    except ValidationError as exc:
        raise InvalidMessage(f"bad data for {event_type}: {_summary(exc)}") from None
    return ConsumedEvent(
        event_id=event_id,
        event_type=event_type,
        timestamp=timestamp,
        data=parsed,
        key=record.key.decode(errors="replace") if record.key is not None else None,
        record=record,
    )


def _event_id(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        raise InvalidMessage("bad envelope: event_id: not a UUID") from None


def _timestamp(value: Any) -> datetime:
    """The envelope's timestamp (docs/events.md): an RFC 3339 time with its offset."""
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidMessage("bad envelope: timestamp: not an RFC 3339 time") from None
    if parsed.tzinfo is None:
        raise InvalidMessage("bad envelope: timestamp: no UTC offset")
    return parsed


def _summary(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in error['loc']) or '(root)'}: {error['msg']}"
        for error in exc.errors()[:5]
    )
