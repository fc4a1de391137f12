"""The relay under failure: a slow broker or Temporal never pins a database transaction, a
crash between publishing and marking republishes instead of losing, per-key order holds, a
relay that lost its leader lock steps back, and the backlog is visible as it grows."""

import asyncio
import logging
import random
import uuid

import httpx
from sqlalchemy import select, text

from apptremind import events
from apptremind.db import unit_of_work
from apptremind.devstack.processes import free_port
from apptremind.metrics import MetricsServer
from apptremind.outbox.models import OutboxEvent
from apptremind.outbox.relay import LEADER_LOCK_ID, KafkaPublisher, OutboxRelay
from apptremind.outbox.service import emit
from tests.kafka import read_topic
from tests.outbox.sequenced import Sequenced
from workers import relay as relay_process

TOPIC = Sequenced.event_type


class GatedPublisher(KafkaPublisher):
    """Publishes for real, but each send first waits at a gate the test opens."""

    def __init__(self, bootstrap_servers: str) -> None:
        super().__init__(bootstrap_servers)
        self.waiting = asyncio.Event()
        self.gate = asyncio.Event()

    async def send(self, topic: str, key: str, value: bytes, headers=()) -> None:
        self.waiting.set()
        await self.gate.wait()
        await super().send(topic, key, value)


class CrashAfterPublisher(KafkaPublisher):
    """Publishes for real; after the `crash_after`-th event it hangs, so the test can kill
    the relay after the broker has every event and before the outbox is marked."""

    def __init__(self, bootstrap_servers: str, crash_after: int) -> None:
        super().__init__(bootstrap_servers)
        self.crash_after = crash_after
        self.sent = 0
        self.all_sent = asyncio.Event()

    async def send(self, topic: str, key: str, value: bytes, headers=()) -> None:
        await super().send(topic, key, value)
        self.sent += 1
        if self.sent == self.crash_after:
            self.all_sent.set()
            await asyncio.Event().wait()  # until cancelled: the crash


class SlowPublisher(KafkaPublisher):
    """A broker that answers each send after a random delay."""

    async def send(self, topic: str, key: str, value: bytes, headers=()) -> None:
        await asyncio.sleep(random.uniform(0, 0.02))
        await super().send(topic, key, value)


class BlockedTemporal:
    """A Temporal client whose workflow starts wait at a gate the test opens."""

    def __init__(self) -> None:
        self.waiting = asyncio.Event()
        self.gate = asyncio.Event()
        self.started: list[str] = []

    async def start_workflow(self, workflow, arg, *, id: str, **options) -> None:  # noqa: A002
        self.waiting.set()
        await self.gate.wait()
        self.started.append(id)


async def no_temporal():
    raise AssertionError("this test publishes to Kafka only")


async def rows(sessionmaker) -> list[OutboxEvent]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)))


async def emit_sequence(sessionmaker, key: uuid.UUID, count: int) -> None:
    for n in range(count):
        async with unit_of_work(sessionmaker) as session:
            await emit(session, Sequenced(n=n), key=key)


async def open_transactions(engine) -> list[str]:
    """What every session of the test database that is inside a transaction is doing."""
    async with engine.connect() as connection:
        found = await connection.execute(
            text(
                "SELECT state, query FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND xact_start IS NOT NULL"
            )
        )
        return [f"{row.state}: {row.query}" for row in found]


async def test_no_transaction_or_connection_is_held_while_the_broker_is_slow(
    engine, sessionmaker, settings, running_broker
):
    await emit_sequence(sessionmaker, uuid.uuid4(), 3)
    publisher = GatedPublisher(running_broker.bootstrap_servers)
    relay = OutboxRelay(sessionmaker, publisher, no_temporal, settings)

    publishing = asyncio.create_task(relay.publish_pending())
    try:
        async with asyncio.timeout(10):
            await publisher.waiting.wait()
        # The relay is waiting on the broker: its connection is back in the pool and no
        # transaction is open anywhere (the old relay sat "idle in transaction" here).
        assert engine.pool.checkedout() == 0
        assert await open_transactions(engine) == []
        publisher.gate.set()
        assert await asyncio.wait_for(publishing, 20) == 3
    finally:
        publisher.gate.set()
        await publisher.close()
    assert all(row.published_at is not None for row in await rows(sessionmaker))


