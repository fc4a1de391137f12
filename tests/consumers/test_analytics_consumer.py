import asyncio
import json
import os
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import func, select

from apptremind.analytics import service
from apptremind.analytics.consumer import ANALYTICS
from apptremind.analytics.models import AnalyticsProcessedEvent, AppointmentFact
from apptremind.consumers.rebuild import rebuild
from apptremind.consumers.runner import EventConsumer
from apptremind.devstack.processes import binary
from tests.consumers.conftest import (
    about,
    booked,
    cancelled,
    envelope,
    eventually,
    reminder_failed,
    reminder_sent,
    rescheduled,
    running,
)

DAY = date(2026, 7, 1)
# 22:30 UTC on 30 June is 00:30 on 1 July in Berlin: the local date is what counts.
LATE_EVENING_UTC = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)
T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


async def figures(sessionmaker, business_id, start=DAY, end=DAY) -> list[dict]:
    async with sessionmaker() as session:
        days = await service.summary(session, business_id, start, end)
    return [
        {
            "date": d.date,
            "booked": d.booked,
            "cancelled": d.cancelled,
            "completed": d.completed,
            "no_show": d.no_show,
            "reminders_sent": d.reminders_sent,
            "reminders_failed": d.reminders_failed,
            "no_show_rate": d.no_show_rate,
        }
        for d in days
    ]


async def processed_count(sessionmaker) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(AnalyticsProcessedEvent)))


def day_figures(**counts) -> dict:
    closed = counts.get("completed", 0) + counts.get("no_show", 0)
    base = dict.fromkeys(
        ["booked", "cancelled", "completed", "no_show", "reminders_sent", "reminders_failed"], 0
    )
    return {
        "date": DAY,
        **base,
        **counts,
        "no_show_rate": round(counts.get("no_show", 0) / closed, 4) if closed else None,
    }


def a_day_of_events(business_id: uuid.UUID) -> list[tuple[str, dict, datetime]]:
    """Four appointments on one local day: cancelled, completed, no-show, and one moved in
    from another day; three reminders; in the order they happened."""
    a, b, c, d = (uuid.uuid4() for _ in range(4))
    other_day = LATE_EVENING_UTC + timedelta(days=3)
    t = [T0 + timedelta(minutes=n) for n in range(12)]
    return [
        ("appointment.booked", booked(business_id, a, LATE_EVENING_UTC), t[0]),
        ("appointment.booked", booked(business_id, b, LATE_EVENING_UTC), t[1]),
        ("appointment.booked", booked(business_id, c, LATE_EVENING_UTC), t[2]),
        ("appointment.booked", booked(business_id, d, other_day), t[3]),
        ("appointment.rescheduled", rescheduled(business_id, d, LATE_EVENING_UTC), t[4]),
        ("notification.sent", reminder_sent(business_id, b), t[5]),
        ("notification.sent", reminder_sent(business_id, c), t[6]),
        ("notification.failed", reminder_failed(business_id, c), t[7]),
        ("appointment.cancelled", cancelled(business_id, a), t[8]),
        ("appointment.completed", about(business_id, b), t[9]),
        ("appointment.no_show", about(business_id, c), t[10]),
    ]


EXPECTED_DAY = day_figures(
    booked=4, cancelled=1, completed=1, no_show=1, reminders_sent=2, reminders_failed=1
)


async def send_all(producer, events) -> None:
    for event_type, data, timestamp in events:
        await producer.event(event_type, data, timestamp=timestamp)


async def test_events_become_daily_figures_on_the_local_date(
    sessionmaker, consumer_settings, producer, fresh_group
):
    business = uuid.uuid4()
    consumer = EventConsumer(
        ANALYTICS, sessionmaker, consumer_settings, group_id=await fresh_group(ANALYTICS)
    )
    async with running(consumer):
        await send_all(producer, a_day_of_events(business))
        await eventually(lambda: _processed(consumer, 11))

    assert await figures(sessionmaker, business, DAY - timedelta(days=1), DAY) == [
        {**day_figures(), "date": DAY - timedelta(days=1)},
        EXPECTED_DAY,
    ]
    # the moved appointment left its first day
    moved_from = DAY + timedelta(days=3)
    assert (await figures(sessionmaker, business, moved_from, moved_from))[0]["booked"] == 0


async def test_any_arrival_order_gives_the_same_figures(
    sessionmaker, consumer_settings, producer, fresh_group
):
    in_order, reversed_order, interleaved = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    consumer = EventConsumer(
        ANALYTICS, sessionmaker, consumer_settings, group_id=await fresh_group(ANALYTICS)
    )
    async with running(consumer):
        await send_all(producer, a_day_of_events(in_order))
        await send_all(producer, list(reversed(a_day_of_events(reversed_order))))
        events = a_day_of_events(interleaved)
        await send_all(producer, events[1::2] + events[::2])
        await eventually(lambda: _processed(consumer, 33))

    for business in (in_order, reversed_order, interleaved):
        assert await figures(sessionmaker, business) == [EXPECTED_DAY], business


