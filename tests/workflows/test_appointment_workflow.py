"""AppointmentWorkflow on Temporal's time-skipping server: days of waiting in milliseconds."""

import asyncio
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError
from temporalio.worker import Worker

from activities.appointments import AppointmentActivities
from activities.notifications import NotificationActivities
from apptremind.booking.contracts import AppointmentWorkflowInput, CancelRequest, RescheduleRequest
from apptremind.booking.models import Appointment
from apptremind.notifications.providers import ConsoleSmsProvider, SmtpEmailProvider
from apptremind.temporal.appointments import start_appointment_workflow
from tests.dates import next_spring_forward
from tests.scenarios import a_day_ahead, at, book, go_pro, setup_business
from tests.workflows.support import (
    Platform,
    booked_appointment,
    confirmation_received,
    events_of,
    keep_history,
    planned,
    reminder_statuses,
    send_times,
)
from workers.notifications import build_worker as notifications_worker
from workflows.appointment import AppointmentWorkflow


async def test_reminders_fire_at_their_instants_and_the_appointment_completes(
    client, sessionmaker, platform, mail_server
):
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    handle = await platform.start(booked, business_id)

    result = await handle.result()
    await keep_history(handle, "reminders_sent_then_auto_completed")

    assert [t.replace(microsecond=0) for t in await send_times(handle)] == planned(booked)
    assert len(mail_server.reminders) == 2
    assert "Haircut" in mail_server.reminders[0]["Subject"]
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
    # On a spring-forward day the day-before reminder is 23 wall-clock hours before, exactly
    # 1440 minutes of real time. The next such day at least two days ahead, so that both
    # reminders are still to come.
    la = ZoneInfo("America/Los_Angeles")
    dst_day = next_spring_forward(la, datetime.now(la).date() + timedelta(days=2))
    biz = await setup_business(
        client,
        timezone="America/Los_Angeles",
        hours=[{"day_of_week": dst_day.weekday(), "start_time": "09:00", "end_time": "17:00"}],
    )
    # The next spring-forward may be a year away: let the business take bookings that far.
    me = await client.patch(
        "/api/v1/business/profile", headers=biz["auth"], json={"booking_horizon_days": 730}
    )
    response = await book(client, biz, f"{dst_day.isoformat()}T10:00:00-07:00")
    assert response.status_code == 201, response.text
    booked = response.json()
    handle = await platform.start(booked, me.json()["id"])

    await handle.result()

    day_before, hour_before = await send_times(handle)
    ten_am = datetime.combine(dst_day, time(17, 0), tzinfo=UTC)  # 10:00 PDT
    assert day_before.replace(microsecond=0) == ten_am - timedelta(days=1)
    assert hour_before.replace(microsecond=0) == ten_am - timedelta(hours=1)
    local = f"{dst_day:%a} {dst_day.day} {dst_day:%b %Y}, 10:00 PDT"
    assert local in mail_server.reminders[0]["Subject"]


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
    assert mail_server.reminders == []
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

    assert len(mail_server.reminders) == 1
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
    assert mail_server.reminders == []
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["cancelled", "cancelled"]
    [event] = await events_of(sessionmaker, "appointment.cancelled")
    assert event["reason"] == "customer phoned"
    assert event["cancelled_by"] == "support"
    async with sessionmaker() as session:
        assert await session.scalar(select(Appointment.status)) == "cancelled"


