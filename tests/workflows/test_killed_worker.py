"""kill -9 of the notification worker while a reminder is in the provider's hands: the real
`apptremind worker notifications` process dies with the request unanswered (so the message
never went out). Its heartbeats stop, Temporal times the attempt out on the heartbeat
instead of waiting for start_to_close, and a worker still running sends the reminder once."""

import asyncio
import uuid

from sqlalchemy import select
from temporalio.api.enums.v1 import EventType, TimeoutType

from activities.notifications import NotificationActivities
from apptremind.booking.models import Reminder
from apptremind.notifications.providers import ConsoleSmsProvider
from apptremind.notifications.sendgrid import SendGridEmailProvider
from tests.fake_http import Answer
from tests.scenarios import a_day_ahead
from tests.workflows.support import booked_appointment
from tests.workflows.test_graceful_stop import (
    first_reminder_due_shortly,
    is_reminder,
    notification_worker_process,
    start_appointment,
    until_reminder_activity_completed,
)
from workers.appointments import build_worker as appointments_worker
from workers.notifications import build_worker as notifications_worker


async def test_a_killed_worker_s_send_is_retried_on_its_heartbeat_and_sent_once(
    client, sessionmaker, settings, temporal_client, temporal_dev_server, fake_sendgrid, tmp_path
):
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    appointment_id = booked["appointment_id"]
    await first_reminder_due_shortly(sessionmaker, appointment_id)
    fake_sendgrid.hold_when = is_reminder
    notifications_queue = f"notifications-{uuid.uuid4()}"
    appointments_queue = f"appointments-{uuid.uuid4()}"
    output = tmp_path / "worker.log"
    worker = notification_worker_process(
        settings, temporal_dev_server, fake_sendgrid, notifications_queue, output
    )
    handle = None
    try:
        async with appointments_worker(temporal_client, sessionmaker, appointments_queue):
            handle = await start_appointment(
                temporal_client,
                appointment_id,
                business_id,
                notifications_queue,
                appointments_queue,
            )
            assert await asyncio.to_thread(fake_sendgrid.holding.wait, 60), output.read_text()
            worker.kill()
            worker.wait()
            # The provider had not taken the message when the worker died.
            fake_sendgrid.answer_next(Answer(503, {"errors": [{"message": "try later"}]}))
            fake_sendgrid.hold_when = None
            fake_sendgrid.release()

            activities = NotificationActivities(
                sessionmaker,
                SendGridEmailProvider("SG.test", settings.email_from, fake_sendgrid.url),
                ConsoleSmsProvider(),
                settings,
            )
            async with notifications_worker(temporal_client, activities, notifications_queue):
                await until_reminder_activity_completed(handle, timeout=90)
            history = await handle.fetch_history()
    finally:
        fake_sendgrid.release()
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        if handle is not None:
            await handle.terminate("test over")

    # The retry that sent it was started after a heartbeat timeout of the killed attempt.
    reminder_starts = [
        e.activity_task_started_event_attributes
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
        and history.events[
            e.activity_task_started_event_attributes.scheduled_event_id - 1
        ].activity_task_scheduled_event_attributes.activity_type.name
        == "send_reminder"
    ]
    [started] = reminder_starts
    assert started.attempt == 2
    timed_out = started.last_failure.timeout_failure_info.timeout_type
    assert timed_out == TimeoutType.TIMEOUT_TYPE_HEARTBEAT, started.last_failure

    reminders_accepted = [r for r in fake_sendgrid.accepted() if is_reminder(r)]
    assert len(reminders_accepted) == 1
    async with sessionmaker() as session:
        statuses = list(await session.scalars(select(Reminder.status).order_by(Reminder.remind_at)))
    assert statuses == ["sent", "pending"]
