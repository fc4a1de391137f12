import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from apptremind.analytics.models import AnalyticsProcessedEvent
from apptremind.consumers import retention
from tests.consumers.conftest import eventually

PROCESSED = AnalyticsProcessedEvent.__table__
MONTH = timedelta(days=30)


async def processed(sessionmaker, *ages: timedelta) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in ages]
    now = datetime.now(UTC)
    async with sessionmaker() as session, session.begin():
        await session.execute(
            insert(PROCESSED),
            [
                {"event_id": i, "event_type": "appointment.booked", "processed_at": now - age}
                for i, age in zip(ids, ages, strict=True)
            ],
        )
    return ids


async def remaining(sessionmaker) -> set[uuid.UUID]:
    async with sessionmaker() as session:
        return set(await session.scalars(select(PROCESSED.c.event_id)))


async def test_only_ids_older_than_the_retention_are_forgotten(sessionmaker, monkeypatch):
    monkeypatch.setattr(retention, "PRUNE_BATCH", 2)  # several short transactions
    old = await processed(sessionmaker, *(timedelta(days=d) for d in (31, 40, 45, 60, 90)))
    kept = await processed(sessionmaker, timedelta(days=1), timedelta(days=29))

    assert await retention.prune(sessionmaker, PROCESSED, MONTH) == len(old)
    assert await remaining(sessionmaker) == set(kept)
    assert await retention.prune(sessionmaker, PROCESSED, MONTH) == 0


async def test_periodic_pruning_starts_at_once_and_ends_with_the_consumer(sessionmaker):
    [kept] = await processed(sessionmaker, timedelta(hours=1))
    await processed(sessionmaker, timedelta(days=31))
    stop = asyncio.Event()
    task = asyncio.create_task(
        retention.prune_periodically(sessionmaker, PROCESSED, MONTH, stop, every_seconds=3600)
    )

    async def pruned() -> bool:
        return await remaining(sessionmaker) == {kept}

    await eventually(pruned, timeout=10)
    stop.set()
    await asyncio.wait_for(task, timeout=5)  # not an hour
