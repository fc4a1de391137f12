"""The appointment platform's two workers and helpers shared by the workflow tests."""

import asyncio
import io
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from temporalio.api.enums.v1 import EventType

from activities.notifications import NotificationActivities
from apptremind.booking.contracts import AppointmentWorkflowInput
from apptremind.booking.models import Reminder
from apptremind.notifications.providers import (
    ConsoleSmsProvider,
    EmailProvider,
    SmsProvider,
    SmtpEmailProvider,
)
from apptremind.outbox.models import OutboxEvent
from apptremind.temporal.appointments import start_appointment_workflow
from tests.scenarios import at, book, setup_business
from workers.appointments import build_worker as appointments_worker
from workers.notifications import build_worker as notifications_worker


class Platform:
    """The two workers, the way the processes of `make run` serve them."""

    def __init__(
        self,
        client,
        sessionmaker,
        settings,
        mail_server,
        env=None,
        email: EmailProvider | None = None,
        sms: SmsProvider | None = None,
        queues: tuple[str, str] | None = None,
    ) -> None:
        self.client = client
        self.env = env
        self.sessionmaker = sessionmaker
        self.queue, self.notifications_queue = queues or (
            f"appointments-{uuid.uuid4()}",
            f"notifications-{uuid.uuid4()}",
        )
        self.texts = io.StringIO()
        email = email or SmtpEmailProvider(
            mail_server.host, mail_server.port, "Salon <salon@example.com>"
        )
        activities = NotificationActivities(
            sessionmaker, email, sms or ConsoleSmsProvider(self.texts), settings
        )
        self.workers = [
            appointments_worker(client, sessionmaker, self.queue),
            notifications_worker(client, activities, self.notifications_queue),
        ]

    async def __aenter__(self) -> "Platform":
        for worker in self.workers:
            await worker.__aenter__()
        return self

    async def __aexit__(self, *exc_info) -> None:
        for worker in reversed(self.workers):
            await worker.__aexit__(*exc_info)

    async def start(self, booked: dict, business_id: str):
        return await start_appointment_workflow(
            self.client,
            AppointmentWorkflowInput(
                appointment_id=booked["appointment_id"],
                business_id=business_id,
                notifications_task_queue=self.notifications_queue,
            ),
            task_queue=self.queue,
        )

    async def sleep_until(self, instant: datetime) -> None:
        await self.env.sleep(instant - await self.env.get_current_time())


async def booked_appointment(client, day, hour=10, timezone="Europe/Berlin", **customer):
    biz = await setup_business(client, timezone=timezone)
    me = await client.get("/api/v1/business/profile", headers=biz["auth"])
    response = await book(
        client, biz, at(day, hour) if timezone == "Europe/Berlin" else hour, **customer
    )
    assert response.status_code == 201, response.text
    return response.json(), me.json()["id"]


async def send_times(handle) -> list[datetime]:
    """When the workflow scheduled each send_reminder activity, in server time."""
    history = await handle.fetch_history()
    return [
        event.event_time.ToDatetime(tzinfo=UTC)
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
        and event.activity_task_scheduled_event_attributes.activity_type.name == "send_reminder"
    ]


async def reminder_statuses(sessionmaker) -> list[tuple[datetime, str]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Reminder.remind_at, Reminder.status).order_by(
                Reminder.remind_at, Reminder.status
            )
        )
        return [(row.remind_at, row.status) for row in rows]


async def events_of(sessionmaker, event_type: str) -> list[dict]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxEvent).where(OutboxEvent.event_type == event_type).order_by(OutboxEvent.id)
        )
        return [row.envelope["data"] for row in rows]


HISTORIES = Path(__file__).parent / "histories"


async def keep_history(handle, name: str) -> None:
    """With RECORD_HISTORIES=1, saves the run's history for the replay test."""
    if os.environ.get("RECORD_HISTORIES") == "1":
        history = await handle.fetch_history()
        (HISTORIES / f"{name}.json").write_text(history.to_json())


def planned(booked: dict) -> list[datetime]:
    return [datetime.fromisoformat(r["remind_at"]) for r in booked["reminders"]]


async def confirmation_received(mail_server) -> None:
    """Waits for the booking confirmation; the time-skipping server's clock stands still."""
    deadline = asyncio.get_running_loop().time() + 20
    while not mail_server.confirmations:
        assert asyncio.get_running_loop().time() < deadline, "no confirmation"
        await asyncio.sleep(0.05)
