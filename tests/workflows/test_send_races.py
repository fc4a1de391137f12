"""A cancel or reschedule that arrives while a reminder is being sent, under real concurrency:
the provider (a fake SendGrid on loopback) stalls in the middle of the reminder's request
while the change goes through the workflow. The change waits for the send's outcome, so the
result is always consistent: the reminder went out once and the change came after it (and
the records say so), or it did not go out at all. Never after the change, never twice."""

import asyncio
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select, text

from apptremind.booking.contracts import CancelRequest, RescheduleRequest
from apptremind.booking.models import Appointment, Reminder
from apptremind.notifications.deadlines import SEND_ATTEMPT_TIMEOUT
from apptremind.notifications.sendgrid import SendGridEmailProvider
from tests.fake_http import Answer, FakeApi
from tests.scenarios import a_day_ahead, at
from tests.workflows.support import Platform, booked_appointment, events_of, planned
from workflows.appointment import AppointmentWorkflow


def is_reminder(request) -> bool:
    return request.json()["subject"].startswith("Reminder:")


def reminder_keys(fake: FakeApi) -> Counter[str]:
    """How many times the provider accepted each reminder (by its idempotency key)."""
    return Counter(
        r.json()["custom_args"]["idempotency_key"] for r in fake.accepted() if is_reminder(r)
    )


async def until(predicate, timeout: float = 30) -> None:
    async with asyncio.timeout(timeout):
        while not await predicate():
            await asyncio.sleep(0.05)


def send_reminder_attempts(history) -> list[int]:
    """The attempt number of each send_reminder activity the workflow started."""
    return [
        e.activity_task_started_event_attributes.attempt
        for e in history.events
        if e.HasField("activity_task_started_event_attributes")
        and history.events[
            e.activity_task_started_event_attributes.scheduled_event_id - 1
        ].activity_task_scheduled_event_attributes.activity_type.name
        == "send_reminder"
    ]


async def waiting_on_a_row_lock(sessionmaker) -> bool:
    async with sessionmaker() as session:
        waiting = await session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)


async def stored(sessionmaker) -> tuple[str, list[tuple[datetime, str]]]:
    async with sessionmaker() as session:
        status = await session.scalar(select(Appointment.status))
        reminders = await session.execute(
            select(Reminder.remind_at, Reminder.status).order_by(Reminder.remind_at)
        )
        return status, [(row.remind_at, row.status) for row in reminders]


async def stall_the_first_reminder(client, env, sessionmaker, settings, mail_server, fake):
    """Books, starts the workflow, lets the confirmation through, then moves the clock to
    the first reminder, whose request the provider holds. Returns the running platform."""
    email = SendGridEmailProvider("SG.key", "Salon <salon@example.com>", fake.url)
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    platform = Platform(env.client, sessionmaker, settings, mail_server, env, email=email)
    await platform.__aenter__()
    handle = await platform.start(booked, business_id)

    async def confirmed() -> bool:
        return any(r.json()["subject"].startswith("Booked:") for r in fake.accepted())

    await until(confirmed)
    fake.hold_when = is_reminder
    await platform.sleep_until(planned(booked)[0] + timedelta(seconds=1))
    await asyncio.to_thread(fake.holding.wait, 30)
    assert fake.holding.is_set(), "the first reminder never reached the provider"
    return platform, handle, booked


async def test_a_cancel_during_a_send_waits_for_it_and_the_records_say_so(
    client, env, sessionmaker, settings, mail_server, fake_sendgrid
):
    platform, handle, booked = await stall_the_first_reminder(
        client, env, sessionmaker, settings, mail_server, fake_sendgrid
    )
    try:
        cancelling = asyncio.create_task(
            handle.execute_update(AppointmentWorkflow.cancel, CancelRequest(reason="ill"))
        )
        # The cancel is stuck behind the send's row lock: nothing of it has committed.
        await until(lambda: waiting_on_a_row_lock(sessionmaker))
        assert await stored(sessionmaker) == (
            "booked",
            [(planned(booked)[0], "pending"), (planned(booked)[1], "pending")],
        )
        fake_sendgrid.release()  # the provider accepts the reminder
        cancelled = await asyncio.wait_for(cancelling, 30)
        await asyncio.wait_for(handle.result(), 30)
    finally:
        fake_sendgrid.release()
        await platform.__aexit__(None, None, None)

    assert cancelled.status == "cancelled"
    first, second = planned(booked)
    assert await stored(sessionmaker) == ("cancelled", [(first, "sent"), (second, "cancelled")])
    assert list(reminder_keys(fake_sendgrid).values()) == [1]  # sent once, the second never
    assert len(await events_of(sessionmaker, "notification.sent")) == 1
    assert len(await events_of(sessionmaker, "appointment.cancelled")) == 1
    # The customer heard in the order things happened: the reminder, then the cancellation.
    subjects = [r.json()["subject"].split(":")[0] for r in fake_sendgrid.accepted()]
    assert subjects == ["Booked", "Reminder", "Cancelled"]
    history = await handle.fetch_history()
    timeouts = [
        e.activity_task_scheduled_event_attributes.start_to_close_timeout.ToTimedelta()
        for e in history.events
        if e.activity_task_scheduled_event_attributes.activity_type.name == "send_reminder"
    ]
    assert timeouts == [SEND_ATTEMPT_TIMEOUT]


