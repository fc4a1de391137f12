"""Claiming a reminder for sending: only a pending reminder of a booked appointment, and
never once the appointment has begun."""

from datetime import datetime, timedelta

from sqlalchemy import select

from apptremind.booking import reminder_delivery
from apptremind.booking.models import Reminder
from apptremind.db import unit_of_work
from apptremind.outbox.models import OutboxEvent
from tests.scenarios import a_day_ahead, at, book, setup_business


async def test_a_reminder_due_after_the_start_is_marked_failed_not_sent(
    client, sessionmaker, settings
):
    biz = await setup_business(client)
    booked = (await book(client, biz, at(a_day_ahead(3), 10))).json()
    start = datetime.fromisoformat(booked["start_time"])
    async with sessionmaker() as session:
        first, second = (
            await session.scalars(select(Reminder.id).order_by(Reminder.remind_at))
        ).all()

    async with unit_of_work(sessionmaker) as session:
        on_time = await reminder_delivery.claim(
            session, first, start - timedelta(hours=2), settings
        )
    async with unit_of_work(sessionmaker) as session:
        too_late = await reminder_delivery.claim(
            session, second, start + timedelta(minutes=1), settings
        )

    assert on_time is not None
    assert on_time.message.recipient == "ada@example.com"
    assert too_late is None
    async with sessionmaker() as session:
        late = await session.get(Reminder, second)
        assert late is not None
        assert late.status == "failed"
        assert late.error == reminder_delivery.TOO_LATE
        kinds = (await session.scalars(select(OutboxEvent.event_type))).all()
    assert kinds.count("notification.failed") == 1
    assert kinds.count("reminder.due") == 1  # only for the one claimed in time
