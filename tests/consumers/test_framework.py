import uuid

import httpx
from pydantic import BaseModel
from sqlalchemy import CheckConstraint, Column, Integer, MetaData, Table, select, text

from apptremind.analytics.consumer import ANALYTICS
from apptremind.analytics.models import AnalyticsProcessedEvent
from apptremind.consumers import processed
from apptremind.consumers.metrics import MetricsServer
from apptremind.consumers.runner import ConsumerSpec, EventConsumer
from apptremind.db import create_engine, create_sessionmaker
from apptremind.devstack.processes import free_port
from tests.consumers.conftest import booked, eventually, running
from tests.consumers.test_analytics_consumer import LATE_EVENING_UTC, dead_letters, headers


class Counted(BaseModel):
    business_id: uuid.UUID
    n: int


# A table that refuses one value: the event carrying it fails however often it is retried.
COUNTED = Table(
    "test_counted",
    MetaData(),
    Column("n", Integer, CheckConstraint("n <> 13", name="not_thirteen"), nullable=False),
)

POISONABLE = ConsumerSpec(
    name="test-poisonable",
    schemas={"test.counted": Counted},
    processed_events=AnalyticsProcessedEvent.__table__,
    columns=[processed.Column("n", "int", lambda e: e.data.n)],
    apply="INSERT INTO test_counted (n) SELECT n FROM new_events",
    state_tables=[COUNTED],
)


async def test_an_event_that_keeps_failing_is_dead_lettered_and_the_partition_moves_on(
    sessionmaker, consumer_settings, producer, fresh_group
):
    business = uuid.uuid4()
    async with sessionmaker() as session, session.begin():
        await session.run_sync(lambda sync: COUNTED.drop(sync.connection(), checkfirst=True))
        await session.run_sync(lambda sync: COUNTED.create(sync.connection()))
    consumer = EventConsumer(
        POISONABLE, sessionmaker, consumer_settings, group_id=await fresh_group(POISONABLE)
    )
    async with running(consumer):
        for n in (12, 13, 14):
            await producer.event("test.counted", {"business_id": str(business), "n": n})
        await eventually(lambda: _done(consumer, processed=2, dead=1))
        await producer.event("test.counted", {"business_id": str(business), "n": 15})
        await eventually(lambda: _done(consumer, processed=3, dead=1))

    [letter] = await dead_letters(consumer_settings, "test.counted", business, 1)
    reason = headers(letter)["dlq.reason"]
    assert reason.startswith("processing failed: CheckViolation: "), reason
    assert "not_thirteen" in reason
    assert consumer.metrics.retries >= consumer_settings.consumer_max_attempts
    async with sessionmaker() as session:
        processed = set(await session.scalars(select(AnalyticsProcessedEvent.event_id)))
    assert len(processed) == 3  # 12, 14, 15: the refused event left nothing behind
    async with sessionmaker() as session:
        assert sorted(await session.scalars(select(COUNTED.c.n))) == [12, 14, 15]


async def test_a_consumer_serves_health_and_prometheus_counters(
    sessionmaker, consumer_settings, producer, fresh_group
):
    business = uuid.uuid4()
    consumer = EventConsumer(
        ANALYTICS, sessionmaker, consumer_settings, group_id=await fresh_group(ANALYTICS)
    )
    server = MetricsServer(consumer.metrics, "127.0.0.1", free_port())
    await server.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        async with httpx.AsyncClient(base_url=base) as http:
            assert (await http.get("/healthz")).status_code == 503  # not consuming yet
            async with running(consumer):
                await producer.event(
                    "appointment.booked", booked(business, uuid.uuid4(), LATE_EVENING_UTC)
                )
                await producer.send("appointment.booked", b"garbage", business)
                await eventually(lambda: _done(consumer, processed=1, dead=1))
                health = await http.get("/healthz")
                metrics = await http.get("/metrics")
            assert (await http.get("/healthz")).status_code == 503  # stopped
            assert (await http.get("/nothing")).status_code == 404
    finally:
        await server.stop()

    assert health.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    lines = metrics.text.splitlines()
    assert 'apptremind_consumer_processed_total{consumer="analytics"} 1.0' in lines
    assert 'apptremind_consumer_dead_lettered_total{consumer="analytics"} 1.0' in lines
    assert 'apptremind_consumer_up{consumer="analytics"} 1.0' in lines
    assert "# TYPE apptremind_consumer_lag gauge" in lines
    assert any(
        line.startswith('apptremind_consumer_lag{consumer="analytics",')
        and 'topic="appointment.booked"' in line
        and line.endswith(" 0.0")
        for line in lines
    )
    assert "process_cpu_seconds_total" in metrics.text  # the process's own figures too


async def _done(consumer: EventConsumer, *, processed: int, dead: int) -> bool:
    return consumer.metrics.processed >= processed and consumer.metrics.dead_lettered >= dead


async def test_while_the_database_is_away_events_wait_and_are_never_dead_lettered(
    sessionmaker, consumer_settings, producer, fresh_group
):
    business = uuid.uuid4()
    group = await fresh_group(ANALYTICS)
    nowhere = consumer_settings.model_copy(
        update={"database_url": f"postgresql://postgres@127.0.0.1:{free_port()}/nothing"}
    )
    unreachable_engine = create_engine(nowhere)
    waiting = EventConsumer(
        ANALYTICS, create_sessionmaker(unreachable_engine), nowhere, group_id=group
    )
    try:
        async with running(waiting):
            await producer.event(
                "appointment.booked", booked(business, uuid.uuid4(), LATE_EVENING_UTC)
            )
            await eventually(lambda: _retried(waiting, 3))
    finally:
        await unreachable_engine.dispose()
    assert (waiting.metrics.processed, waiting.metrics.dead_lettered) == (0, 0)

    back = EventConsumer(ANALYTICS, sessionmaker, consumer_settings, group_id=group)
    async with running(back):
        await eventually(lambda: _done(back, processed=1, dead=0))
    assert back.metrics.dead_lettered == 0


async def _retried(consumer: EventConsumer, count: int) -> bool:
    return consumer.metrics.retries >= count


async def test_a_lost_database_connection_is_replaced_and_no_event_is_dead_lettered(
    sessionmaker, consumer_settings, producer, fresh_group
):
    business = uuid.uuid4()
    consumer = EventConsumer(
        ANALYTICS, sessionmaker, consumer_settings, group_id=await fresh_group(ANALYTICS)
    )
    async with running(consumer):
        await producer.event("appointment.booked", booked(business, uuid.uuid4(), LATE_EVENING_UTC))
        await eventually(lambda: _done(consumer, processed=1, dead=0))
        async with sessionmaker() as session:  # as a database restart or failover would
            ended = await session.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        assert ended >= 1
        await producer.event("appointment.booked", booked(business, uuid.uuid4(), LATE_EVENING_UTC))
        await eventually(lambda: _done(consumer, processed=2, dead=0))
    assert consumer.metrics.dead_lettered == 0
    assert consumer.metrics.retries >= 1  # the first try on the lost connection failed
