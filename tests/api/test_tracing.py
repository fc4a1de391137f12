"""One booking is one trace: the HTTP request, the outbox row, the relay's workflow start, the
workflow and the reminder's send share a trace id; the Kafka message carries it on to the
consumers, whose batch spans link to it."""

import asyncio
import io
from datetime import datetime, timedelta

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import ConsumerRecord
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import select

from activities.notifications import NotificationActivities
from api.app import create_app
from apptremind.analytics.consumer import ANALYTICS
from apptremind.notifications.providers import ConsoleSmsProvider, SmtpEmailProvider
from apptremind.outbox.models import OutboxEvent
from apptremind.outbox.relay import KafkaPublisher, OutboxRelay
from apptremind.telemetry import tracing
from apptremind.temporal.client import connect_temporal
from tests.consumers.test_batching import processor
from tests.scenarios import API, BERLIN, book, setup_business, slots
from workers.appointments import build_worker as appointments_worker
from workers.notifications import build_worker as notifications_worker


async def published_message(broker, topic: str, appointment_id: str) -> ConsumerRecord:
    """The message the relay published about the appointment, read back from the broker."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=broker.bootstrap_servers, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        async with asyncio.timeout(30):
            while True:
                message = await consumer.getone()
                if appointment_id.encode() in (message.value or b""):
                    return message
    finally:
        await consumer.stop()


@pytest.fixture
def spans(monkeypatch):
    """Tracing on for this test only, its spans kept in memory."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(tracing, "_provider", provider)
    yield exporter
    provider.shutdown()


async def test_one_booking_is_one_trace_from_the_request_to_the_reminder_send(
    spans, wired, sessionmaker, mail_server, running_broker
):
    wired = wired.model_copy(update={"kafka_bootstrap_servers": running_broker.bootstrap_servers})
    temporal = await connect_temporal(wired)  # with the tracing interceptor
    smtp = SmtpEmailProvider(mail_server.host, mail_server.port, "Salon <salon@example.com>")
    activities = NotificationActivities(
        sessionmaker, smtp, ConsoleSmsProvider(io.StringIO()), wired
    )
    app = create_app(wired)
    async with (
        appointments_worker(temporal, sessionmaker, wired.appointments_task_queue),
        notifications_worker(temporal, activities, wired.notifications_task_queue),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as api,
    ):
        round_the_clock = [
            {"day_of_week": d, "start_time": "00:00", "end_time": "24:00"} for d in range(7)
        ]
        biz = await setup_business(api, duration=5, hours=round_the_clock)
        await api.patch(
            f"{API}/business/profile",
            headers=biz["auth"],
            json={"min_notice_minutes": 0, "slot_interval_minutes": 5},
        )
        now = datetime.now(BERLIN)
        upcoming = [
            s
            for day in (now.date(), now.date() + timedelta(days=1))
            for s in await slots(api, biz, day)
            if datetime.fromisoformat(s) > now + timedelta(seconds=70)
        ]
        # One reminder, due 10 to 70 seconds from now.
        start = datetime.fromisoformat(upcoming[0])
        offset = int(((start - datetime.now(BERLIN)).total_seconds() - 10) // 60)
        await api.patch(
            f"{API}/business/profile",
            headers=biz["auth"],
            json={"reminder_offsets_minutes": [offset]},
        )
        spans.clear()
        booked = await book(api, biz, upcoming[0], name="Ada", email="ada@example.com")
        assert booked.status_code == 201, booked.text
        appointment_id = booked.json()["appointment_id"]

        async with sessionmaker() as session:
            row = await session.scalar(
                select(OutboxEvent).where(
                    OutboxEvent.event_type == "appointment.booked",
                    OutboxEvent.envelope["data"]["appointment_id"].astext == appointment_id,
                )
            )
        assert row is not None
        assert row.trace_context["traceparent"].startswith("00-")

        relay = OutboxRelay(
            sessionmaker,
            KafkaPublisher(running_broker.bootstrap_servers),
            lambda: connect_temporal(wired),
            wired,
        )
        try:
            while await relay.publish_pending():
                pass
            while await relay.dispatch_pending():
                pass
        finally:
            await relay.publisher.close()
        message = await published_message(running_broker, "appointment.booked", appointment_id)
        analytics = processor(ANALYTICS, sessionmaker)
        try:
            await analytics.process([message])
        finally:
            await analytics.close()
        async with asyncio.timeout(120):
            while not any(
                s.name == "RunActivity:send_reminder" for s in spans.get_finished_spans()
            ):
                await asyncio.sleep(0.2)
    await app.state.engine.dispose()

    finished = spans.get_finished_spans()
    [request] = [s for s in finished if s.name == "POST /api/v1/public/book"]
    trace_id = request.context.trace_id
    assert row.trace_context["traceparent"].split("-")[1] == format(trace_id, "032x")
    in_trace = [s for s in finished if s.context.trace_id == trace_id]
    names = {s.name for s in in_trace}
    for expected in (
        "POST /api/v1/public/book",
        "appointment.booked publish",
        "appointment.booked dispatch",
        "StartWorkflow:AppointmentWorkflow",
        "RunWorkflow:AppointmentWorkflow",
        "RunActivity:send_reminder",
    ):
        assert expected in names, (expected, sorted(names))
    assert any(s.attributes.get("db.system") for s in in_trace)  # SQL spans of the request
    [applied] = [s for s in finished if s.name == "analytics apply"]
    assert trace_id in {link.context.trace_id for link in applied.links}
    print("spans of one booking:", sorted(names), "linked from:", applied.name)
