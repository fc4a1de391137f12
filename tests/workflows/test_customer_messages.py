"""What the customer receives: the booking confirmation with its calendar invitation, and
reminders through SendGrid and Twilio (fake APIs on loopback), including when they fail."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from email.message import Message

from apptremind.booking.contracts import CancelRequest, RescheduleRequest
from apptremind.booking.manage_links import manage_token
from apptremind.notifications.sendgrid import SendGridEmailProvider
from apptremind.notifications.twilio import TwilioSmsProvider
from tests.fake_http import Answer
from tests.scenarios import BERLIN, a_day_ahead, at, book, go_pro, setup_business, slots
from tests.smtp import text_of
from tests.workflows.support import (
    Platform,
    booked_appointment,
    confirmation_received,
    events_of,
    reminder_statuses,
)
from workflows.appointment import AppointmentWorkflow


def invitation(message: Message) -> str:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "appointment.ics"
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


async def test_the_booking_is_confirmed_once_with_an_invitation_and_a_manage_link(
    client, sessionmaker, platform, mail_server, settings
):
    mail_server.handler.transient_failures = 1  # the first attempt is retried
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    handle = await platform.start(booked, business_id)

    await handle.result()

    [confirmation] = mail_server.confirmations
    assert confirmation["To"] == "ada@example.com"
    start = datetime.fromisoformat(booked["start_time"]).astimezone(UTC)
    ics = invitation(confirmation)
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in ics
    assert f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}" in ics
    assert f"UID:appointment-{booked['appointment_id']}@apptremind" in ics
    end = datetime.fromisoformat(booked["end_time"])
    token = manage_token(settings, uuid.UUID(booked["appointment_id"]), end)
    link = f"{settings.public_base_url}/manage/{booked['appointment_id']}?token={token}"
    assert link in text_of(confirmation)
    assert len(mail_server.reminders) == 2
    assert all(link in text_of(reminder) for reminder in mail_server.reminders)


async def test_a_cancelled_appointment_is_not_confirmed_after_the_fact(
    client, platform, mail_server
):
    mail_server.handler.transient_failures = 1_000  # the mail server is down for now
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    handle = await platform.start(booked, business_id)
    await handle.execute_update(AppointmentWorkflow.cancel, CancelRequest(reason="oops"))
    mail_server.handler.transient_failures = 0

    result = await handle.result()

    assert result.status == "cancelled"
    assert mail_server.confirmations == []
    assert len(mail_server.cancellations) == 1


async def run_sms_reminders(client, sessionmaker, settings, mail_server, env, fake_twilio):
    """A Pro business texting its reminders through Twilio: one booking, run to its end."""
    sms = TwilioSmsProvider("AC123", "token", "+15005550006", fake_twilio.url)
    biz = await setup_business(client)
    await go_pro(client, sessionmaker, biz)
    await client.patch(
        "/api/v1/business/profile", headers=biz["auth"], json={"reminder_channels": ["sms"]}
    )
    me = (await client.get("/api/v1/business/profile", headers=biz["auth"])).json()
    booked = (
        await book(client, biz, at(a_day_ahead(10), 10), name="Ada", phone="+49 170 1234567")
    ).json()
    async with Platform(env.client, sessionmaker, settings, mail_server, env, sms=sms) as platform:
        await (await platform.start(booked, me["id"])).result()


async def test_twilio_failing_twice_then_accepting_sends_one_text_per_reminder(
    client, sessionmaker, settings, mail_server, env, fake_twilio
):
    fake_twilio.answer_next(Answer(500), Answer(503))
    await run_sms_reminders(client, sessionmaker, settings, mail_server, env, fake_twilio)

    assert len(fake_twilio.received) == 4  # two refusals, then one per reminder
    assert len(fake_twilio.accepted()) == 2
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["sent", "sent"]
    sent = await events_of(sessionmaker, "notification.sent")
    assert [e["provider_id"] for e in sent] == ["SM0123456789abcdef"] * 2


async def test_an_opted_out_phone_marks_the_reminders_failed_without_retrying(
    client, sessionmaker, settings, mail_server, env, fake_twilio
):
    fake_twilio.default = Answer(400, {"code": 21610, "message": "unsubscribed recipient"})
    await run_sms_reminders(client, sessionmaker, settings, mail_server, env, fake_twilio)

    assert len(fake_twilio.received) == 2  # one attempt per reminder, no retries
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["failed", "failed"]
    failures = await events_of(sessionmaker, "notification.failed")
    assert all("opted out" in f["error_reason"] for f in failures)


async def test_sendgrid_delivers_the_confirmation_and_the_reminders(
    client, sessionmaker, settings, mail_server, env, fake_sendgrid
):
    email = SendGridEmailProvider("SG.key", "Salon <salon@example.com>", fake_sendgrid.url)
    booked, business_id = await booked_appointment(client, a_day_ahead(10))

    async with Platform(
        env.client, sessionmaker, settings, mail_server, env, email=email
    ) as platform:
        await (await platform.start(booked, business_id)).result()

    subjects = [r.json()["subject"] for r in fake_sendgrid.received]
    assert [s.split(":")[0] for s in subjects] == ["Booked", "Reminder", "Reminder"]
    assert "attachments" in fake_sendgrid.received[0].json()
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["sent", "sent"]


async def test_reminders_never_delivered_before_the_start_are_marked_failed(
    client, sessionmaker, platform, mail_server
):
    # An appointment two hours ahead with reminders 60 and 30 minutes before: few retries.
    round_the_clock = [
        {"day_of_week": d, "start_time": "00:00", "end_time": "24:00"} for d in range(7)
    ]
    biz = await setup_business(client, hours=round_the_clock)
    profile = await client.patch(
        "/api/v1/business/profile",
        headers=biz["auth"],
        json={"min_notice_minutes": 0, "reminder_offsets_minutes": [60, 30]},
    )
    soon = datetime.now(BERLIN) + timedelta(hours=2)
    upcoming = [
        s
        for day in (soon.date(), soon.date() + timedelta(days=1))
        for s in await slots(client, biz, day)
        if datetime.fromisoformat(s) > soon
    ]
    booked = (await book(client, biz, upcoming[0])).json()
    mail_server.handler.transient_failures = 1_000_000  # the mail server never recovers
    handle = await platform.start(booked, profile.json()["id"])

    result = await handle.result()

    assert result.status == "completed"  # the workflow carried on to the end
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["failed", "failed"]
    failures = await events_of(sessionmaker, "notification.failed")
    assert len(failures) == 2
    assert all("before the appointment started" in f["error_reason"] for f in failures)
    assert await events_of(sessionmaker, "notification.sent") == []


async def test_a_cancellation_is_told_once_and_removes_the_calendar_event(
    client, platform, mail_server
):
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    handle = await platform.start(booked, business_id)

    await handle.execute_update(AppointmentWorkflow.cancel, CancelRequest(reason="ill"))
    await handle.result()

    [notice] = mail_server.cancellations
    assert notice["To"] == "ada@example.com"
    ics = invitation(notice)
    assert "METHOD:CANCEL" in ics
    assert "STATUS:CANCELLED" in ics
    assert f"UID:appointment-{booked['appointment_id']}@apptremind" in ics
    assert mail_server.reminders == []


async def test_each_move_is_told_once_with_an_updated_invitation(client, platform, mail_server):
    day = a_day_ahead(10)
    booked, business_id = await booked_appointment(client, day)
    handle = await platform.start(booked, business_id)

    for days_later in (1, 2):
        await handle.execute_update(
            AppointmentWorkflow.reschedule,
            RescheduleRequest(
                start_time=datetime.fromisoformat(at(day + timedelta(days=days_later), 14))
            ),
        )
    await handle.result()

    first, second = mail_server.new_times
    assert "SEQUENCE:1" in invitation(first)
    assert "SEQUENCE:2" in invitation(second)
    new_start = datetime.fromisoformat(at(day + timedelta(days=2), 14)).astimezone(UTC)
    assert f"DTSTART:{new_start:%Y%m%dT%H%M%SZ}" in invitation(second)
    assert len(mail_server.confirmations) == 1


async def test_change_notices_to_an_address_refused_for_good_are_tried_once_and_the_changes_stand(
    client, sessionmaker, platform, mail_server
):
    day = a_day_ahead(10)
    booked, business_id = await booked_appointment(client, day)
    handle = await platform.start(booked, business_id)
    await confirmation_received(mail_server)
    mail_server.handler.refused_recipients.add("ada@example.com")  # the mailbox was closed
    refusals_before = mail_server.handler.refusals

    moved = await handle.execute_update(
        AppointmentWorkflow.reschedule,
        RescheduleRequest(start_time=datetime.fromisoformat(at(day + timedelta(days=1), 14))),
    )
    cancelled = await handle.execute_update(AppointmentWorkflow.cancel, CancelRequest())
    await handle.result()  # the workflow ends: no notice is retried for ever

    assert moved.start_time == datetime.fromisoformat(at(day + timedelta(days=1), 14))
    assert cancelled.status == "cancelled"
    assert mail_server.new_times == []
    assert mail_server.cancellations == []
    # One refused attempt per notice: a 5xx is final, not retried.
    assert mail_server.handler.refusals - refusals_before == 2
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["cancelled"] * 4


async def test_sendgrid_throttling_and_outages_still_deliver_each_message_once(
    client, sessionmaker, settings, mail_server, env, fake_sendgrid
):
    email = SendGridEmailProvider("SG.key", "Salon <salon@example.com>", fake_sendgrid.url)
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    # The confirmation is throttled, then meets two outages, one behind an HTML error page.
    fake_sendgrid.answer_next(
        Answer(429, {"errors": [{"message": "too many requests"}]}),
        Answer(500),
        Answer(502, raw=b"<html><body>Bad Gateway</body></html>", content_type="text/html"),
    )

    async with Platform(
        env.client, sessionmaker, settings, mail_server, env, email=email
    ) as platform:
        await (await platform.start(booked, business_id)).result()

    subjects = [r.json()["subject"].split(":")[0] for r in fake_sendgrid.accepted()]
    assert subjects == ["Booked", "Reminder", "Reminder"]
    assert len(fake_sendgrid.received) == 6  # three refusals, then each message once
    assert [s for _, s in await reminder_statuses(sessionmaker)] == ["sent", "sent"]
    assert await events_of(sessionmaker, "notification.failed") == []


async def test_the_providers_retry_after_sets_when_the_next_attempt_comes(
    client, sessionmaker, settings, mail_server, temporal_client, fake_sendgrid
):
    """On the real dev server's clock: the retry policy alone would come back after 1 s."""
    email = SendGridEmailProvider("SG.key", "Salon <salon@example.com>", fake_sendgrid.url)
    booked, business_id = await booked_appointment(client, a_day_ahead(10))
    fake_sendgrid.answer_next(Answer(429, headers={"Retry-After": "4"}))

    async with Platform(temporal_client, sessionmaker, settings, mail_server, email=email) as p:
        handle = await p.start(booked, business_id)
        while len(fake_sendgrid.accepted()) < 1:
            await asyncio.sleep(0.1)
        await handle.execute_update(AppointmentWorkflow.cancel, CancelRequest())
        await handle.result()

    throttled, confirmed = fake_sendgrid.received[:2]
    assert confirmed.json()["subject"].startswith("Booked")
    assert confirmed.at - throttled.at >= 3.9
