"""The outbox relay: delivers committed events to Kafka, starts the workflows they trigger
and hands a few to another domain module's in-process handler (`domain_handlers`).

At least once, in order per key: one relay at a time holds the leader lock, events of one key
are sent one after another, and a row is marked done only after the broker acknowledged it.
When the broker or Temporal is down, rows simply wait and the relay retries with backoff.

No network wait happens inside a database transaction: a batch is read in one short
transaction, published (or its workflows started) with no connection checked out, and
marked in another short transaction. A crash between the two publishes the batch again on
the next pass (consumers deduplicate by `event_id`), never loses it.

Why a leader lock rather than claiming rows: per-key order needs one publisher per key at
a time. A session-level advisory lock held on a connection of its own (outside any
transaction, so never "idle in transaction") gives that to the whole outbox with no schema
change and no lease to expire while a slow broker holds a batch; a claim/lease column would
let a second relay take over a key whose lease ran out while the first one was still
sending it. One relay publishes far more than the platform writes (`make bench`), so the
lock costs no needed throughput. PostgreSQL drops the lock with its connection (a killed
relay frees it at once); the leader checks before each batch that it still holds it, so a
relay whose lock connection broke (a database restart) stops delivering and queues again
instead of publishing beside the new leader.
"""

import asyncio
import contextlib
import json
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence

from aiokafka import AIOKafkaProducer
from opentelemetry.trace import SpanKind
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from apptremind import events
from apptremind.backoff import Backoff, sleep_or_stop
from apptremind.db import unit_of_work
from apptremind.kafka_producer import start_producer
from apptremind.metrics import BOOKINGS_CREATED
from apptremind.outbox.domain_handlers import domain_handler_for
from apptremind.outbox.metrics import RelayMetrics
from apptremind.outbox.models import OutboxEvent
from apptremind.outbox.repository import Backlog, OutboxRepository
from apptremind.outbox.workflow_triggers import workflow_request_for
from apptremind.settings import Settings
from apptremind.telemetry.tracing import current_trace_context, kafka_headers, span_from
from apptremind.temporal.client import Client
from apptremind.temporal.starts import WorkflowAlreadyRan
from apptremind.temporal.triggered import TriggeredStart, triggered_start

logger = logging.getLogger("apptremind.relay")

LEADER_LOCK_ID = 0x0A7712E1  # pg advisory lock key: one active relay per database
SEND_TIMEOUT_SECONDS = 10.0
LEADER_RETRY_SECONDS = 2.0


