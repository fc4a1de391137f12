import asyncio
import uuid

import pytest
from sqlalchemy import select

from apptremind.db import unit_of_work
from apptremind.outbox.models import OutboxEvent
from apptremind.outbox.relay import KafkaPublisher, OutboxRelay, RelayError
from apptremind.outbox.service import emit
from tests.helpers import register
from tests.kafka import read_topic
from tests.outbox.sequenced import Sequenced


def make_relay(sessionmaker, settings, bootstrap_servers: str) -> OutboxRelay:
    async def no_temporal():
        raise AssertionError("these tests publish to Kafka only")

    return OutboxRelay(sessionmaker, KafkaPublisher(bootstrap_servers), no_temporal, settings)


async def outbox_rows(sessionmaker) -> list[OutboxEvent]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)))


async def emit_sequence(sessionmaker, business_id: uuid.UUID, count: int) -> None:
    for n in range(count):
        async with unit_of_work(sessionmaker) as session:
            await emit(session, Sequenced(n=n), key=business_id)


async def test_user_created_reaches_kafka_in_the_envelope_keyed_by_business(
    client, sessionmaker, settings, running_broker
):
    owner = await register(client, email="Ada@Example.com")
    relay = make_relay(sessionmaker, settings, running_broker.bootstrap_servers)

    assert await relay.publish_pending() == 1

    [envelope] = await read_topic(
        running_broker.bootstrap_servers, "user.created", key=owner["business_id"], expected=1
    )
    assert envelope["event_type"] == "user.created"
    uuid.UUID(envelope["event_id"])
    assert envelope["timestamp"].endswith("Z") or "+00:00" in envelope["timestamp"]
    assert envelope["data"] == {
        "user_id": owner["user_id"],
        "email": "ada@example.com",
        "role": "owner",
        "business_id": owner["business_id"],
    }
    [row] = await outbox_rows(sessionmaker)
    assert row.published_at is not None
    assert str(row.event_id) == envelope["event_id"]


async def test_events_of_one_business_arrive_in_the_order_they_were_written(
    sessionmaker, settings, running_broker
):
    business_id = uuid.uuid4()
    await emit_sequence(sessionmaker, business_id, 30)
    relay = make_relay(
        sessionmaker,
        settings.model_copy(update={"outbox_batch_size": 7}),
        running_broker.bootstrap_servers,
    )

    while await relay.publish_pending():
        pass

    envelopes = await read_topic(
        running_broker.bootstrap_servers, "test.sequenced", key=str(business_id), expected=30
    )
    assert [e["data"]["n"] for e in envelopes] == list(range(30))


async def test_nothing_is_published_for_a_rolled_back_transaction(
    sessionmaker, settings, running_broker
):
    async def failing_change() -> None:
        async with unit_of_work(sessionmaker) as session:
            await emit(session, Sequenced(n=0), key=uuid.uuid4())
            raise RuntimeError("the state change failed")

    with pytest.raises(RuntimeError):
        await failing_change()

    assert await outbox_rows(sessionmaker) == []
    assert (
        await make_relay(sessionmaker, settings, running_broker.bootstrap_servers).publish_pending()
        == 0
    )


async def test_events_wait_in_the_outbox_while_the_broker_is_down_and_flow_when_it_returns(
    client, sessionmaker, settings, running_broker
):
    relay = make_relay(sessionmaker, settings, running_broker.bootstrap_servers)
    running_broker.stop()
    try:
        owner = await register(client)
        with pytest.raises(RelayError):
            await relay.publish_pending()
        with pytest.raises(RelayError):
            await relay.publish_pending()
        [row] = await outbox_rows(sessionmaker)
        assert row.published_at is None
        assert row.attempts == 2
        assert row.last_error
    finally:
        running_broker.start()

    assert await relay.publish_pending() == 1
    [envelope] = await read_topic(
        running_broker.bootstrap_servers, "user.created", key=owner["business_id"], expected=1
    )
    assert envelope["data"]["user_id"] == owner["user_id"]


async def test_a_restarted_relay_delivers_what_was_written_while_it_was_stopped(
    engine, sessionmaker, settings, running_broker
):
    business_id = uuid.uuid4()

    async def run_relay_until(published: int) -> None:
        relay = make_relay(sessionmaker, settings, running_broker.bootstrap_servers)
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(engine, stop))
        try:
            async with asyncio.timeout(20):
                while (
                    sum(r.published_at is not None for r in await outbox_rows(sessionmaker))
                    < published
                ):
                    await asyncio.sleep(0.05)
        finally:
            stop.set()
            await asyncio.wait_for(task, 20)

    await emit_sequence(sessionmaker, business_id, 3)
    await run_relay_until(published=3)
    await emit_sequence(sessionmaker, business_id, 3)  # written while no relay runs
    await run_relay_until(published=6)

    envelopes = await read_topic(
        running_broker.bootstrap_servers, "test.sequenced", key=str(business_id), expected=6
    )
    assert [e["data"]["n"] for e in envelopes] == [0, 1, 2, 0, 1, 2]


async def test_only_one_relay_delivers_at_a_time(engine, sessionmaker, settings, running_broker):
    first = make_relay(sessionmaker, settings, running_broker.bootstrap_servers)
    second = make_relay(sessionmaker, settings, running_broker.bootstrap_servers)
    stop = asyncio.Event()
    leader = asyncio.create_task(first.run(engine, stop))
    await asyncio.sleep(0)  # let the first relay take the lock
    follower = asyncio.create_task(second.run(engine, stop))
    business_id = uuid.uuid4()
    try:
        await emit_sequence(sessionmaker, business_id, 5)
        async with asyncio.timeout(20):
            while any(r.published_at is None for r in await outbox_rows(sessionmaker)):
                await asyncio.sleep(0.05)
        assert second.publisher._producer is None  # the follower never connected
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(leader, follower), 20)
