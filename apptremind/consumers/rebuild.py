"""Recomputing a consumer's tables from offset 0 of its topics."""

import asyncio
import logging

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from apptremind.consumers.metrics import ConsumerMetrics
from apptremind.consumers.runner import BatchProcessor, ConsumerSpec, Record
from apptremind.db import unit_of_work
from apptremind.settings import Settings

logger = logging.getLogger("apptremind.consumers")


async def rebuild(
    spec: ConsumerSpec,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    stop: asyncio.Event | None = None,
) -> ConsumerMetrics:
    """Empties the consumer's tables and replays every message its topics hold.

    Safe while the consumer group runs: the tables are emptied first and the end offsets
    read afterwards, so everything applied before the reset is replayed here, and whatever
    the group applies meanwhile is in the processed-events table and skipped by the other.
    Messages that are invalid were dead-lettered when first consumed: here they are counted.
    """
    stop = stop or asyncio.Event()
    metrics = ConsumerMetrics(f"{spec.name}-rebuild")
    async with unit_of_work(sessionmaker) as session:
        tables = ", ".join(t.fullname for t in [*spec.state_tables, spec.processed_events])
        await session.execute(text(f"TRUNCATE {tables}"))

    async def count_only(record: Record, reason: str) -> None:
        logger.info(
            "rebuild skips %s/%d@%d: %s", record.topic, record.partition, record.offset, reason
        )

    processor = BatchProcessor(
        spec,
        sessionmaker,
        metrics,
        count_only,
        max_attempts=settings.consumer_max_attempts,
        stop=stop,
    )
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        await consumer.topics()  # refreshes the metadata
        partitions = [
            TopicPartition(topic, p)
            for topic in spec.topics
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return metrics
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        remaining = {tp for tp in partitions if end[tp] > 0}
        while remaining and not stop.is_set():
            batches = await consumer.getmany(
                *remaining, timeout_ms=1000, max_records=settings.consumer_batch_size
            )
            records = [r for tp, rs in batches.items() for r in rs if r.offset < end[tp]]
            if records:
                await processor.process(records)
                metrics.batches += 1
            for tp in list(remaining):
                if await consumer.position(tp) >= end[tp]:
                    remaining.discard(tp)
    finally:
        await consumer.stop()
        await processor.close()
    logger.info(
        "%s rebuilt: %d events applied, %d duplicates, %d invalid",
        spec.name,
        metrics.processed,
        metrics.duplicates,
        metrics.dead_lettered,
    )
    return metrics