async def test_the_same_event_id_produced_twice_counts_once(
    sessionmaker, consumer_settings, producer, fresh_group
):
    business, appointment, event_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    data = booked(business, appointment, LATE_EVENING_UTC)
    consumer = EventConsumer(
        ANALYTICS, sessionmaker, consumer_settings, group_id=await fresh_group(ANALYTICS)
    )
    async with running(consumer):
        await producer.event("appointment.booked", data, event_id=event_id)
        await eventually(lambda: _processed(consumer, 1))
        await producer.event("appointment.booked", data, event_id=event_id)
        await eventually(lambda: _seen(consumer, 2))

    assert (await figures(sessionmaker, business))[0]["booked"] == 1
    assert consumer.metrics.duplicates == 1
    assert await processed_count(sessionmaker) == 1


async def test_garbage_goes_to_the_dead_letter_topic_and_the_next_event_is_processed(
    sessionmaker, consumer_settings, producer, fresh_group
):
    business = uuid.uuid4()
    consumer = EventConsumer(
        ANALYTICS, sessionmaker, consumer_settings, group_id=await fresh_group(ANALYTICS)
    )
    async with running(consumer):
        await producer.send("appointment.booked", b"\x00 not json {", business)
        await producer.event("appointment.booked", booked(business, uuid.uuid4(), LATE_EVENING_UTC))
        await eventually(lambda: _processed(consumer, 1))

    assert (await figures(sessionmaker, business))[0]["booked"] == 1
    [letter] = await dead_letters(consumer_settings, "appointment.booked", business, 1)
    assert letter.value == b"\x00 not json {"
    assert headers(letter)["dlq.reason"].startswith("not JSON")
    assert headers(letter)["dlq.topic"] == "appointment.booked"
    assert consumer.metrics.dead_lettered == 1


def _without(field):
    return lambda body: {k: v for k, v in body.items() if k != field}


def _with_data(**changes):
    return lambda body: {**body, "data": {**body["data"], **changes}}


INVALID = [
    (_without("event_id"), "bad envelope: missing event_id"),
    (_without("event_type"), "bad envelope: missing event_type"),
    (_with_data(appointment_id=42), "bad data for appointment.booked: appointment_id"),
    # The key names the business too, but the data must: the producers' one shape.
    (
        lambda body: {
            **body,
            "data": {k: v for k, v in body["data"].items() if k != "business_id"},
        },
        "bad data for appointment.booked: business_id",
    ),
    (_with_data(start_time="tomorrow"), "bad data for appointment.booked: start_time"),
    (_with_data(timezone="Mars/Olympus"), "unknown time zone"),
    (lambda body: {**body, "data": "x"}, "bad envelope: data"),
    (
        lambda body: {**body, "event_type": "appointment.exploded"},
        "unknown event type 'appointment.exploded'",
    ),
    (
        lambda body: {**body, "event_type": "appointment.cancelled"},
        "event type 'appointment.cancelled' on topic 'appointment.booked'",
    ),
]


async def test_invalid_messages_are_dead_lettered_with_their_reason_and_change_nothing(
    sessionmaker, consumer_settings, producer, fresh_group
):
    businesses = [uuid.uuid4() for _ in INVALID]
    valid_business = uuid.uuid4()
    consumer = EventConsumer(
        ANALYTICS, sessionmaker, consumer_settings, group_id=await fresh_group(ANALYTICS)
    )
    async with running(consumer):
        for business, (spoil, _) in zip(businesses, INVALID, strict=True):
            body = json.loads(
                envelope("appointment.booked", booked(business, uuid.uuid4(), LATE_EVENING_UTC))
            )
            await producer.send("appointment.booked", json.dumps(spoil(body)).encode(), business)
        await producer.event(
            "appointment.booked", booked(valid_business, uuid.uuid4(), LATE_EVENING_UTC)
        )
        await eventually(lambda: _dead(consumer, len(INVALID)))
        await eventually(lambda: _processed(consumer, 1))

    for business, (_, reason) in zip(businesses, INVALID, strict=True):
        [letter] = await dead_letters(consumer_settings, "appointment.booked", business, 1)
        assert reason in headers(letter)["dlq.reason"]
        assert (await figures(sessionmaker, business))[0]["booked"] == 0
    assert consumer.metrics.processed == 1
    assert await processed_count(sessionmaker) == 1
    assert (await figures(sessionmaker, valid_business))[0]["booked"] == 1
    async with sessionmaker() as session:  # not even a partial row for any invalid message
        assert await session.scalar(select(func.count()).select_from(AppointmentFact)) == 1


