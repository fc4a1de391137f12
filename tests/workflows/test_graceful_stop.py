"""SIGTERM to the notification worker while a reminder is in the provider's hands: the real
`apptremind worker notifications` process, on the Temporal dev server, sending through a fake
SendGrid that stalls mid-request. The process waits for the send, records it and exits 0;
the reminder reaches the customer exactly once (no retry on another worker sends it again)."""

import asyncio
import json
import os
import signal
import subprocess
import time
import uuid

from sqlalchemy import select, text
from temporalio.api.enums.v1 import EventType

from activities.notifications import NotificationActivities
from apptremind.booking.contracts import AppointmentWorkflowInput
from apptremind.booking.models import Reminder
from apptremind.devstack.processes import binary
from apptremind.notifications.providers import ConsoleSmsProvider
from apptremind.notifications.sendgrid import SendGridEmailProvider
from apptremind.temporal.appointments import start_appointment_workflow
from tests.scenarios import a_day_ahead
from tests.workflows.support import booked_appointment
from workers.appointments import build_worker as appointments_worker
from workers.notifications import build_worker as notifications_worker

PLATFORM_ENV = ("DATABASE_URL", "TEMPORAL_ADDRESS", "KAFKA_BOOTSTRAP_SERVERS", "EMAIL_PROVIDER")


def is_reminder(request) -> bool:
    return request.json()["subject"].startswith("Reminder:")


def wait_for_text(path, wanted: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = path.read_text(errors="replace") if path.exists() else ""
        if wanted in output:
            return output
        time.sleep(0.1)
    raise AssertionError(f"{wanted!r} not in the worker's output:\n{output[-3000:]}")


async def first_reminder_due_shortly(sessionmaker, appointment_id: str) -> None:
    """The appointment's first reminder comes due in a moment (the second stays days away)."""
    async with sessionmaker() as session:
        await session.execute(
            text(
                "UPDATE booking.reminders SET remind_at = now() + interval '3 seconds'"
                " WHERE id = (SELECT id FROM booking.reminders WHERE appointment_id = :a"
                " ORDER BY remind_at LIMIT 1)"
            ),
            {"a": appointment_id},
        )
        await session.commit()


def notification_worker_process(
    settings, temporal_dev_server, fake_sendgrid, queue: str, output
) -> subprocess.Popen[bytes]:
    """The real `apptremind worker notifications` on `queue`, sending through the fake
    SendGrid, its output in the file `output`."""
    env = {k: v for k, v in os.environ.items() if k not in PLATFORM_ENV}
    env.update(
        ENVIRONMENT="test",
        DATABASE_URL=settings.database_url,
        TEMPORAL_ADDRESS=temporal_dev_server.address,
        NOTIFICATIONS_TASK_QUEUE=queue,
        JWT_SECRET=settings.jwt_secret.get_secret_value(),
        EMAIL_PROVIDER="sendgrid",
        SENDGRID_API_KEY="SG.test",
        SENDGRID_API_BASE=fake_sendgrid.url,
    )
    with output.open("wb") as log:
        return subprocess.Popen(
            [binary("apptremind"), "worker", "notifications"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )


async def start_appointment(
    temporal_client, appointment_id: str, business_id: str, notifications_queue: str, queue: str
):
    return await start_appointment_workflow(
        temporal_client,
        AppointmentWorkflowInput(
            appointment_id=appointment_id,
            business_id=business_id,
            notifications_task_queue=notifications_queue,
        ),
        task_queue=queue,
    )


async def test_sigterm_during_a_send_lets_it_finish_once_and_exits_cleanly(
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
            # The reminder's request is in the provider's hands, unanswered.
            assert await asyncio.to_thread(fake_sendgrid.holding.wait, 60), output.read_text()

            worker.send_signal(signal.SIGTERM)
            await asyncio.to_thread(wait_for_text, output, "sends in flight finish first")
            await asyncio.sleep(0.5)  # a worker that died on the signal would be gone by now
            assert worker.poll() is None, "the worker did not wait for its send"

            fake_sendgrid.release()
            code = await asyncio.to_thread(worker.wait, 40)

            # A worker on the same task queue would take a retry, if the send were handed
            # back: wait until the workflow has the send's outcome.
            activities = NotificationActivities(
                sessionmaker,
                SendGridEmailProvider("SG.test", settings.email_from, fake_sendgrid.url),
                ConsoleSmsProvider(),
                settings,
            )
            async with notifications_worker(temporal_client, activities, notifications_queue):
                await until_reminder_activity_completed(handle)
    finally:
        fake_sendgrid.release()
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        if handle is not None:
            await handle.terminate("test over")

    log = output.read_text(errors="replace")
    assert code == 0, log
    reminder_keys = [
        r.json()["custom_args"]["idempotency_key"]
        for r in fake_sendgrid.accepted()
        if is_reminder(r)
    ]
    assert len(reminder_keys) == 1  # delivered once: by the stopping worker, not again
    async with sessionmaker() as session:
        statuses = list(await session.scalars(select(Reminder.status).order_by(Reminder.remind_at)))
    assert statuses == ["sent", "pending"]
    # The stopping process logged the send, as JSON lines with the ids, no address.
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    [sent] = [
        line for line in lines if line.get("send") == "reminder" and line.get("outcome") == "sent"
    ]
    assert sent["appointment_id"] == appointment_id
    assert sent["workflow_id"] == f"appointment-{appointment_id}"
    assert "ada@example.com" not in log


async def until_reminder_activity_completed(handle, timeout: float = 60) -> None:
    async with asyncio.timeout(timeout):
        while True:
            history = await handle.fetch_history()
            scheduled = {
                e.event_id
                for e in history.events
                if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                and e.activity_task_scheduled_event_attributes.activity_type.name == "send_reminder"
            }
            if any(
                e.activity_task_completed_event_attributes.scheduled_event_id in scheduled
                for e in history.events
                if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
            ):
                return
            await asyncio.sleep(0.2)
