"""The consumer framework: a Kafka consumer group whose effects happen exactly once.

Each poll (`getmany`) is one batch and one database statement, hence one transaction: the
batch's event ids go into the consumer's processed-events table (ON CONFLICT DO NOTHING) and
only the events seen for the first time are applied, by that same statement. Offsets are
committed only after it commits, so a crash in between redelivers a batch that then changes
nothing.

A message that cannot be parsed or validated goes to `<topic>.dlq` with the reason in a
header (at least once: a crash before the offset commit sends it again). A batch that fails
on its data is retried a few times, then applied one event at a time so that only the event
at fault is dead-lettered: a poison message never stops its partition. Failures of the
infrastructure (database or broker down) are retried with backoff until they pass: a valid
event is never dead-lettered because PostgreSQL was away.

While one batch's statement runs, the next batch is fetched, validated and its parameters
built; statements and offset commits still happen strictly one batch after the other.
"""

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import psycopg
from aiokafka import AIOKafkaConsumer
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import KafkaError
from aiokafka.structs import ConsumerRecord, TopicPartition
from pydantic import BaseModel
from sqlalchemy import Table
from sqlalchemy import exc as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from apptremind.backoff import Backoff, sleep_or_stop
from apptremind.consumers.dead_letters import DeadLetterPublisher
from apptremind.consumers.messages import ConsumedEvent, InvalidMessage, parse_record
from apptremind.consumers.metrics import ConsumerMetrics
from apptremind.consumers.processed import Column, batch_parameters, exactly_once_statement
from apptremind.db import driver_connection
from apptremind.settings import Settings
from apptremind.telemetry.tracing import batch_span

logger = logging.getLogger("apptremind.consumers")

Record: TypeAlias = ConsumerRecord[bytes, bytes]
PARSE_SLICE = 25  # records parsed between two chances for other tasks to run
COMMIT_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class ConsumerSpec:
    """What one consumer reads, and how a batch of new events changes its tables.

    `apply` is one INSERT, UPDATE or DELETE (psycopg placeholders; a literal % is written
    %%) reading the batch's new events from `new_events`: `event_id`, `event_type` and one
    column per entry of `columns`, taken from each event in Python. It must give the same
    tables whatever order or batches the events come in.
    """

    name: str  # consumer group `apptremind-<name>`, metrics label
    schemas: Mapping[str, type[BaseModel]]  # topic (= event type) -> its data model
    processed_events: Table
    columns: Sequence[Column]
    apply: str
    state_tables: Sequence[Table]  # everything the events build; emptied by a rebuild

    @functools.cached_property
    def statement(self) -> str:
        return exactly_once_statement(self.processed_events, self.columns, self.apply)

    @property
    def topics(self) -> list[str]:
        return sorted(self.schemas)

    @property
    def group_id(self) -> str:
        return f"apptremind-{self.name}"


@dataclass(frozen=True)
class Batch:
    """The valid events of one poll, with the statement's parameters built ahead of the
    statement, while the previous batch's statement runs."""

    events: Sequence[ConsumedEvent]
    unique: Sequence[ConsumedEvent]  # one per event id
    parameters: dict[str, str] | None  # None when building them failed


class Stopping(Exception):
    """Shutdown was asked for while a batch waited for the infrastructure to come back."""


def is_transient(exc: BaseException) -> bool:
    """Failures of the infrastructure or the deployment (a connection lost, a deadlock, a
    migration not applied yet), not of the data: retried until they pass, so the partition
    waits and the lag shows it, rather than every event being dead-lettered."""
    return isinstance(
        exc,
        sa.OperationalError
        | sa.InterfaceError
        | sa.ProgrammingError
        | sa.InternalError
        | psycopg.OperationalError
        | psycopg.InterfaceError
        | psycopg.ProgrammingError
        | psycopg.InternalError
        | KafkaError
        | OSError
        | TimeoutError,
    )