async def test_a_crash_between_the_database_commit_and_the_offset_commit_loses_and_doubles_nothing(
    sessionmaker, consumer_settings, producer, fresh_group
):
    class Crash(BaseException):
        pass

    class CrashingBeforeOffsetCommit(EventConsumer):
        async def commit_offsets(self, offsets):
            raise Crash()

    business = uuid.uuid4()
    group = await fresh_group(ANALYTICS)
    await send_all(producer, a_day_of_events(business))

    crashing = CrashingBeforeOffsetCommit(
        ANALYTICS, sessionmaker, consumer_settings, group_id=group
    )
    with pytest.raises(Crash):
        await crashing.run(asyncio.Event())
    applied_before_crash = crashing.metrics.processed
    assert applied_before_crash > 0
    assert await processed_count(sessionmaker) == applied_before_crash

    restarted = EventConsumer(ANALYTICS, sessionmaker, consumer_settings, group_id=group)
    async with running(restarted):
        await eventually(lambda: _seen(restarted, 11))

    assert restarted.metrics.duplicates == applied_before_crash
    assert await processed_count(sessionmaker) == 11
    assert await figures(sessionmaker, business) == [EXPECTED_DAY]


async def test_a_rebuild_from_offset_zero_gives_the_same_figures(
    sessionmaker, consumer_settings, producer, fresh_group
):
    businesses = [uuid.uuid4() for _ in range(3)]
    consumer = EventConsumer(
        ANALYTICS, sessionmaker, consumer_settings, group_id=await fresh_group(ANALYTICS)
    )
    async with running(consumer):
        for business in businesses:
            events = a_day_of_events(business)
            await send_all(producer, events[5:] + events[:5])
        await producer.send("appointment.booked", b"garbage", businesses[0])
        await eventually(lambda: _processed(consumer, 33))
    live = [await figures(sessionmaker, b) for b in businesses]

    rebuilt = await rebuild(ANALYTICS, sessionmaker, consumer_settings)

    assert [await figures(sessionmaker, b) for b in businesses] == live == [[EXPECTED_DAY]] * 3
    assert rebuilt.processed >= 33  # the topics hold earlier tests' events too
    assert rebuilt.dead_lettered >= 1  # the garbage is counted again...
    # ...but its only letter is the live consumer's: waiting for a second one finds none.
    letters = await dead_letters(consumer_settings, "appointment.booked", businesses[0], 2, 5.0)
    assert [letter.value for letter in letters] == [b"garbage"]


async def test_the_rebuild_command_recomputes_the_figures_and_exits(
    sessionmaker, consumer_settings, producer
):
    business = uuid.uuid4()
    await send_all(producer, a_day_of_events(business))
    env = {
        **os.environ,
        "DATABASE_URL": consumer_settings.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": consumer_settings.kafka_bootstrap_servers,
    }
    command = await asyncio.create_subprocess_exec(
        binary("apptremind"), "consume", "analytics", "--rebuild", env=env
    )
    assert await asyncio.wait_for(command.wait(), 60) == 0
    assert await figures(sessionmaker, business) == [EXPECTED_DAY]


async def test_stopping_commits_the_offsets_so_a_restart_redoes_nothing(
    sessionmaker, consumer_settings, producer, fresh_group
):
    business = uuid.uuid4()
    group = await fresh_group(ANALYTICS)
    first = EventConsumer(ANALYTICS, sessionmaker, consumer_settings, group_id=group)
    async with running(first):
        await send_all(producer, a_day_of_events(business)[:4])
        await eventually(lambda: _processed(first, 4))

    second = EventConsumer(ANALYTICS, sessionmaker, consumer_settings, group_id=group)
    async with running(second):
        await producer.event("appointment.booked", booked(business, uuid.uuid4(), LATE_EVENING_UTC))
        await eventually(lambda: _processed(second, 1))
    assert second.metrics.duplicates == 0
    assert (await figures(sessionmaker, business))[0]["booked"] == 4


async def _processed(consumer: EventConsumer, count: int) -> bool:
    return consumer.metrics.processed >= count


async def _seen(consumer: EventConsumer, count: int) -> bool:
    return consumer.metrics.processed + consumer.metrics.duplicates >= count


async def _dead(consumer: EventConsumer, count: int) -> bool:
    return consumer.metrics.dead_lettered >= count


async def dead_letters(settings, topic: str, key: uuid.UUID, expected: int, timeout=20.0):
    consumer = AIOKafkaConsumer(
        f"{topic}.dlq",
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while len(found) < expected and loop.time() < deadline:
            for records in (await consumer.getmany(timeout_ms=300)).values():
                found += [r for r in records if r.key == str(key).encode()]
    finally:
        await consumer.stop()
    return found


def headers(record) -> dict[str, str]:
    return {name: value.decode() for name, value in record.headers}
