"""Analytics consumer throughput against two baselines on the same topics, in one run.

Starts its own PostgreSQL and broker on free loopback ports and produces EVENTS envelopes
(bookings, reminders sent/failed, outcomes and moves of APPOINTMENTS appointments over
BUSINESSES businesses) to the analytics topics. Then, ROUNDS times, each with a new
consumer group and the clock started once the group has its partitions:

- raw: an aiokafka consumer group reading every message, no processing;
- raw + persist: the same, plus json.loads and one INSERT ... ON CONFLICT of the batch's
  event ids and an offset commit per batch: the floor any exactly-once consumer pays;
- analytics: the real EventConsumer (validation, processed-events table, per-appointment
  facts the daily figures derive from, offset commits), its tables emptied before the round.

Prints medians (events/s), the consumer/baseline ratios, the CPU each spent an event (this
process, where all three run, and PostgreSQL) and the consumer's RSS during a round.
"""

import asyncio
import json
import os
import random
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import text

from apptremind import events as model
from apptremind.analytics.consumer import ANALYTICS
from apptremind.consumers.runner import EventConsumer
from apptremind.db import create_engine, create_sessionmaker, unit_of_work
from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import broker_command, free_port, wait_for_port
from apptremind.migrations.runner import upgrade
from apptremind.settings import Settings
from bench.bench_booking import cpu_seconds

EVENTS = 100_000
APPOINTMENTS = EVENTS // 4
BUSINESSES = 500
ROUNDS = 5
BATCH = 500
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"]


def _times(start: datetime, zone: str) -> dict[str, Any]:
    return {
        "start_time": start,
        "end_time": start + timedelta(hours=1),
        "timezone": zone,
        "reminder_times": [],
    }


def _reminder() -> dict[str, Any]:
    return {"reminder_id": uuid.uuid4(), "channel": "email"}


def events() -> list[tuple[str, str, bytes]]:
    """(topic, key, value): four events per appointment, shuffled within each business's
    stream only by topic (one topic per type, as the relay publishes them)."""
    rng = random.Random(5)
    businesses = [(uuid.uuid4(), ZONES[n % len(ZONES)]) for n in range(BUSINESSES)]
    start = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    out = []
    for n in range(APPOINTMENTS):
        business, zone = businesses[n % BUSINESSES]
        ids = {"appointment_id": uuid.uuid4(), "business_id": business}
        when = start + timedelta(hours=rng.randrange(24 * 60))
        booked = model.AppointmentBooked(
            **ids,
            **_times(when, zone),
            staff_id=uuid.uuid4(),
            service_id=uuid.uuid4(),
            customer_email="bench@example.com",
            customer_phone=None,
            service_name="Bench",
            reminders=[],
        )
        roll = rng.random()
        last: model.Event = (
            model.AppointmentCancelled(**ids, reason=None, cancelled_by="customer")
            if roll < 0.15
            else model.AppointmentNoShow(**ids)
            if roll < 0.3
            else model.AppointmentRescheduled(
                **ids, **_times(when + timedelta(days=1), zone), previous_start_time=when
            )
            if roll < 0.4
            else model.AppointmentCompleted(**ids)
        )
        second = (
            model.NotificationFailed(**ids, **_reminder(), error_reason="refused")
            if rng.random() < 0.05
            else model.NotificationSent(**ids, **_reminder(), provider_id="bench")
        )
        sent = model.NotificationSent(**ids, **_reminder(), provider_id="bench")
        for event in (booked, sent, second, last):
            event_type = event.event_type
            value = {
                "event_id": str(uuid.uuid4()),
                "event_type": event_type,
                "timestamp": datetime.now(UTC).isoformat(),
                "data": event.model_dump(mode="json"),
            }
            out.append((event_type, str(business), json.dumps(value).encode()))
    return out


async def produce(bootstrap: str) -> float:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=False,
        linger_ms=20,
        max_batch_size=512 * 1024,
    )
    await producer.start()
    started = time.perf_counter()
    try:
        pending = []
        for topic, key, value in events():
            pending.append(await producer.send(topic, value, key=key.encode()))
            if len(pending) >= 5000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return time.perf_counter() - started