class BatchProcessor:
    def __init__(
        self,
        spec: ConsumerSpec,
        sessionmaker: async_sessionmaker[AsyncSession],
        metrics: ConsumerMetrics,
        dead_letter: Callable[[Record, str], Awaitable[None]],
        *,
        max_attempts: int,
        stop: asyncio.Event,
        backoff_seconds: float = 0.2,
    ) -> None:
        self.spec = spec
        self.sessionmaker = sessionmaker
        self.metrics = metrics
        self.dead_letter = dead_letter
        self.max_attempts = max_attempts
        self.stop = stop
        self.backoff_seconds = backoff_seconds
        self._session: AsyncSession | None = None

    async def process(self, records: Sequence[Record]) -> None:
        """Applies a batch exactly once; returns when every record is applied or dead-lettered."""
        await self.apply(await self.parse(records))

    async def parse(self, records: Sequence[Record]) -> Batch:
        """The batch's valid events, ready for the statement; the invalid records are
        dead-lettered on the way."""
        events: list[ConsumedEvent] = []
        for n, record in enumerate(records, 1):
            if n % PARSE_SLICE == 0:
                await asyncio.sleep(0)  # lets the previous batch's statement move on
            try:
                events.append(parse_record(record, self.spec.schemas))
            except InvalidMessage as invalid:
                await self._until_done(functools.partial(self._dead_letter, record, str(invalid)))
        return self._prepared(events)

    def _prepared(self, events: Sequence[ConsumedEvent]) -> Batch:
        unique = list({event.event_id: event for event in events}.values())
        try:
            parameters = batch_parameters(unique, self.spec.columns)
        except Exception:
            # Left to the apply step, whose retries single out the event at fault.
            parameters = None
        return Batch(events, unique, parameters)

    async def apply(self, batch: Batch) -> None:
        if batch.events:
            await self._apply(batch)

    async def _apply(self, batch: Batch) -> None:
        failure: Exception | None = None
        for attempt in range(1, self.max_attempts + 1):
            try:
                await self._until_done(lambda: self._apply_once(batch))
                return
            except Stopping:
                raise
            except Exception as exc:
                failure = exc
                self.metrics.retries += 1
                logger.warning(
                    "%s: batch of %d failed (attempt %d/%d): %s: %s",
                    self.spec.name,
                    len(batch.events),
                    attempt,
                    self.max_attempts,
                    type(exc).__name__,
                    exc,
                )
                await self._pause(self.backoff_seconds * attempt)
        if len(batch.events) > 1:  # find the event at fault: the others are applied normally
            for event in batch.events:
                await self._apply(self._prepared([event]))
            return
        [event] = batch.events
        reason = f"processing failed: {type(failure).__name__}: {failure}"
        await self._until_done(lambda: self._dead_letter(event.record, reason))

    async def _apply_once(self, batch: Batch) -> None:
        parameters = batch.parameters
        if parameters is None:
            parameters = batch_parameters(batch.unique, self.spec.columns)
        connection = await self._connection()
        try:
            with batch_span(
                f"{self.spec.name} apply", lambda: (e.record.headers for e in batch.events)
            ):
                cursor = await connection.execute(self.spec.statement, parameters)
                row = await cursor.fetchone()
        except BaseException:
            await self._drop_connection()  # in an unknown state after a failure
            raise
        new = int(row[0]) if row else 0
        self.metrics.processed += new
        self.metrics.duplicates += len(batch.events) - new

    async def _connection(self) -> psycopg.AsyncConnection[Any]:
        """The connection kept across batches (a checkout per batch costs a round trip),
        in autocommit: each batch is one statement, which needs no BEGIN and COMMIT."""
        if self._session is None:
            session = self.sessionmaker()
            try:
                await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            except BaseException:
                await session.close()
                raise
            self._session = session
        return await driver_connection(self._session)

    async def _drop_connection(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.invalidate()

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    async def _dead_letter(self, record: Record, reason: str) -> None:
        await self.dead_letter(record, reason)
        self.metrics.dead_lettered += 1

    async def _until_done(self, step: Callable[[], Awaitable[None]]) -> None:
        """Runs `step`, retrying infrastructure failures with backoff until shutdown."""
        backoff = Backoff(self.backoff_seconds)
        while True:
            try:
                await step()
                return
            except Exception as exc:
                if not is_transient(exc):
                    raise
                self.metrics.retries += 1
                delay = backoff.next_delay()
                logger.warning(
                    "%s: %s: %s (retrying in %.1fs)",
                    self.spec.name,
                    type(exc).__name__,
                    exc,
                    delay,
                )
            await self._pause(delay)

    async def _pause(self, seconds: float) -> None:
        if await sleep_or_stop(self.stop, seconds):
            raise Stopping()


class EventConsumer:
    """One member of the consumer group `apptremind-<name>`, running until `stop` is set."""

    def __init__(
        self,
        spec: ConsumerSpec,
        sessionmaker: async_sessionmaker[AsyncSession],
        settings: Settings,
        *,
        metrics: ConsumerMetrics | None = None,
        group_id: str | None = None,
    ) -> None:
        self.spec = spec
        self.sessionmaker = sessionmaker
        self.settings = settings
        self.group_id = group_id or spec.group_id
        self.metrics = metrics or ConsumerMetrics(spec.name)
        self.metrics.lag_source = self._lag
        self._consumer: AIOKafkaConsumer | None = None
        self._next_offsets: dict[TopicPartition, int] = {}
        self._in_flight = asyncio.Lock()  # held from poll result to offset commit

    async def run(self, stop: asyncio.Event) -> None:
        dead_letters = DeadLetterPublisher(self.settings.kafka_bootstrap_servers, self.spec.name)
        processor = BatchProcessor(
            self.spec,
            self.sessionmaker,
            self.metrics,
            dead_letters.publish,
            max_attempts=self.settings.consumer_max_attempts,
            stop=stop,
        )
        consumer = await self._started(stop)
        if consumer is None:
            return
        self.metrics.running = True
        logger.info("%s consuming %s", self.group_id, ", ".join(self.spec.topics))
        # While one batch's transaction runs, the next batch is parsed: the two overlap, but
        # transactions and offset commits stay strictly one after the other.
        applying: asyncio.Task[None] | None = None
        try:
            while not stop.is_set():
                batches = await consumer.getmany(
                    timeout_ms=500, max_records=self.settings.consumer_batch_size
                )
                self.metrics.last_poll = time.monotonic()
                if not batches:
                    await _finished(applying)
                    applying = None
                    continue
                batch = await processor.parse([r for rs in batches.values() for r in rs])
                await _finished(applying)
                offsets = {tp: records[-1].offset + 1 for tp, records in batches.items()}
                applying = asyncio.create_task(self._apply_and_commit(processor, batch, offsets))
            await _finished(applying)
        except Stopping:
            logger.info("%s stopping before the batch's offsets were committed", self.group_id)
        finally:
            if applying is not None and not applying.done():
                applying.cancel()
                with contextlib.suppress(asyncio.CancelledError, Stopping):
                    await applying
            self.metrics.running = False
            await consumer.stop()  # leaves the group: its partitions move on at once
            await dead_letters.close()
            await processor.close()
            logger.info("%s stopped", self.group_id)

    async def _apply_and_commit(
        self,
        processor: BatchProcessor,
        batch: Batch,
        offsets: dict[TopicPartition, int],
    ) -> None:
        async with self._in_flight:
            await processor.apply(batch)
            await self.commit_offsets(offsets)
            self.metrics.batches += 1

    async def commit_offsets(self, offsets: dict[TopicPartition, int]) -> None:
        """Commits after the batch's transaction; a failure only means a harmless redelivery."""
        assert self._consumer is not None
        try:
            await asyncio.wait_for(self._consumer.commit(offsets), COMMIT_TIMEOUT_SECONDS)
        except (KafkaError, TimeoutError) as exc:
            logger.warning(
                "%s: offset commit failed (%s); batch will be redelivered", self.group_id, exc
            )
            return
        self._next_offsets.update(offsets)

    async def _started(self, stop: asyncio.Event) -> AIOKafkaConsumer | None:
        backoff = Backoff(0.5)
        while not stop.is_set():
            consumer = AIOKafkaConsumer(
                bootstrap_servers=self.settings.kafka_bootstrap_servers,
                group_id=self.group_id,
                client_id=f"apptremind-{self.spec.name}",
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                session_timeout_ms=self.settings.consumer_session_timeout_ms,
                heartbeat_interval_ms=self.settings.consumer_heartbeat_interval_ms,
                rebalance_timeout_ms=self.settings.consumer_session_timeout_ms,
            )
            consumer.subscribe(self.spec.topics, listener=_FinishBatchBeforeRevoke(self))
            try:
                await consumer.start()
            except KafkaError as exc:
                await consumer.stop()
                logger.warning("%s: broker unreachable (%s); retrying", self.group_id, exc)
                await sleep_or_stop(stop, backoff.next_delay())
                continue
            self._consumer = consumer
            return consumer
        return None

    def _lag(self) -> dict[TopicPartition, int]:
        if self._consumer is None:
            return {}
        lag = {}
        for tp, next_offset in self._next_offsets.items():
            highwater = self._consumer.highwater(tp)
            if highwater is not None:
                lag[tp] = max(highwater - next_offset, 0)
        return lag


async def _finished(task: asyncio.Task[None] | None) -> None:
    """Waits for the batch being applied, raising what it raised."""
    if task is not None:
        await task


class _FinishBatchBeforeRevoke(ConsumerRebalanceListener):
    """Lets the batch in progress commit its offsets before its partitions move away."""

    def __init__(self, owner: EventConsumer) -> None:
        self.owner = owner

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        async with self.owner._in_flight:
            for tp in revoked:
                self.owner._next_offsets.pop(tp, None)
        if revoked:
            logger.info("%s: partitions revoked: %d", self.owner.group_id, len(revoked))

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        logger.info(
            "%s: assigned %s",
            self.owner.group_id,
            ", ".join(f"{tp.topic}/{tp.partition}" for tp in sorted(assigned)) or "nothing",
        )
