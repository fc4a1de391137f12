"""Running consumers against the session's broker, and producing envelopes as the relay does."""

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import TopicPartition

from apptremind import events
from apptremind.consumers.runner import ConsumerSpec, EventConsumer
from tests.api.conftest import api, wired  # noqa: F401 - the API wired to Temporal and workers


def envelope(
    event_type: str,
    data: dict[str, Any],
    *,
    event_id: uuid.UUID | None = None,
    timestamp: datetime | None = None,
) -> bytes:
    return json.dumps(
        {
            "event_id": str(event_id or uuid.uuid4()),
            "event_type": event_type,
            "timestamp": (timestamp or datetime.now(UTC)).isoformat(),
            "data": data,
        }
    ).encode()


class Producer:
    def __init__(self, producer: AIOKafkaProducer) -> None:
        self.producer = producer

    async def send(self, topic: str, value: bytes, key: uuid.UUID | str) -> None:
        await self.producer.send_and_wait(topic, value, key=str(key).encode())

    async def event(self, event_type: str, data: dict[str, Any], **kwargs: Any) -> None:
        await self.send(event_type, envelope(event_type, data, **kwargs), data["business_id"])


@pytest.fixture
async def producer(running_broker) -> AsyncIterator[Producer]:
    raw = AIOKafkaProducer(
        bootstrap_servers=running_broker.bootstrap_servers, acks="all", enable_idempotence=False
    )
    await raw.start()
    yield Producer(raw)
    await raw.stop()


@pytest.fixture
def consumer_settings(settings, running_broker):
    """Short group timeouts, so that joining and rejoining a group takes about a second."""
    return settings.model_copy(
        update={
            "kafka_bootstrap_servers": running_broker.bootstrap_servers,
            "consumer_session_timeout_ms": 1500,
            "consumer_heartbeat_interval_ms": 300,
        }
    )


async def group_at_end(bootstrap_servers: str, group_id: str, topics: list[str]) -> str:
    """A new consumer group that starts after what earlier tests left on the shared topics."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers, group_id=group_id, enable_auto_commit=False
    )
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in consumer.partitions_for_topic(topic) or ()
        ]
        if partitions:
            consumer.assign(partitions)
            await consumer.commit(await consumer.end_offsets(partitions))
    finally:
        await consumer.stop()
    return group_id


@pytest.fixture
def fresh_group(consumer_settings) -> Callable[[ConsumerSpec], Awaitable[str]]:
    async def make(spec: ConsumerSpec) -> str:
        return await group_at_end(
            consumer_settings.kafka_bootstrap_servers, f"test-{uuid.uuid4()}", spec.topics
        )

    return make


@asynccontextmanager
async def running(consumer: EventConsumer) -> AsyncIterator[asyncio.Task[None]]:
    """Runs the consumer in the background; stops it (gracefully) when the block ends."""
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        yield task
    finally:
        stop.set()
        await task


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


# The `data` of each event as its producer writes it (apptremind/events.py).


def booked(
    business_id: uuid.UUID,
    appointment_id: uuid.UUID,
    start: datetime,
    timezone: str = "Europe/Berlin",
) -> dict[str, Any]:
    return events.AppointmentBooked(
        appointment_id=appointment_id,
        business_id=business_id,
        staff_id=uuid.uuid4(),
        service_id=uuid.uuid4(),
        customer_email="ada@example.com",
        customer_phone=None,
        service_name="Haircut",
        start_time=start,
        end_time=start + timedelta(hours=1),
        timezone=timezone,
        reminder_times=[],
        reminders=[],
    ).model_dump(mode="json")


def rescheduled(
    business_id: uuid.UUID,
    appointment_id: uuid.UUID,
    start: datetime,
    timezone: str = "Europe/Berlin",
) -> dict[str, Any]:
    return events.AppointmentRescheduled(
        appointment_id=appointment_id,
        business_id=business_id,
        previous_start_time=start + timedelta(days=3),
        start_time=start,
        end_time=start + timedelta(hours=1),
        timezone=timezone,
        reminder_times=[],
    ).model_dump(mode="json")


def cancelled(business_id: uuid.UUID, appointment_id: uuid.UUID) -> dict[str, Any]:
    return events.AppointmentCancelled(
        appointment_id=appointment_id, business_id=business_id, reason=None, cancelled_by="owner"
    ).model_dump(mode="json")


def reminder_sent(business_id: uuid.UUID, appointment_id: uuid.UUID) -> dict[str, Any]:
    return events.NotificationSent(
        appointment_id=appointment_id,
        business_id=business_id,
        reminder_id=uuid.uuid4(),
        channel="email",
        provider_id="provider-message-1",
    ).model_dump(mode="json")


def reminder_failed(business_id: uuid.UUID, appointment_id: uuid.UUID) -> dict[str, Any]:
    return events.NotificationFailed(
        appointment_id=appointment_id,
        business_id=business_id,
        reminder_id=uuid.uuid4(),
        channel="sms",
        error_reason="the provider refused the number",
    ).model_dump(mode="json")


def about(business_id: uuid.UUID, appointment_id: uuid.UUID) -> dict[str, Any]:
    """appointment.completed, appointment.no_show: the ids alone."""
    return events.AppointmentCompleted(
        appointment_id=appointment_id, business_id=business_id
    ).model_dump(mode="json")