def group_consumer(settings: Settings) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        *ANALYTICS.topics,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"bench-{uuid.uuid4()}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=settings.consumer_session_timeout_ms,
        heartbeat_interval_ms=settings.consumer_heartbeat_interval_ms,
        rebalance_timeout_ms=settings.consumer_session_timeout_ms,
    )


async def raw_seconds(settings: Settings) -> float:
    consumer = group_consumer(settings)
    await consumer.start()  # returns once the group assigned the partitions
    started = time.perf_counter()
    seen = 0
    try:
        while seen < EVENTS:
            batches = await consumer.getmany(timeout_ms=500, max_records=BATCH)
            seen += sum(len(records) for records in batches.values())
        return time.perf_counter() - started
    finally:
        await consumer.stop()


async def persist_seconds(settings: Settings, sessionmaker) -> float:
    async with unit_of_work(sessionmaker) as session:
        await session.execute(text("TRUNCATE bench_event_ids"))
    consumer = group_consumer(settings)
    await consumer.start()
    started = time.perf_counter()
    seen = 0
    try:
        while seen < EVENTS:
            batches = await consumer.getmany(timeout_ms=500, max_records=BATCH)
            if not batches:
                continue
            ids = [json.loads(r.value)["event_id"] for rs in batches.values() for r in rs]
            async with unit_of_work(sessionmaker) as session:
                # the same one-string array parameter the consumer uses: the fastest insert
                await session.execute(
                    text(
                        "INSERT INTO bench_event_ids SELECT unnest(CAST(string_to_array(:ids, ',')"
                        " AS uuid[])) ON CONFLICT DO NOTHING"
                    ),
                    {"ids": ",".join(ids)},
                )
            await consumer.commit({tp: rs[-1].offset + 1 for tp, rs in batches.items()})
            seen += len(ids)
        return time.perf_counter() - started
    finally:
        await consumer.stop()


class CpuPerEvent:
    """CPU microseconds an event of each phase: this process's and PostgreSQL's."""

    def __init__(self, postmaster: int) -> None:
        self.postmaster = postmaster
        self.phases: dict[str, list[tuple[float, float]]] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        own, server = sum(os.times()[:2]), cpu_seconds(self.postmaster)
        yield
        own, server = sum(os.times()[:2]) - own, cpu_seconds(self.postmaster) - server
        self.phases.setdefault(name, []).append((1e6 * own / EVENTS, 1e6 * server / EVENTS))

    def median_us(self, name: str) -> tuple[float, float]:
        runs = self.phases[name]
        return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


async def analytics_seconds(settings: Settings, sessionmaker) -> tuple[float, list[float]]:
    """Seconds from the group's assignment to the last event committed, and RSS samples."""
    async with unit_of_work(sessionmaker) as session:
        tables = ", ".join(
            t.fullname for t in [*ANALYTICS.state_tables, ANALYTICS.processed_events]
        )
        await session.execute(text(f"TRUNCATE {tables}"))
    consumer = EventConsumer(ANALYTICS, sessionmaker, settings, group_id=f"bench-{uuid.uuid4()}")
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    while not consumer.metrics.running:
        await asyncio.sleep(0.005)
    started = time.perf_counter()
    rss, sampled = [rss_mb()], started
    while consumer.metrics.processed < EVENTS:
        if task.done():
            raise RuntimeError(f"the consumer stopped: {task.exception()}")
        await asyncio.sleep(0.005)
        if time.perf_counter() - sampled >= 0.1:
            rss.append(rss_mb())
            sampled = time.perf_counter()
    elapsed = time.perf_counter() - started
    stop.set()
    await task
    assert consumer.metrics.dead_lettered == 0
    return elapsed, rss


