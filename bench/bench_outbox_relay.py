"""Outbox relay throughput against the raw producer rate of the same broker, in one run.

Starts its own PostgreSQL and broker on free loopback ports. For each round it writes
EVENTS outbox rows spread over KEYS businesses, then times the relay draining them; the
baseline is one aiokafka producer sending the same number of messages with send_and_wait,
one after another (the relay's per-key discipline). Prints medians of ROUNDS rounds.
"""

import asyncio
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from aiokafka import AIOKafkaProducer
from sqlalchemy import delete

from apptremind.db import create_engine, create_sessionmaker, unit_of_work
from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import broker_command, free_port, wait_for_port
from apptremind.events import Event
from apptremind.migrations.runner import upgrade
from apptremind.outbox.models import OutboxEvent
from apptremind.outbox.relay import KafkaPublisher, OutboxRelay
from apptremind.outbox.service import emit
from apptremind.settings import Settings

EVENTS = 2000
KEYS = 50
ROUNDS = 3


class BenchEvent(Event):
    event_type = "bench.relay"

    n: int


async def raw_producer_seconds(bootstrap: str) -> float:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        started = time.perf_counter()
        for n in range(EVENTS):
            await producer.send_and_wait("bench.raw", b"{}", key=str(n % KEYS).encode())
        return time.perf_counter() - started
    finally:
        await producer.stop()


async def relay_seconds(settings: Settings) -> float:
    engine = create_engine(settings)
    sessionmaker = create_sessionmaker(engine)
    keys = [uuid.uuid4() for _ in range(KEYS)]
    async with unit_of_work(sessionmaker) as session:
        await session.execute(delete(OutboxEvent))
        for n in range(EVENTS):
            await emit(session, BenchEvent(n=n), key=keys[n % KEYS])

    async def no_temporal():  # bench events start no workflow
        raise AssertionError

    relay = OutboxRelay(
        sessionmaker, KafkaPublisher(settings.kafka_bootstrap_servers), no_temporal, settings
    )
    started = time.perf_counter()
    while await relay.publish_pending():
        pass
    elapsed = time.perf_counter() - started
    await relay.publisher.close()
    await engine.dispose()
    return elapsed


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        postgres = EmbeddedPostgres(Path(tmp) / "pg", free_port())
        broker_port = free_port()
        broker = subprocess.Popen(
            broker_command(broker_port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        postgres.start()
        try:
            wait_for_port("127.0.0.1", broker_port)
            postgres.create_database("bench")
            upgrade(postgres.url_for("bench"))
            settings = Settings(
                database_url=postgres.url_for("bench"),
                kafka_bootstrap_servers=f"127.0.0.1:{broker_port}",
            )
            raw, relayed = [], []
            for _ in range(ROUNDS):
                raw.append(await raw_producer_seconds(settings.kafka_bootstrap_servers))
                relayed.append(await relay_seconds(settings))
        finally:
            broker.terminate()
            broker.wait()
            postgres.stop()

    raw_rate = EVENTS / statistics.median(raw)
    relay_rate = EVENTS / statistics.median(relayed)
    print(f"outbox relay: {EVENTS} events over {KEYS} keys, median of {ROUNDS} rounds")
    print(f"  raw producer (send_and_wait, sequential): {raw_rate:8.0f} msg/s")
    print(f"  outbox relay (publish + mark published):  {relay_rate:8.0f} events/s")
    print(f"  relay / raw: {relay_rate / raw_rate:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
