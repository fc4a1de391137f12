"""How events are split into batches never changes what a consumer builds: one statement per
batch folds a batch's events as the table merges batches."""

import asyncio
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

from aiokafka.structs import ConsumerRecord
from sqlalchemy import select, text

from apptremind.analytics.consumer import ANALYTICS
from apptremind.billing import usage
from apptremind.billing.usage_consumer import BILLING_USAGE
from apptremind.consumers.metrics import ConsumerMetrics
from apptremind.consumers.processed import Column
from apptremind.consumers.runner import BatchProcessor, ConsumerSpec
from tests.consumers.conftest import booked, cancelled, envelope, reminder_sent
from tests.consumers.test_analytics_consumer import EXPECTED_DAY, a_day_of_events, figures
from tests.consumers.test_framework import COUNTED, POISONABLE

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
START = datetime(2026, 8, 3, 9, 0, tzinfo=UTC)


def records(events: list[tuple[str, dict, datetime]]) -> list[ConsumerRecord[bytes, bytes]]:
    out = []
    for offset, (event_type, data, timestamp) in enumerate(events):
        value = envelope(event_type, data, timestamp=timestamp)
        key = data["business_id"].encode()
        out.append(
            ConsumerRecord(event_type, 0, offset, 0, 0, key, value, None, len(key), len(value), [])
        )
    return out


async def refuse_dead_letters(record, reason) -> None:
    raise AssertionError(f"dead-lettered: {reason}")


def processor(spec: ConsumerSpec, sessionmaker) -> BatchProcessor:
    return BatchProcessor(
        spec,
        sessionmaker,
        ConsumerMetrics(spec.name),
        refuse_dead_letters,
        max_attempts=1,
        stop=asyncio.Event(),
    )


async def emptied(sessionmaker, spec: ConsumerSpec) -> None:
    tables = ", ".join(t.fullname for t in [*spec.state_tables, spec.processed_events])
    async with sessionmaker() as session, session.begin():
        await session.execute(text(f"TRUNCATE {tables}"))


async def test_one_batch_newest_first_or_one_event_per_batch_gives_the_same_figures(
    sessionmaker,
):
    business = uuid.uuid4()
    day = records(a_day_of_events(business))
    analytics = processor(ANALYTICS, sessionmaker)
    try:
        await analytics.process(list(reversed(day)))
        in_one_batch = await figures(sessionmaker, business)
        await emptied(sessionmaker, ANALYTICS)
        for record in day:
            await analytics.process([record])
        one_by_one = await figures(sessionmaker, business)
    finally:
        await analytics.close()
    assert in_one_batch == one_by_one == [EXPECTED_DAY]


async def test_an_event_twice_in_one_batch_counts_once(sessionmaker):
    business, appointment = uuid.uuid4(), uuid.uuid4()
    [record] = records([("notification.sent", reminder_sent(business, appointment), T0)])
    [booking] = records([("appointment.booked", booked(business, appointment, START), T0)])
    analytics = processor(ANALYTICS, sessionmaker)
    try:
        await analytics.process([booking, record, record])
        await analytics.process([record])
    finally:
        await analytics.close()
    assert (analytics.metrics.processed, analytics.metrics.duplicates) == (2, 2)
    [day] = await figures(sessionmaker, business, START.date(), START.date())
    assert (day["booked"], day["reminders_sent"]) == (1, 1)


async def test_usage_in_one_batch_keeps_the_earliest_booking_and_any_cancellation(sessionmaker):
    business, kept, dropped = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    june, july = datetime(2026, 6, 30, 12, 0, tzinfo=UTC), datetime(2026, 7, 2, 12, 0, tzinfo=UTC)
    billing = processor(BILLING_USAGE, sessionmaker)
    try:
        await billing.process(
            records(
                [
                    ("appointment.cancelled", cancelled(business, dropped), june),
                    ("appointment.booked", booked(business, dropped, START), june),
                    # the same booking seen twice (two event ids): the earlier one decides
                    ("appointment.booked", booked(business, kept, START), july),
                    ("appointment.booked", booked(business, kept, START), june),
                ]
            )
        )
    finally:
        await billing.close()
    async with sessionmaker() as session:
        assert await usage.bookings_in_month(session, business, date(2026, 6, 1)) == 1
        assert await usage.bookings_in_month(session, business, date(2026, 7, 1)) == 0


def unreadable_thirteen(event) -> int:
    if event.data.n == 13:
        raise ValueError("no value for thirteen")
    return event.data.n


async def test_an_event_whose_values_cannot_be_taken_is_dead_lettered_alone(sessionmaker):
    business = uuid.uuid4()
    async with sessionmaker() as session, session.begin():
        await session.run_sync(lambda sync: COUNTED.drop(sync.connection(), checkfirst=True))
        await session.run_sync(lambda sync: COUNTED.create(sync.connection()))
    spec = replace(POISONABLE, columns=[Column("n", "int", unreadable_thirteen)])
    letters: list[str] = []

    async def dead_letter(record, reason) -> None:
        letters.append(reason)

    counting = BatchProcessor(
        spec, sessionmaker, ConsumerMetrics(spec.name), dead_letter, max_attempts=2,
        stop=asyncio.Event(), backoff_seconds=0.01,
    )  # fmt: skip
    try:
        await counting.process(
            records(
                [("test.counted", {"business_id": str(business), "n": n}, T0) for n in (12, 13, 14)]
            )
        )
    finally:
        await counting.close()
    assert letters == ["processing failed: ValueError: no value for thirteen"]
    async with sessionmaker() as session:
        assert sorted(await session.scalars(select(COUNTED.c.n))) == [12, 14]
