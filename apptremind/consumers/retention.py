"""Forgetting processed-event ids once no redelivery can bring their events back.

An id guards against a second delivery of its event, which comes soon or not at all: the
relay re-publishes only what it sent around a crash, and the group redelivers only the
batches after its last offset commit. A replay from offset 0 (`--rebuild`) empties the table
first. Keep the retention above the topics' own if a group's offsets are ever reset by hand.
"""

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import Table, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from apptremind.backoff import sleep_or_stop
from apptremind.db import unit_of_work

logger = logging.getLogger("apptremind.consumers")

PRUNE_EVERY_SECONDS = 3600.0
PRUNE_BATCH = 10_000  # rows per transaction: short locks, short WAL bursts


async def prune(
    sessionmaker: async_sessionmaker[AsyncSession], table: Table, retention: timedelta
) -> int:
    """Deletes the ids processed longer than `retention` ago; returns how many."""
    deleted = 0
    while True:
        async with unit_of_work(sessionmaker) as session:
            result = await session.execute(
                text(
                    f"DELETE FROM {table.fullname} WHERE event_id IN ("
                    f"SELECT event_id FROM {table.fullname} WHERE processed_at < "
                    "now() - make_interval(secs => :seconds) LIMIT :batch)"
                ),
                {"seconds": retention.total_seconds(), "batch": PRUNE_BATCH},
            )
        count = int(getattr(result, "rowcount", 0) or 0)
        deleted += count
        if count < PRUNE_BATCH:
            return deleted


async def prune_periodically(
    sessionmaker: async_sessionmaker[AsyncSession],
    table: Table,
    retention: timedelta,
    stop: asyncio.Event,
    every_seconds: float = PRUNE_EVERY_SECONDS,
) -> None:
    """Prunes now and then every `every_seconds` until `stop`; a failure waits for the next."""
    while not stop.is_set():
        try:
            deleted = await prune(sessionmaker, table, retention)
        except (SQLAlchemyError, OSError) as exc:
            logger.warning("pruning %s failed: %s: %s", table.fullname, type(exc).__name__, exc)
        else:
            if deleted:
                logger.info("pruned %d ids from %s", deleted, table.fullname)
        await sleep_or_stop(stop, every_seconds)