async def test_a_cancel_signalled_while_the_workers_are_down_wins_over_the_reminder_due_meanwhile(
    client, sessionmaker, env, settings, mail_server
):
    """Support cancels a few seconds before a reminder is due while the workers are down;
    the workers come back after the reminder's time: signal and timer reach the workflow
    in one activation, and the cancellation must win, as it was asked for first."""
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    first, _ = planned(booked)
    queues = (f"appointments-{uuid.uuid4()}", f"notifications-{uuid.uuid4()}")
    # First the workers with no workflow cache (no sticky queue to wait out once they are
    # gone): the workflow loads the appointment, confirms it and sleeps.
    data = AppointmentActivities(sessionmaker)
    async with (
        Worker(
            env.client,
            task_queue=queues[0],
            workflows=[AppointmentWorkflow],
            activities=[data.load, data.cancel, data.reschedule, data.record_outcome],
            max_cached_workflows=0,
        ),
        notifications_worker(
            env.client, sender_activities(sessionmaker, settings, mail_server), queues[1]
        ),
    ):
        handle = await start_appointment_workflow(
            env.client,
            AppointmentWorkflowInput(
                appointment_id=booked["appointment_id"],
                business_id=business_id,
                notifications_task_queue=queues[1],
            ),
            task_queue=queues[0],
        )
        await confirmation_received(mail_server)
        await timer_started(handle)

    await env.sleep(first - timedelta(seconds=3) - await env.get_current_time())
    await handle.signal("cancel", {"reason": "customer phoned"})
    await env.sleep(first + timedelta(seconds=5) - await env.get_current_time())
    async with Platform(env.client, sessionmaker, settings, mail_server, env, queues=queues):
        result = await handle.result()

    assert result.status == "cancelled"
    assert mail_server.reminders == []
    assert await send_times(handle) == []
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["cancelled", "cancelled"]


def sender_activities(sessionmaker, settings, mail_server) -> NotificationActivities:
    email = SmtpEmailProvider(mail_server.host, mail_server.port, "Salon <salon@example.com>")
    return NotificationActivities(sessionmaker, email, ConsoleSmsProvider(), settings)


async def timer_started(handle) -> None:
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        history = await handle.fetch_history()
        if any(e.event_type == EventType.EVENT_TYPE_TIMER_STARTED for e in history.events):
            return
        assert asyncio.get_running_loop().time() < deadline, "the workflow never slept"
        await asyncio.sleep(0.05)


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
    assert len(mail_server.reminders) == 2
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
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    handle = await platform.start(booked, business_id)
    await confirmation_received(mail_server)
    # The first reminder's first two attempts are refused after DATA (451), not the booking
    # confirmation's.
    mail_server.handler.transient_failures = 2

    await handle.result()

    assert mail_server.handler.transient_failures == 0  # both refusals were used up
    assert len(mail_server.reminders) == 2  # one per reminder, none twice
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["sent", "sent"]
    assert len(await events_of(sessionmaker, "notification.sent")) == 2


async def test_a_greylisting_mail_server_gets_each_reminder_once_after_its_retries(
    client, sessionmaker, platform, mail_server
):
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    handle = await platform.start(booked, business_id)
    await confirmation_received(mail_server)
    # From now on the customer's server answers `451` to RCPT TO twice: the first reminder's
    # first two attempts, as greylisting does to a sender it has not seen lately.
    mail_server.handler.greylisted["ada@example.com"] = 2

    await handle.result()

    assert mail_server.handler.greylist_refusals == 2
    assert len(mail_server.reminders) == 2  # one per reminder, none lost, none twice
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["sent", "sent"]
    assert await events_of(sessionmaker, "notification.failed") == []


async def test_a_permanent_failure_marks_the_reminder_failed_and_says_so(
    client, sessionmaker, platform, mail_server
):
    mail_server.handler.refused_recipients.add("gone@example.com")
    booked, business_id = await booked_appointment(
        client, a_day_ahead(10), name="Gone", email="gone@example.com"
    )
    handle = await platform.start(booked, business_id)

    await handle.result()

    assert mail_server.reminders == []
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["failed", "failed"]
    failures = await events_of(sessionmaker, "notification.failed")
    assert [f["channel"] for f in failures] == ["email", "email"]
    assert "refused" in failures[0]["error_reason"]


async def test_invalid_transitions_are_rejected_without_a_trace_in_history(
    client, sessionmaker, dev_server_platform
):
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    handle = await dev_server_platform.start(booked, business_id)
    # Once loaded, the validator refuses on its own. (Before, an update is let through to
    # the handler, which refuses it after loading: accepted, then failed.)
    while await handle.query(AppointmentWorkflow.appointment) is None:
        await asyncio.sleep(0.05)

    with pytest.raises(WorkflowUpdateFailedError) as too_early:
        await handle.execute_update(AppointmentWorkflow.complete)  # before it started
    assert too_early.value.cause.type == "InvalidTransition"
    assert "before it starts" in too_early.value.cause.message
    with pytest.raises(WorkflowUpdateFailedError) as no_show_too_early:
        await handle.execute_update(AppointmentWorkflow.no_show)
    assert no_show_too_early.value.cause.type == "InvalidTransition"
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
