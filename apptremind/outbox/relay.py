"""The outbox relay: delivers committed events to Kafka, starts the workflows they trigger
and hands a few to another domain module's in-process handler (`domain_handlers`).

At least once, in order per key: one relay at a time holds the leader lock, events of one key
are sent one after another, and a row is marked done only after the broker acknowledged it.
When the broker or Temporal is down, rows simply wait and the relay retries with backoff.
"""

import asyncio
import json
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence

from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from apptremind.db import unit_of_work
from apptremind.kafka_producer import start_producer
from apptremind.outbox.domain_handlers import domain_handler_for
from apptremind.outbox.models import OutboxEvent
from apptremind.outbox.repository import OutboxRepository
from apptremind.outbox.workflow_triggers import workflow_start_for
from apptremind.settings import Settings

logger = logging.getLogger("apptremind.relay")

LEADER_LOCK_ID = 0x0A7712E1  # pg advisory lock key: one active relay per database
SEND_TIMEOUT_SECONDS = 10.0
MAX_BACKOFF_SECONDS = 10.0


class KafkaPublisher:
    """A producer that is (re)connected lazily, so a broker outage is just a retry."""

    def __init__(self, bootstrap_servers: str) -> None:
        self.bootstrap_servers = bootstrap_servers
        self._producer: AIOKafkaProducer | None = None
        self._connecting = asyncio.Lock()

    async def send(self, topic: str, key: str, value: bytes) -> None:
        producer = await self._connected()
        await asyncio.wait_for(
            producer.send_and_wait(topic, value, key=key.encode()), SEND_TIMEOUT_SECONDS
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


class OutboxRelay:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        publisher: KafkaPublisher,
        temporal: Callable[[], Awaitable[Client]],
        settings: Settings,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.publisher = publisher
        self.temporal = temporal
        self.settings = settings
        self._temporal_client: Client | None = None

    async def publish_pending(self) -> int:
        """Publishes one batch of unpublished events to Kafka; returns how many went out."""
        async with unit_of_work(self.sessionmaker) as session:
            repo = OutboxRepository(session)
            rows = await repo.unpublished(self.settings.outbox_batch_size)
            by_key: dict[str, list[OutboxEvent]] = defaultdict(list)
            for row in rows:
                by_key[row.key].append(row)
            outcomes = await asyncio.gather(*(self._publish_in_order(k) for k in by_key.values()))
            published = [row_id for done, _ in outcomes for row_id in done]
            await repo.mark_published(published)
            for _, failure in outcomes:
                if failure is not None:
                    await repo.record_failure([failure[0]], failure[1])
        if any(failure for _, failure in outcomes):
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
                await self.publisher.send(row.event_type, row.key, value)
            except Exception as exc:  # stop this key here: later events must not overtake it
                return done, (row.id, f"{type(exc).__name__}: {exc}")
            done.append(row.id)
        return done, None

    async def dispatch_pending(self) -> int:
        """Delivers one batch of events to their in-process handlers and starts the workflows
        they trigger; returns how many events were taken.

        Handlers run one after another in savepoints of this transaction, which also marks
        their events dispatched. Starts are independent of each other (one workflow id per
        event), so they run concurrently. An event that failed stays for the next pass.
        """
        async with unit_of_work(self.sessionmaker) as session:
            repo = OutboxRepository(session)
            rows = await repo.undispatched(self.settings.outbox_batch_size)
            errors: dict[int, BaseException] = {}
            for row in rows:
                error = await self._apply_domain_handler(session, row)
                if error is not None:
                    errors[row.id] = error
            starts = [
                row
                for row in rows
                if row.id not in errors and workflow_start_for(row.envelope, self.settings)
            ]
            if starts and self._temporal_client is None:
                try:
                    self._temporal_client = await self.temporal()
                except Exception as exc:  # Temporal down: in-process handlers still commit
                    errors.update((row.id, exc) for row in starts)
                    starts = []
            outcomes = await asyncio.gather(*(self._start_workflow(row) for row in starts))
            errors.update(
                (row.id, outcome) for row, outcome in zip(starts, outcomes, strict=True) if outcome
            )
            await repo.mark_dispatched([row.id for row in rows if row.id not in errors])
            for row_id, error in errors.items():
                await repo.record_failure([row_id], f"{type(error).__name__}: {error}")
        if errors:
            self._temporal_client = None
            raise RelayError("delivering an event failed; it stays in the outbox")
        return len(rows)

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
        start = workflow_start_for(row.envelope, self.settings)
        if start is None:
            return None
        assert self._temporal_client is not None
        try:
            await self._temporal_client.start_workflow(
                start.workflow,
                start.arg,
                id=start.workflow_id,
                task_queue=start.task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                # A finished workflow is never run again for the same event.
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
        except WorkflowAlreadyStartedError:
            logger.info("workflow %s already ran", start.workflow_id)
        except Exception as exc:
            return exc
        return None

    async def run(self, engine: AsyncEngine, stop: asyncio.Event) -> None:
        """Runs until `stop` is set: waits for leadership, then drains the outbox forever."""
        async with engine.connect() as leader:
            while not stop.is_set():
                locked = await leader.scalar(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_LOCK_ID}
                )
                await leader.commit()
                if locked:
                    break
                await _sleep_or_stop(stop, 2.0)
            if stop.is_set():
                return
            logger.info("relay is the leader; delivering outbox events")
            try:
                await asyncio.gather(
                    self._loop(self.publish_pending, stop),
                    self._loop(self.dispatch_pending, stop),
                )
            finally:
                await self.publisher.close()
                # The connection goes back to the pool, so the session lock is released here.
                await leader.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": LEADER_LOCK_ID}
                )
                await leader.commit()

    async def _loop(self, step: Callable[[], Awaitable[int]], stop: asyncio.Event) -> None:
        backoff = self.settings.outbox_poll_seconds
        while not stop.is_set():
            try:
                moved = await step()
                backoff = self.settings.outbox_poll_seconds
                if moved:
                    continue
            except Exception as exc:
                logger.warning("%s (retrying in %.1fs)", exc, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            await _sleep_or_stop(stop, backoff)


class RelayError(Exception):
    pass


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass
