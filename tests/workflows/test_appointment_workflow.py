"""AppointmentWorkflow on Temporal's time-skipping server: days of waiting in milliseconds."""

import io
import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from temporalio.api.enums.v1 import EventType, IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from activities.notifications import NotificationActivities
from apptremind.booking.models import Appointment, Reminder
from apptremind.devstack.processes import binary, search_attributes
from apptremind.notifications.providers import ConsoleSmsProvider, SmtpEmailProvider
from apptremind.outbox.models import OutboxEvent
from tests.scenarios import a_day_ahead, at, book, go_pro, setup_business
from workers.appointments import build_worker as appointments_worker
from workers.notifications import build_worker as notifications_worker
from workflows.appointment import (
    AppointmentWorkflow,
    AppointmentWorkflowInput,
    CancelRequest,
    RescheduleRequest,
)


@pytest.fixture
async def env():
    """A fresh time-skipping server per test: each test moves its clock as it likes."""
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter,
        test_server_existing_path=binary("temporal-test-server"),
    )
    kinds = {
        "Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        "Datetime": IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
    }
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace="default",
            search_attributes={name: kinds[kind] for name, kind in search_attributes().items()},
        )
    )
    yield env
    await env.shutdown()


class Platform:
    """The two workers, the way the processes of `make run` serve them."""

    def __init__(self, client, sessionmaker, settings, mail_server, env=None) -> None:
        self.client = client
        self.env = env
        self.sessionmaker = sessionmaker
        self.queue = f"appointments-{uuid.uuid4()}"
        self.notifications_queue = f"notifications-{uuid.uuid4()}"
        self.texts = io.StringIO()
        smtp = SmtpEmailProvider(mail_server.host, mail_server.port, "Salon <salon@example.com>")
        activities = NotificationActivities(
            sessionmaker, smtp, ConsoleSmsProvider(self.texts), settings
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
        return await self.client.start_workflow(
            AppointmentWorkflow.run,
            AppointmentWorkflowInput(
                appointment_id=booked["appointment_id"],
                business_id=business_id,
                notifications_task_queue=self.notifications_queue,
            ),
            id=f"appointment-{booked['appointment_id']}",
            task_queue=self.queue,
        )

    async def sleep_until(self, instant: datetime) -> None:
        await self.env.sleep(instant - await self.env.get_current_time())


@pytest.fixture
async def platform(env, sessionmaker, settings, mail_server):
    async with Platform(env.client, sessionmaker, settings, mail_server, env) as running:
        yield running


@pytest.fixture
async def dev_server_platform(temporal_client, sessionmaker, settings, mail_server):
    """The same workers against the real dev server, for what the test server does not model."""
    async with Platform(temporal_client, sessionmaker, settings, mail_server) as running:
        yield running


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


async def test_reminders_fire_at_their_instants_and_the_appointment_completes(
    client, sessionmaker, platform, mail_server
):
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    handle = await platform.start(booked, business_id)

    result = await handle.result()
    await keep_history(handle, "reminders_sent_then_auto_completed")

    assert [t.replace(microsecond=0) for t in await send_times(handle)] == planned(booked)
    assert len(mail_server.received) == 2
    assert "Haircut" in mail_server.received[0]["Subject"]
    assert result.status == "completed"  # nobody closed it: completed after the grace period
    assert [status for _, status in await reminder_statuses(sessionmaker)] == ["sent", "sent"]
    assert len(await events_of(sessionmaker, "reminder.due")) == 2
    assert len(await events_of(sessionmaker, "notification.sent")) == 2
    assert await events_of(sessionmaker, "appointment.completed") == [
        {"appointment_id": booked["appointment_id"], "business_id": business_id}
    ]


async def test_a_reminder_across_a_dst_change_fires_at_the_right_instant_with_local_time(
    client, sessionmaker, platform, mail_server
):
    # US clocks spring forward on 14 March 2027: the day-before reminder is 23 wall-clock hours
    # before, exactly 1440 minutes of real time.
    biz = await setup_business(
        client,
        timezone="America/Los_Angeles",
        hours=[{"day_of_week": 6, "start_time": "09:00", "end_time": "17:00"}],
    )
    me = (await client.get("/api/v1/business/profile", headers=biz["auth"])).json()
    response = await book(client, biz, "2027-03-14T10:00:00-07:00")
    assert response.status_code == 201, response.text
    booked = response.json()
    handle = await platform.start(booked, me["id"])

    await handle.result()

    day_before, hour_before = await send_times(handle)
    assert day_before.replace(microsecond=0) == datetime(2027, 3, 13, 17, 0, tzinfo=UTC)
    assert hour_before.replace(microsecond=0) == datetime(2027, 3, 14, 16, 0, tzinfo=UTC)
    assert "Sun 14 Mar 2027, 10:00 PDT" in mail_server.received[0]["Subject"]


async def test_cancel_before_the_first_reminder_sends_nothing(
    client, sessionmaker, platform, mail_server
):
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    handle = await platform.start(booked, business_id)

    cancelled = await handle.execute_update(
        AppointmentWorkflow.cancel, CancelRequest(reason="ill", cancelled_by="owner")
    )
    result = await handle.result()

    assert cancelled.status == result.status == "cancelled"
    assert mail_server.received == []
    assert await send_times(handle) == []
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["cancelled", "cancelled"]
    assert await events_of(sessionmaker, "appointment.cancelled") == [
        {
            "appointment_id": booked["appointment_id"],
            "business_id": business_id,
            "reason": "ill",
            "cancelled_by": "owner",
        }
    ]


async def test_cancel_between_reminders_sends_only_the_first(
    client, sessionmaker, platform, mail_server
):
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    first, second = planned(booked)
    handle = await platform.start(booked, business_id)

    await platform.sleep_until(first + timedelta(minutes=5))
    await handle.execute_update(AppointmentWorkflow.cancel, CancelRequest(reason="moved away"))
    await handle.result()
    await keep_history(handle, "cancelled_between_reminders")

    assert len(mail_server.received) == 1
    assert [(t, s) for t, s in await reminder_statuses(sessionmaker)] == [
        (first, "sent"),
        (second, "cancelled"),
    ]


async def test_a_support_signal_cancels_exactly_like_the_api(
    client, sessionmaker, platform, mail_server
):
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    handle = await platform.start(booked, business_id)

    await handle.signal("cancel", "not an object")  # malformed: ignored, nothing breaks
    await handle.signal("cancel", {"reason": "customer phoned"})
    result = await handle.result()
    await keep_history(handle, "cancelled_by_signal")

    assert result.status == "cancelled"
    assert mail_server.received == []
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["cancelled", "cancelled"]
    [event] = await events_of(sessionmaker, "appointment.cancelled")
    assert event["reason"] == "customer phoned"
    assert event["cancelled_by"] == "support"
    async with sessionmaker() as session:
        assert await session.scalar(select(Appointment.status)) == "cancelled"


async def test_reschedule_moves_the_reminders_and_the_old_times_never_fire(
    client, sessionmaker, platform, mail_server
):
    day = a_day_ahead(10)
    booked, business_id = await booked_appointment(client, day)
    handle = await platform.start(booked, business_id)

    moved = await handle.execute_update(
        AppointmentWorkflow.reschedule,
        RescheduleRequest(start_time=datetime.fromisoformat(at(day + timedelta(days=2), 14))),
    )
    await handle.result()
    await keep_history(handle, "rescheduled")

    new_times = [r.remind_at for r in moved.reminders]
    assert [t.replace(microsecond=0) for t in await send_times(handle)] == new_times
    assert set(new_times).isdisjoint(planned(booked))
    statuses = await reminder_statuses(sessionmaker)
    assert [s for t, s in statuses if t in planned(booked)] == ["cancelled", "cancelled"]
    assert [s for t, s in statuses if t in new_times] == ["sent", "sent"]
    assert len(mail_server.received) == 2
    [event] = await events_of(sessionmaker, "appointment.rescheduled")
    assert datetime.fromisoformat(event["start_time"]) == datetime.fromisoformat(
        at(day + timedelta(days=2), 14)
    )


async def test_rescheduling_into_a_taken_slot_fails_and_changes_nothing(
    client, sessionmaker, platform
):
    day = a_day_ahead(10)
    biz = await setup_business(client)
    me = (await client.get("/api/v1/business/profile", headers=biz["auth"])).json()
    first = (await book(client, biz, at(day, 10))).json()
    await book(client, biz, at(day, 12), name="Bo", email="bo@example.com")
    handle = await platform.start(first, me["id"])

    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(
            AppointmentWorkflow.reschedule,
            RescheduleRequest(start_time=datetime.fromisoformat(at(day, 12))),
        )

    assert failure.value.cause.type == "SlotTaken"
    snapshot = await handle.query(AppointmentWorkflow.appointment)
    assert snapshot.start_time == datetime.fromisoformat(at(day, 10))
    assert await events_of(sessionmaker, "appointment.rescheduled") == []
    await handle.execute_update(AppointmentWorkflow.cancel, CancelRequest())


async def test_a_provider_failing_twice_then_succeeding_sends_exactly_once(
    client, sessionmaker, platform, mail_server
):
    mail_server.handler.transient_failures = 2
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    handle = await platform.start(booked, business_id)

    await handle.result()

    assert len(mail_server.received) == 2  # one per reminder, none twice
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["sent", "sent"]
    assert len(await events_of(sessionmaker, "notification.sent")) == 2


async def test_a_permanent_failure_marks_the_reminder_failed_and_says_so(
    client, sessionmaker, platform, mail_server
):
    mail_server.handler.refused_recipients.add("gone@example.com")
    booked, business_id = await booked_appointment(
        client, a_day_ahead(10), name="Gone", email="gone@example.com"
    )
    handle = await platform.start(booked, business_id)

    await handle.result()

    assert mail_server.received == []
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["failed", "failed"]
    failures = await events_of(sessionmaker, "notification.failed")
    assert [f["channel"] for f in failures] == ["email", "email"]
    assert "refused" in failures[0]["error_reason"]


async def test_invalid_transitions_are_rejected_without_a_trace_in_history(
    client, sessionmaker, dev_server_platform
):
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    handle = await dev_server_platform.start(booked, business_id)

    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(AppointmentWorkflow.complete)  # before it started
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(AppointmentWorkflow.no_show)
    await handle.execute_update(AppointmentWorkflow.cancel, CancelRequest())
    await handle.result()  # a cancelled appointment's workflow is done
    with pytest.raises(RPCError, match="already completed"):
        await handle.execute_update(AppointmentWorkflow.cancel, CancelRequest())

    history = await handle.fetch_history()
    accepted = [
        e
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    ]
    assert len(accepted) == 1  # only the valid cancel
    assert await events_of(sessionmaker, "appointment.completed") == []


async def test_sms_reminders_never_ask_for_a_reply(client, sessionmaker, platform):
    biz = await setup_business(client)
    await go_pro(client, sessionmaker, biz)
    await client.patch(
        "/api/v1/business/profile", headers=biz["auth"], json={"reminder_channels": ["sms"]}
    )
    me = (await client.get("/api/v1/business/profile", headers=biz["auth"])).json()
    booked = (
        await book(client, biz, at(a_day_ahead(10), 10), name="Ada", phone="+49 170 1234567")
    ).json()
    handle = await platform.start(booked, me["id"])

    await handle.result()

    texts = platform.texts.getvalue()
    assert texts.count("to +491701234567") == 2
    for word in ("CANCEL", "STOP", "reply", "Reply"):
        assert word not in texts