async def test_a_cancel_during_a_send_that_fails_means_no_reminder_at_all(
    client, env, sessionmaker, settings, mail_server, fake_sendgrid
):
    platform, handle, booked = await stall_the_first_reminder(
        client, env, sessionmaker, settings, mail_server, fake_sendgrid
    )
    try:
        fake_sendgrid.answer_next(Answer(503, {"errors": [{"message": "try later"}]}))
        cancelling = asyncio.create_task(
            handle.execute_update(AppointmentWorkflow.cancel, CancelRequest(reason="ill"))
        )
        await until(lambda: waiting_on_a_row_lock(sessionmaker))
        fake_sendgrid.release()  # the stalled attempt fails; the cancel commits; the retry
        await asyncio.wait_for(cancelling, 30)  # finds the reminder cancelled
        await asyncio.wait_for(handle.result(), 60)
    finally:
        fake_sendgrid.release()
        await platform.__aexit__(None, None, None)

    first, second = planned(booked)
    assert await stored(sessionmaker) == (
        "cancelled",
        [(first, "cancelled"), (second, "cancelled")],
    )
    assert reminder_keys(fake_sendgrid) == Counter()
    assert await events_of(sessionmaker, "notification.sent") == []
    history = await handle.fetch_history()
    attempts = send_reminder_attempts(history)
    assert attempts == [2]  # the first attempt failed at the provider; the retry skipped


async def test_a_reschedule_during_a_send_keeps_that_reminder_and_plans_new_ones(
    client, env, sessionmaker, settings, mail_server, fake_sendgrid
):
    platform, handle, booked = await stall_the_first_reminder(
        client, env, sessionmaker, settings, mail_server, fake_sendgrid
    )
    new_start = datetime.fromisoformat(at(a_day_ahead(12), 14))
    try:
        moving = asyncio.create_task(
            handle.execute_update(
                AppointmentWorkflow.reschedule, RescheduleRequest(start_time=new_start)
            )
        )
        await until(lambda: waiting_on_a_row_lock(sessionmaker))
        status, reminders = await stored(sessionmaker)
        assert [s for _, s in reminders] == ["pending", "pending"]  # nothing moved yet
        fake_sendgrid.release()
        moved = await asyncio.wait_for(moving, 30)
        await handle.execute_update(AppointmentWorkflow.cancel, CancelRequest(reason="done"))
        await asyncio.wait_for(handle.result(), 60)
    finally:
        fake_sendgrid.release()
        await platform.__aexit__(None, None, None)

    first, second = planned(booked)
    new_times = [r.remind_at for r in moved.reminders]
    assert moved.start_time == new_start
    _, reminders = await stored(sessionmaker)
    assert (first, "sent") in reminders  # it went out before the move, and says so
    assert (second, "cancelled") in reminders  # the old time's second reminder never fires
    assert sorted(t for t, s in reminders if t in new_times) == sorted(new_times)
    assert list(reminder_keys(fake_sendgrid).values()) == [1]


async def test_a_send_whose_transaction_the_database_drops_is_recorded_not_sent_again(
    client, env, sessionmaker, settings, mail_server, fake_sendgrid
):
    """The database loses the send's transaction (a restart, a dropped connection) while the
    provider holds the reminder: the provider then accepts it, and the send is recorded in a
    fresh transaction instead of failing the attempt, whose retry would send it again."""
    platform, handle, booked = await stall_the_first_reminder(
        client, env, sessionmaker, settings, mail_server, fake_sendgrid
    )
    try:
        async with sessionmaker() as session:
            dropped = await session.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND state = 'idle in transaction'"
                )
            )
        assert dropped == 1  # the send's transaction, holding the appointment's row lock
        fake_sendgrid.release()  # the provider accepts the reminder
        await handle.execute_update(AppointmentWorkflow.cancel, CancelRequest(reason="done"))
        await asyncio.wait_for(handle.result(), 60)
    finally:
        fake_sendgrid.release()
        await platform.__aexit__(None, None, None)

    first, second = planned(booked)
    assert await stored(sessionmaker) == ("cancelled", [(first, "sent"), (second, "cancelled")])
    assert list(reminder_keys(fake_sendgrid).values()) == [1]
    assert len(await events_of(sessionmaker, "notification.sent")) == 1
    history = await handle.fetch_history()
    attempts = send_reminder_attempts(history)
    assert attempts == [1]  # recorded by the attempt that sent it