class KafkaPublisher:
    """A producer that is (re)connected lazily, so a broker outage is just a retry."""

    def __init__(self, bootstrap_servers: str) -> None:
        self.bootstrap_servers = bootstrap_servers
        self._producer: AIOKafkaProducer | None = None
        self._connecting = asyncio.Lock()

    async def send(
        self, topic: str, key: str, value: bytes, headers: Sequence[tuple[str, bytes]] = ()
    ) -> None:
        producer = await self._connected()
        await asyncio.wait_for(
            producer.send_and_wait(topic, value, key=key.encode(), headers=list(headers) or None),
            SEND_TIMEOUT_SECONDS,
        )

    async def _connected(self) -> AIOKafkaProducer:
        async with self._connecting:  # keys publish concurrently; connect only once
            if self._producer is None:
                self._producer = await start_producer(self.bootstrap_servers, SEND_TIMEOUT_SECONDS)
            return self._producer

    async def reset(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()

    async def close(self) -> None:
        await self.reset()


class LeaderLock:
    """The session-level advisory lock that makes one relay the leader, on a connection the
    relay keeps for it alone. Each statement ends its transaction at once."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self._in_use = asyncio.Lock()  # both delivery loops confirm through this connection

    async def try_acquire(self) -> bool:
        async with self._in_use:
            locked = await self.connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_LOCK_ID}
            )
            await self.connection.commit()
        return bool(locked)

    async def confirm(self) -> None:
        """Raises LostLeadership unless this connection still holds the lock."""
        async with self._in_use:
            try:
                held = await self.connection.scalar(_HOLDS_LEADER_LOCK, {"key": LEADER_LOCK_ID})
                await self.connection.commit()
            except Exception as exc:
                raise LostLeadership(f"the leader lock's connection failed: {exc}") from exc
        if not held:
            raise LostLeadership("the leader lock is no longer held (database restarted?)")

    async def release(self) -> None:
        async with self._in_use:
            await self.connection.execute(
                text("SELECT pg_advisory_unlock(:key)"), {"key": LEADER_LOCK_ID}
            )
            await self.connection.commit()


# pg_locks shows a bigint advisory key as its high half (classid) and low half (objid).
_HOLDS_LEADER_LOCK = text(
    """
    SELECT EXISTS (
        SELECT 1 FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() AND objsubid = 1
          AND classid::bigint = (CAST(:key AS bigint) >> 32)
          AND objid::bigint = (CAST(:key AS bigint) & 4294967295)
    )
    """
)


class OutboxRelay:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        publisher: KafkaPublisher,
        temporal: Callable[[], Awaitable[Client]],
        settings: Settings,
        metrics: RelayMetrics | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.publisher = publisher
        self.temporal = temporal
        self.settings = settings
        self.metrics = metrics or RelayMetrics(settings.outbox_backlog_interval_seconds)
        self._temporal_client: Client | None = None
        self._leader: LeaderLock | None = None  # set while `run` leads

    async def publish_pending(self) -> int:
        """Publishes one batch of unpublished events to Kafka; returns how many went out."""
        async with unit_of_work(self.sessionmaker) as session:
            rows = await OutboxRepository(session).unpublished(self.settings.outbox_batch_size)
        # The connection is back in the pool: nothing below holds one while the broker answers.
        if not rows:
            return 0
        await self._confirm_leadership()
        by_key: dict[str, list[OutboxEvent]] = defaultdict(list)
        for row in rows:
            by_key[row.key].append(row)
        outcomes = await asyncio.gather(*(self._publish_in_order(k) for k in by_key.values()))
        published = [row_id for done, _ in outcomes for row_id in done]
        failures = [failure for _, failure in outcomes if failure is not None]
        # A crash here publishes these rows again on the next pass: at least once.
        async with unit_of_work(self.sessionmaker) as session:
            repo = OutboxRepository(session)
            await repo.mark_published(published)
            for row_id, error in failures:
                await repo.record_failure([row_id], error)
        self.metrics.published += len(published)
        event_types = {row.id: row.event_type for row in rows}
        for row_id in published:
            self.metrics.published_by_type[event_types[row_id]] += 1
            if event_types[row_id] == events.APPOINTMENT_BOOKED:
                BOOKINGS_CREATED.inc()
        if failures:
            self.metrics.failed_batches += 1
            await self.publisher.reset()
            raise RelayError("publishing to Kafka failed; unpublished events stay in the outbox")
        return len(published)

    async def _publish_in_order(
        self, rows: Sequence[OutboxEvent]
    ) -> tuple[list[int], tuple[int, str] | None]:
        done: list[int] = []
        for row in rows:
            try:
                value = json.dumps(row.envelope, separators=(",", ":")).encode()
                # The message carries the trace on (`traceparent` header): the relay's span
                # when traced here, else the context the event was written with.
                with span_from(
                    f"{row.event_type} publish",
                    row.trace_context,
                    SpanKind.PRODUCER,
                    {
                        "messaging.system": "kafka",
                        "messaging.destination.name": row.event_type,
                        "messaging.message.id": str(row.event_id),
                    },
                ):
                    headers = kafka_headers(current_trace_context() or row.trace_context)
                    await self.publisher.send(row.event_type, row.key, value, headers)
            except Exception as exc:  # stop this key here: later events must not overtake it
                return done, (row.id, f"{type(exc).__name__}: {exc}")
            done.append(row.id)
        return done, None

    async def dispatch_pending(self) -> int:
        """Delivers one batch of events to their in-process handlers and starts the workflows
        they trigger; returns how many events were taken.

        Handlers run one after another in savepoints of the transaction that reads the batch
        and marks their events dispatched. Workflow starts happen after it committed, with no
        connection held, concurrently (one workflow id per event, so a repeated start is a
        no-op), and a second short transaction marks them. An event that failed stays for the
        next pass.
        """
        errors: dict[int, BaseException] = {}
        async with unit_of_work(self.sessionmaker) as session:
            repo = OutboxRepository(session)
            rows = await repo.undispatched(self.settings.outbox_batch_size)
            for row in rows:
                error = await self._apply_domain_handler(session, row)
                if error is not None:
                    errors[row.id] = error
            starts = [
                row
                for row in rows
                if row.id not in errors and workflow_request_for(row.envelope, self.settings)
            ]
            to_start = {row.id for row in starts}
            handled = [r.id for r in rows if r.id not in errors and r.id not in to_start]
            await repo.mark_dispatched(handled)
            for row_id, error in errors.items():
                await repo.record_failure([row_id], f"{type(error).__name__}: {error}")
        self.metrics.dispatched += len(handled)
        if starts:
            await self._confirm_leadership()
            start_errors = await self._start_workflows(starts)
            async with unit_of_work(self.sessionmaker) as session:
                repo = OutboxRepository(session)
                started = [row.id for row in starts if row.id not in start_errors]
                await repo.mark_dispatched(started)
                for row_id, error in start_errors.items():
                    await repo.record_failure([row_id], f"{type(error).__name__}: {error}")
            self.metrics.dispatched += len(started)
            errors.update(start_errors)
        if errors:
            self.metrics.failed_batches += 1
            self._temporal_client = None
            raise RelayError("delivering an event failed; it stays in the outbox")
        return len(rows)

    async def _start_workflows(self, rows: Sequence[OutboxEvent]) -> dict[int, BaseException]:
        """Starts each event's workflow; returns the errors by event row."""
        if self._temporal_client is None:
            try:
                self._temporal_client = await self.temporal()
            except Exception as exc:  # Temporal down: every start waits for the next pass
                for row in rows:
                    start = _triggered_start(row, self.settings)
                    workflow = start.workflow if start else "none"
                    self.metrics.workflow_starts[workflow, "failed"] += 1
                return {row.id: exc for row in rows}
        outcomes = await asyncio.gather(*(self._start_workflow(row) for row in rows))
        return {row.id: outcome for row, outcome in zip(rows, outcomes, strict=True) if outcome}

    async def _apply_domain_handler(
        self, session: AsyncSession, row: OutboxEvent
    ) -> BaseException | None:
        """Runs the event's in-process handler in a savepoint; returns its error, if any."""
        handler = domain_handler_for(row.event_type)
        if handler is None:
            return None
        try:
            async with session.begin_nested():
                await handler(session, row.envelope)
        except Exception as exc:
            logger.warning("handling %s %s failed: %s", row.event_type, row.event_id, exc)
            return exc
        return None

    async def _start_workflow(self, row: OutboxEvent) -> BaseException | None:
        """Starts the event's workflow; returns the error instead of raising it."""
        start = _triggered_start(row, self.settings)
        if start is None:
            return None
        assert self._temporal_client is not None
        try:
            # In the trace of the request that wrote the event: the tracing interceptor
            # hands it on to the workflow in the start's headers.
            with span_from(
                f"{row.event_type} dispatch",
                row.trace_context,
                SpanKind.INTERNAL,
                {"temporal.workflow_id": start.workflow_id, "event_id": str(row.event_id)},
            ):
                await start.start(self._temporal_client)
        except WorkflowAlreadyRan:
            logger.info("workflow %s already ran", start.workflow_id)
            self.metrics.workflow_starts[start.workflow, "already_started"] += 1
        except Exception as exc:
            self.metrics.workflow_starts[start.workflow, "failed"] += 1
            return exc
        else:
            self.metrics.workflow_starts[start.workflow, "started"] += 1
        return None

    async def _confirm_leadership(self) -> None:
        # Only `run` leads; a relay driven step by step (tests, benchmarks) is not guarded.
        if self._leader is not None:
            await self._leader.confirm()

    async def measure_backlog(self) -> Backlog:
        """Counts the events waiting for the relay (any relay, leader or not, can)."""
        async with unit_of_work(self.sessionmaker) as session:
            backlog = await OutboxRepository(session).backlog()
        self.metrics.backlog = backlog
        self.metrics.measured_at = time.monotonic()
        return backlog

    async def run(self, engine: AsyncEngine, stop: asyncio.Event) -> None:
        """Runs until `stop` is set: waits for leadership, then drains the outbox; measures
        the backlog all along. A lost lock or database puts it back in the queue."""
        measuring = asyncio.create_task(self._measure_periodically(stop))
        try:
            while not stop.is_set():
                try:
                    await self._lead(engine, stop)
                except LostLeadership as exc:
                    logger.warning("relay stopped delivering: %s", exc)
                except Exception as exc:  # the database is unreachable, most likely
                    logger.warning("relay cannot take the leader lock: %s", exc)
                await sleep_or_stop(stop, LEADER_RETRY_SECONDS)
        finally:
            measuring.cancel()
            await asyncio.gather(measuring, return_exceptions=True)
            await self.publisher.close()

    async def _lead(self, engine: AsyncEngine, stop: asyncio.Event) -> None:
        async with engine.connect() as connection:
            lock = LeaderLock(connection)
            while not await lock.try_acquire():
                if await sleep_or_stop(stop, LEADER_RETRY_SECONDS):
                    return
            if stop.is_set():
                await lock.release()
                return
            logger.info("relay is the leader; delivering outbox events")
            self._leader, self.metrics.leader = lock, True
            try:
                async with asyncio.TaskGroup() as deliveries:
                    deliveries.create_task(self._loop(self.publish_pending, stop))
                    deliveries.create_task(self._loop(self.dispatch_pending, stop))
            except* LostLeadership as lost:
                raise lost.exceptions[0] from None
            finally:
                self._leader, self.metrics.leader = None, False
                try:  # back to the pool: the session's lock must not stay with it
                    await lock.release()
                except Exception:
                    with contextlib.suppress(Exception):
                        await connection.invalidate()

    async def _loop(self, step: Callable[[], Awaitable[int]], stop: asyncio.Event) -> None:
        poll = self.settings.outbox_poll_seconds
        backoff = Backoff(2 * poll)  # a failed step waits twice the poll interval, then more
        while not stop.is_set():
            try:
                moved = await step()
            except LostLeadership:
                raise
            except Exception as exc:
                delay = backoff.next_delay()
                logger.warning("%s (retrying in %.1fs)", exc, delay)
            else:
                backoff.reset()
                if moved:
                    continue
                delay = poll
            await sleep_or_stop(stop, delay)

    async def _measure_periodically(self, stop: asyncio.Event) -> None:
        """Logs the backlog while there is one (and once when it clears) and keeps the
        /metrics gauges current."""
        was_waiting = True  # the first measurement is always logged
        while not stop.is_set():
            try:
                backlog = await self.measure_backlog()
            except Exception as exc:
                logger.warning("could not measure the outbox backlog: %s", exc)
            else:
                waiting = bool(backlog.unpublished or backlog.undispatched)
                if waiting or was_waiting:
                    logger.info(
                        "outbox backlog: %d unpublished (oldest %.1fs), %d undispatched"
                        " (oldest %.1fs)",
                        backlog.unpublished,
                        backlog.oldest_unpublished_seconds,
                        backlog.undispatched,
                        backlog.oldest_undispatched_seconds,
                        extra={
                            "fields": {
                                "outbox_unpublished": backlog.unpublished,
                                "outbox_oldest_unpublished_seconds": round(
                                    backlog.oldest_unpublished_seconds, 3
                                ),
                                "outbox_undispatched": backlog.undispatched,
                                "outbox_oldest_undispatched_seconds": round(
                                    backlog.oldest_undispatched_seconds, 3
                                ),
                            }
                        },
                    )
                was_waiting = waiting
            await sleep_or_stop(stop, self.settings.outbox_backlog_interval_seconds)


def _triggered_start(row: OutboxEvent, settings: Settings) -> TriggeredStart | None:
    request = workflow_request_for(row.envelope, settings)
    return triggered_start(request, settings) if request else None


class RelayError(Exception):
    pass


class LostLeadership(Exception):
    """This relay no longer holds the leader lock: it must stop delivering."""