async def totals(sessionmaker) -> dict[str, int]:
    async with sessionmaker() as session:
        row = (
            await session.execute(
                text(
                    "SELECT count(*) FILTER (WHERE booked), count(*) FILTER (WHERE outcome = "
                    "'cancelled'), count(*) FILTER (WHERE outcome = 'completed'), count(*) FILTER "
                    "(WHERE outcome = 'no_show'), sum(reminders_sent), sum(reminders_failed) "
                    "FROM analytics.appointment_facts"
                )
            )
        ).one()
    names = ["booked", "cancelled", "completed", "no_show", "sent", "failed"]
    return dict(zip(names, (int(v or 0) for v in row), strict=True))


async def main() -> None:
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp).chmod(0o755)
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
                consumer_batch_size=BATCH,
                consumer_session_timeout_ms=1500,
                consumer_heartbeat_interval_ms=300,
            )
            engine = create_engine(settings)
            sessionmaker = create_sessionmaker(engine)
            async with unit_of_work(sessionmaker) as session:
                await session.execute(
                    text("CREATE TABLE bench_event_ids (event_id uuid PRIMARY KEY)")
                )
            produced = await produce(settings.kafka_bootstrap_servers)
            postmaster = int((postgres.pgdata / "postmaster.pid").read_text().split()[0])
            cpu = CpuPerEvent(postmaster)
            raw, persisted, consumed, samples = [], [], [], []
            for _ in range(ROUNDS):
                with cpu.phase("raw"):
                    raw.append(await raw_seconds(settings))
                with cpu.phase("persist"):
                    persisted.append(await persist_seconds(settings, sessionmaker))
                with cpu.phase("analytics"):
                    seconds, rss = await analytics_seconds(settings, sessionmaker)
                consumed.append(seconds)
                samples.append(rss)
            figures = await totals(sessionmaker)
            await engine.dispose()
        finally:
            broker.terminate()
            broker.wait()
            postgres.stop()

    raw_rate, persist_rate, consumer_rate = (
        EVENTS / statistics.median(s) for s in (raw, persisted, consumed)
    )
    last = samples[-1]
    print(
        f"kafka consumers: {EVENTS} events ({APPOINTMENTS} appointments, {BUSINESSES} businesses)"
        f"; {os.cpu_count()} cores, load average {load_at_start:.2f} at start,"
        f" {os.getloadavg()[0]:.2f} at the end"
    )
    print(f"  produced in {produced:.1f}s; median of {ROUNDS} rounds, batches of {BATCH}")
    print(f"  raw aiokafka consume:                 {raw_rate:8.0f} events/s")
    print(f"  raw consume + persist ids (batches):  {persist_rate:8.0f} events/s")
    print(f"  analytics consumer (end to end):      {consumer_rate:8.0f} events/s")
    # Ratios within each round (the baselines run just before the consumer), then medians.
    to_persist = statistics.median(p / c for p, c in zip(persisted, consumed, strict=True))
    to_raw = statistics.median(r / c for r, c in zip(raw, consumed, strict=True))
    print(f"  analytics / (consume + persist): {to_persist:.2f}  (target >= 0.80)")
    print(f"  analytics / raw consume:         {to_raw:.2f}")
    for name, label in (("raw", "raw consume"), ("persist", "consume + persist ids"),
                        ("analytics", "analytics consumer")):  # fmt: skip
        own, server = cpu.median_us(name)
        print(f"  CPU per event, {label + ':':22} {own:5.1f} µs here, {server:5.1f} µs PostgreSQL")
    persist_cpu, analytics_cpu = sum(cpu.median_us("persist")), sum(cpu.median_us("analytics"))
    print(
        f"  CPU an event, both processes: the consumer {analytics_cpu / persist_cpu:.1f}x the"
        " baseline's (its statement overlaps the parsing of the next batch)"
    )
    print(
        f"  consumer process RSS in the last round: first {last[0]:.0f} MB, "
        f"at half {last[len(last) // 2]:.0f} MB, last {last[-1]:.0f} MB, peak {max(last):.0f} MB"
    )
    print(f"  aggregated totals: {figures}")


if __name__ == "__main__":
    asyncio.run(main())
