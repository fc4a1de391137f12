import uuid
from datetime import UTC, date, datetime

from apptremind.billing import usage
from apptremind.billing.usage_consumer import BILLING_USAGE
from apptremind.consumers.runner import EventConsumer
from tests.consumers.conftest import booked, cancelled, eventually, running

# 23:30 UTC on 31 May is already June in Berlin: the booking counts in June there.
MAY_31_LATE = datetime(2026, 5, 31, 23, 30, tzinfo=UTC)
JUNE_10 = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
JUNE_20 = datetime(2026, 6, 20, 9, 0, tzinfo=UTC)
MAY_5 = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
JUNE = date(2026, 6, 1)


async def test_bookings_per_month_count_bookings_minus_cancellations_in_any_order(
    sessionmaker, consumer_settings, producer, fresh_group
):
    business, other = uuid.uuid4(), uuid.uuid4()
    kept, cancelled_later, cancelled_first, in_may, late_may = (uuid.uuid4() for _ in range(5))
    start = datetime(2026, 8, 1, 10, 0, tzinfo=UTC)  # when the appointment is does not matter
    consumer = EventConsumer(
        BILLING_USAGE, sessionmaker, consumer_settings, group_id=await fresh_group(BILLING_USAGE)
    )
    async with running(consumer):
        for appointment, made_at in (
            (kept, JUNE_10),
            (cancelled_later, JUNE_10),
            (in_may, MAY_5),
            (late_may, MAY_31_LATE),
        ):
            await producer.event(
                "appointment.booked", booked(business, appointment, start), timestamp=made_at
            )
        await producer.event("appointment.cancelled", cancelled(business, cancelled_later))
        # the cancellation of this one is consumed before its booking
        await producer.event("appointment.cancelled", cancelled(business, cancelled_first))
        await producer.event(
            "appointment.booked", booked(business, cancelled_first, start), timestamp=JUNE_20
        )
        await producer.event(
            "appointment.booked", booked(other, uuid.uuid4(), start), timestamp=JUNE_10
        )
        await eventually(lambda: _processed(consumer, 8))

    async with sessionmaker() as session:
        assert await usage.bookings_in_month(session, business, JUNE) == 2
        assert await usage.bookings_in_month(session, business, date(2026, 5, 1)) == 1
        assert await usage.bookings_in_month(session, other, JUNE) == 1
        assert await usage.bookings_in_month(session, uuid.uuid4(), JUNE) == 0


async def test_a_redelivered_booking_is_billed_once(
    sessionmaker, consumer_settings, producer, fresh_group
):
    business, appointment, event_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    consumer = EventConsumer(
        BILLING_USAGE, sessionmaker, consumer_settings, group_id=await fresh_group(BILLING_USAGE)
    )
    data = booked(business, appointment, JUNE_20)
    async with running(consumer):
        for _ in range(2):
            await producer.event("appointment.booked", data, event_id=event_id, timestamp=JUNE_10)
        await eventually(lambda: _seen(consumer, 2))

    assert consumer.metrics.duplicates == 1
    async with sessionmaker() as session:
        assert await usage.bookings_in_month(session, business, JUNE) == 1


async def _processed(consumer: EventConsumer, count: int) -> bool:
    return consumer.metrics.processed >= count


async def _seen(consumer: EventConsumer, count: int) -> bool:
    return consumer.metrics.processed + consumer.metrics.duplicates >= count