async def test_no_transaction_is_held_while_temporal_starts_a_workflow(
    engine, sessionmaker, settings
):
    async with unit_of_work(sessionmaker) as session:
        await emit(
            session,
            events.PasswordResetRequested(email="x@example.com", token_id=uuid.uuid4()),
            key=uuid.uuid4(),
        )
    temporal = BlockedTemporal()

    async def connect():
        return temporal

    relay = OutboxRelay(
        sessionmaker, KafkaPublisher(settings.kafka_bootstrap_servers), connect, settings
    )
    dispatching = asyncio.create_task(relay.dispatch_pending())
    try:
        async with asyncio.timeout(10):
            await temporal.waiting.wait()
        assert engine.pool.checkedout() == 0
        assert await open_transactions(engine) == []
        [row] = await rows(sessionmaker)
        assert row.dispatched_at is None  # marked only once Temporal has it
        temporal.gate.set()
        assert await asyncio.wait_for(dispatching, 20) == 1
    finally:
        temporal.gate.set()
    [row] = await rows(sessionmaker)
    assert row.dispatched_at is not None
    assert temporal.started == [f"password-reset-{row.envelope['data']['token_id']}"]


async def test_a_crash_between_publishing_and_marking_republishes_in_order_and_loses_nothing(
    sessionmaker, settings, running_broker
):
    keys = [uuid.uuid4(), uuid.uuid4()]
    for key in keys:
        await emit_sequence(sessionmaker, key, 3)
    crashing = CrashAfterPublisher(running_broker.bootstrap_servers, crash_after=6)
    relay = OutboxRelay(sessionmaker, crashing, no_temporal, settings)

    publishing = asyncio.create_task(relay.publish_pending())
    async with asyncio.timeout(20):
        await crashing.all_sent.wait()
    publishing.cancel()  # the process dies: the broker has all six, the outbox marks none
    await asyncio.gather(publishing, return_exceptions=True)
    await crashing.close()
    assert [row.published_at for row in await rows(sessionmaker)] == [None] * 6

    restarted = OutboxRelay(
        sessionmaker, KafkaPublisher(running_broker.bootstrap_servers), no_temporal, settings
    )
    try:
        assert await restarted.publish_pending() == 6
    finally:
        await restarted.publisher.close()

    assert all(row.published_at is not None for row in await rows(sessionmaker))
    for key in keys:
        envelopes = await read_topic(
            running_broker.bootstrap_servers, TOPIC, key=str(key), expected=6
        )
        # Each pass in order; the second one repeats the first (same event ids), which
        # consumers skip: delivered at least once, none lost.
        assert [e["data"]["n"] for e in envelopes] == [0, 1, 2, 0, 1, 2]
        assert [e["event_id"] for e in envelopes[:3]] == [e["event_id"] for e in envelopes[3:]]


async def test_each_key_keeps_its_order_when_the_broker_answers_out_of_order(
    sessionmaker, settings, running_broker
):
    keys = [uuid.uuid4() for _ in range(4)]
    for round_ in range(6):  # interleaved: every batch mixes the keys
        for key in keys:
            async with unit_of_work(sessionmaker) as session:
                await emit(session, Sequenced(n=round_), key=key)
    relay = OutboxRelay(
        sessionmaker,
        SlowPublisher(running_broker.bootstrap_servers),
        no_temporal,
        settings.model_copy(update={"outbox_batch_size": 5}),
    )
    try:
        while await relay.publish_pending():
            pass
    finally:
        await relay.publisher.close()

    for key in keys:
        envelopes = await read_topic(
            running_broker.bootstrap_servers, TOPIC, key=str(key), expected=6
        )
        assert [e["data"]["n"] for e in envelopes] == list(range(6))


async def test_a_relay_whose_lock_connection_dies_steps_back_then_leads_again(
    engine, sessionmaker, settings, running_broker, caplog
):
    relay = OutboxRelay(
        sessionmaker, KafkaPublisher(running_broker.bootstrap_servers), no_temporal, settings
    )
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(engine, stop))
    key = uuid.uuid4()
    try:
        with caplog.at_level(logging.WARNING, logger="apptremind.relay"):
            await eventually(lambda: relay.metrics.leader)
            # The database ends the leader's session (a restart, a failover, an operator).
            async with engine.connect() as connection:
                ended = await connection.scalar(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_locks"
                        " WHERE locktype = 'advisory' AND objid = :key"
                    ),
                    {"key": LEADER_LOCK_ID},
                )
                await connection.commit()
            assert ended == 1
            await emit_sequence(sessionmaker, key, 3)
            await eventually(lambda: "stopped delivering" in caplog.text)
            await eventually(lambda: relay.metrics.leader)  # on a new connection
            await eventually_async(
                lambda: _all_published(sessionmaker),
            )
    finally:
        stop.set()
        await asyncio.wait_for(running, 20)
    envelopes = await read_topic(running_broker.bootstrap_servers, TOPIC, key=str(key), expected=3)
    assert [e["data"]["n"] for e in envelopes] == [0, 1, 2]


async def test_the_backlog_gauges_count_unpublished_rows_and_their_age(
    engine, sessionmaker, settings, running_broker
):
    await emit_sequence(sessionmaker, uuid.uuid4(), 3)
    async with unit_of_work(sessionmaker) as session:
        await emit(
            session,
            events.PasswordResetRequested(email="x@example.com", token_id=uuid.uuid4()),
            key=uuid.uuid4(),
        )
        # The oldest event has waited five minutes.
        await session.execute(
            text(
                "UPDATE outbox.events SET created_at = now() - interval '5 minutes'"
                " WHERE id = (SELECT min(id) FROM outbox.events)"
            )
        )
    relay = OutboxRelay(
        sessionmaker, KafkaPublisher(running_broker.bootstrap_servers), no_temporal, settings
    )
    server = MetricsServer(relay.metrics, "127.0.0.1", free_port())
    await server.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as http:
            assert (await http.get("/healthz")).status_code == 503  # nothing measured yet
            backlog = await relay.measure_backlog()
            before = gauges((await http.get("/metrics")).text)
            assert (await http.get("/healthz")).status_code == 200

            assert await relay.publish_pending() == 4
            await relay.measure_backlog()
            after = gauges((await http.get("/metrics")).text)
    finally:
        await server.stop()
        await relay.publisher.close()

    assert backlog.unpublished == 4
    assert backlog.undispatched == 1
    assert before["apptremind_outbox_unpublished_events"] == 4
    assert 300 <= before["apptremind_outbox_oldest_unpublished_age_seconds"] < 360
    assert before["apptremind_outbox_undispatched_events"] == 1
    assert before["apptremind_outbox_oldest_undispatched_age_seconds"] < 60
    assert after["apptremind_outbox_unpublished_events"] == 0
    assert after["apptremind_outbox_oldest_unpublished_age_seconds"] == 0
    assert after["apptremind_relay_published_total"] == 4
    assert after["apptremind_outbox_undispatched_events"] == 1  # no Temporal in this test


async def test_the_relay_process_logs_and_serves_its_backlog_while_the_broker_is_down(
    engine, sessionmaker, settings, caplog
):
    port = free_port()
    wired = settings.model_copy(
        update={"relay_metrics_port": port, "outbox_backlog_interval_seconds": 0.2}
    )  # settings' broker and Temporal addresses answer nothing
    await emit_sequence(sessionmaker, uuid.uuid4(), 2)
    stop = asyncio.Event()
    with caplog.at_level(logging.INFO, logger="apptremind.relay"):
        process = asyncio.create_task(relay_process.run(wired, stop))
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:

                async def two_waiting() -> bool:
                    try:
                        metrics = gauges((await http.get("/metrics")).text)
                    except httpx.HTTPError:
                        return False
                    return metrics["apptremind_outbox_unpublished_events"] == 2

                await eventually_async(two_waiting)
                assert (await http.get("/healthz")).status_code == 200
        finally:
            stop.set()
            await asyncio.wait_for(process, 30)
    [line, *_] = [r for r in caplog.records if r.getMessage().startswith("outbox backlog")]
    assert line.getMessage().startswith("outbox backlog: 2 unpublished")
    assert line.fields["outbox_unpublished"] == 2


def gauges(exposition: str) -> dict[str, float]:
    values = {}
    for line in exposition.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            values[name] = float(value)
    return values


async def _all_published(sessionmaker) -> bool:
    return all(row.published_at is not None for row in await rows(sessionmaker))


async def eventually(predicate, timeout: float = 20) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.05)


async def eventually_async(predicate, timeout: float = 20) -> None:
    async with asyncio.timeout(timeout):
        while not await predicate():
            await asyncio.sleep(0.05)
