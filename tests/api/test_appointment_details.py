"""The owner's appointment details: the status history of each appointment and why a
reminder failed, as GET /appointments and GET /appointments/{id} show them."""

import asyncio
import uuid
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from temporalio.testing import ActivityEnvironment

from activities.notifications import NotificationActivities
from api.app import create_app
from apptremind.booking import lifecycle, reminder_delivery
from apptremind.booking.failure_reasons import failure_reason
from apptremind.booking.models import Reminder
from apptremind.db import unit_of_work
from apptremind.notifications.contracts import ReminderRef
from apptremind.notifications.sendgrid import SendGridEmailProvider
from apptremind.notifications.twilio import TwilioSmsProvider
from apptremind.outbox.workflow_triggers import appointment_workflow_input
from apptremind.temporal.appointments import start_appointment_workflow
from tests.fake_http import Answer
from tests.scenarios import API, a_day_ahead, at, book, go_pro, setup_business


async def booked(client, hour=10, **customer):
    biz = await setup_business(client)
    response = await book(client, biz, at(a_day_ahead(), hour), **customer)
    assert response.status_code == 201, response.text
    return biz, response.json()


async def details(client, biz, appointment_id) -> dict:
    response = await client.get(f"{API}/appointments/{appointment_id}", headers=biz["auth"])
    assert response.status_code == 200, response.text
    return response.json()


def entry(status, at, reason=None, actor=None, from_time=None, to_time=None) -> dict:
    return {
        "status": status,
        "at": at,
        "reason": reason,
        "actor": actor,
        "from_time": from_time,
        "to_time": to_time,
    }


async def test_a_new_booking_has_a_booked_entry_in_the_list_and_the_details(client):
    before = datetime.now().astimezone()
    biz, appointment = await booked(client)

    shown = await details(client, biz, appointment["appointment_id"])
    [listed] = (await client.get(f"{API}/appointments", headers=biz["auth"])).json()

    [booked_entry] = shown["history"]
    assert booked_entry == entry("booked", booked_entry["at"])
    at_ = datetime.fromisoformat(booked_entry["at"])
    assert before - timedelta(seconds=5) <= at_ <= datetime.now().astimezone()
    assert at_.utcoffset() == datetime.fromisoformat(shown["start_time"]).utcoffset()
    assert listed["history"] == shown["history"]


async def test_a_reschedule_and_an_owners_cancellation_are_recorded_in_order(api):
    biz, appointment = await booked(api)
    appointment_id = appointment["appointment_id"]
    new_time = at(a_day_ahead() + timedelta(days=1), 15)

    moved = await api.post(
        f"{API}/appointments/{appointment_id}/reschedule",
        headers=biz["auth"],
        json={"time": new_time},
    )
    cancelled = await api.delete(
        f"{API}/appointments/{appointment_id}", headers=biz["auth"], params={"reason": "ill"}
    )

    assert moved.status_code == cancelled.status_code == 200
    assert [e["status"] for e in moved.json()["history"]] == ["booked", "rescheduled"]
    history = cancelled.json()["history"]
    assert [e["status"] for e in history] == ["booked", "rescheduled", "cancelled"]
    assert history[1] == entry(
        "rescheduled", history[1]["at"], from_time=appointment["start_time"], to_time=new_time
    )
    assert history[2] == entry("cancelled", history[2]["at"], reason="ill", actor="owner")
    times = [datetime.fromisoformat(e["at"]) for e in history]
    assert times == sorted(times)
    assert (await details(api, biz, appointment_id))["history"] == history
    # A refused change (a second cancel) records nothing.
    again = await api.delete(f"{API}/appointments/{appointment_id}", headers=biz["auth"])
    assert again.status_code == 409
    assert len((await details(api, biz, appointment_id))["history"]) == 3


async def test_cancellations_by_the_customer_and_by_support_say_who(api, wired, temporal_client):
    biz = await setup_business(api)
    by_link = (await book(api, biz, at(a_day_ahead(), 9))).json()
    by_support = (await book(api, biz, at(a_day_ahead(), 11))).json()
    profile = (await api.get(f"{API}/business/profile", headers=biz["auth"])).json()

    customer = await api.post(
        f"{API}/public/appointments/{by_link['appointment_id']}/cancel",
        params={"token": by_link["manage_token"]},
        json={"reason": "moving away"},
    )
    request = appointment_workflow_input(by_support["appointment_id"], profile["id"], wired)
    handle = await start_appointment_workflow(
        temporal_client, request, task_queue=wired.appointments_task_queue
    )
    await handle.signal("cancel", {"reason": "phoned the salon"})
    async with asyncio.timeout(30):
        while (await details(api, biz, by_support["appointment_id"]))["status"] != "cancelled":
            await asyncio.sleep(0.1)

    assert customer.status_code == 200, customer.text
    link_history = (await details(api, biz, by_link["appointment_id"]))["history"]
    support_history = (await details(api, biz, by_support["appointment_id"]))["history"]
    assert link_history[-1] == entry(
        "cancelled", link_history[-1]["at"], reason="moving away", actor="customer"
    )
    assert support_history[-1] == entry(
        "cancelled", support_history[-1]["at"], reason="phoned the salon", actor="support"
    )


@pytest.mark.parametrize("outcome", ["completed", "no_show"])
async def test_closing_an_appointment_is_recorded_when_it_happened(client, sessionmaker, outcome):
    biz, appointment = await booked(client)
    closed_at = datetime.fromisoformat(appointment["end_time"]) + timedelta(minutes=5)

    async with unit_of_work(sessionmaker) as session:
        await lifecycle.record_outcome(
            session, uuid.UUID(appointment["appointment_id"]), outcome, closed_at
        )
    async with unit_of_work(sessionmaker) as session:  # a retried activity adds nothing
        await lifecycle.record_outcome(
            session, uuid.UUID(appointment["appointment_id"]), outcome, closed_at
        )

    shown = await details(client, biz, appointment["appointment_id"])
    assert shown["status"] == outcome
    assert [e["status"] for e in shown["history"]] == ["booked", outcome]
    assert datetime.fromisoformat(shown["history"][1]["at"]) == closed_at
    assert shown["history"][1]["reason"] is None


async def test_reminders_show_their_channel_and_no_failure_while_pending(client):
    biz, appointment = await booked(client)

    reminders = (await details(client, biz, appointment["appointment_id"]))["reminders"]

    assert [(r["type"], r["channel"], r["status"]) for r in reminders] == [
        ("email", "email", "pending"),
        ("email", "email", "pending"),
    ]
    assert [r["failure_reason"] for r in reminders] == [None, None]


async def test_a_refused_text_and_email_say_why_without_the_providers_words(
    client, sessionmaker, settings, fake_twilio, fake_sendgrid
):
    biz = await setup_business(client)
    await go_pro(client, sessionmaker, biz)
    channels = await client.patch(
        f"{API}/business/profile",
        headers=biz["auth"],
        json={"reminder_channels": ["email", "sms"], "reminder_offsets_minutes": [60]},
    )
    assert channels.status_code == 200, channels.text
    appointment = (
        await book(
            client,
            biz,
            at(a_day_ahead(), 10),
            name="Ada",
            email="ada@example.com",
            phone="+49 170 1234567",
        )
    ).json()
    fake_twilio.answer_next(
        Answer(400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient"})
    )
    fake_sendgrid.answer_next(
        Answer(400, {"errors": [{"message": "Does not contain a valid address: ada@example"}]})
    )
    activities = NotificationActivities(
        sessionmaker,
        SendGridEmailProvider("SG.key", "Salon <salon@example.com>", fake_sendgrid.url),
        TwilioSmsProvider("AC123", "token", "+15005550006", fake_twilio.url),
        settings,
    )
    async with sessionmaker() as session:
        reminder_ids = (await session.scalars(select(Reminder.id))).all()

    outcomes = [
        await ActivityEnvironment().run(activities.send_reminder, ReminderRef(reminder_id=r))
        for r in reminder_ids
    ]

    assert outcomes == ["failed", "failed"]
    reminders = (await details(client, biz, appointment["appointment_id"]))["reminders"]
    by_channel = {r["channel"]: r for r in reminders}
    assert by_channel["sms"]["status"] == "failed"
    assert by_channel["sms"]["type"] == "sms"
    assert by_channel["sms"]["failure_reason"] == "The customer has opted out of text messages"
    assert by_channel["email"]["failure_reason"] == "The email provider refused the email"
    body = str(reminders)
    assert "unsubscribed" not in body
    assert "valid address" not in body
    assert "+4917" not in body


async def test_a_reminder_not_delivered_before_the_start_says_so(client, sessionmaker, settings):
    biz, appointment = await booked(client)
    start = datetime.fromisoformat(appointment["start_time"])
    async with sessionmaker() as session:
        first, second = (
            await session.scalars(select(Reminder.id).order_by(Reminder.remind_at))
        ).all()

    async with unit_of_work(sessionmaker) as session:
        await reminder_delivery.abandon(
            session,
            first,
            "not delivered before the appointment started: SendGrid unreachable: ConnectError()",
        )
    async with unit_of_work(sessionmaker) as session:
        await reminder_delivery.claim(session, second, start + timedelta(minutes=1), settings)

    reminders = (await details(client, biz, appointment["appointment_id"]))["reminders"]
    assert [r["status"] for r in reminders] == ["failed", "failed"]
    assert reminders[0]["failure_reason"] == (
        "Not delivered before the appointment started: the email provider could not be "
        "reached or kept refusing"
    )
    assert reminders[1]["failure_reason"] == "Not sent: the appointment had already started"


@pytest.mark.parametrize(
    ("channel", "detail", "reason"),
    [
        ("sms", "Twilio error 21211: invalid 'To' phone number", "The phone number is not valid"),
        (
            "sms",
            "Twilio error 21614: the 'To' number is not a mobile number",
            "The phone number cannot receive texts (not a mobile number)",
        ),
        ("sms", "Twilio error 30007: filtered", "The SMS provider refused the text"),
        ("sms", "Twilio answered 400: Body is required", "The SMS provider refused the text"),
        (
            "email",
            "recipient refused by the mail server (550)",
            "The customer's mail server refused the email address",
        ),
        ("email", "message refused by the mail server (554)", "The mail server refused the email"),
        ("email", "something new", "The email could not be delivered"),
        ("sms", None, "The text could not be delivered"),
    ],
)
def test_failure_reasons_are_short_sentences_for_the_owner(channel, detail, reason):
    assert failure_reason(channel, detail) == reason
    assert len(failure_reason(channel, "x" * 5000)) <= 200


async def test_the_list_pages_with_a_total_count_readable_across_origins(settings, engine):
    app = create_app(settings.model_copy(update={"cors_origins": ["https://app.example.com"]}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        biz = await setup_business(http)
        for hour in (9, 10, 11):
            assert (await book(http, biz, at(a_day_ahead(), hour))).status_code == 201

        page = await http.get(
            f"{API}/appointments",
            headers={**biz["auth"], "Origin": "https://app.example.com"},
            params={"limit": 2, "offset": 2},
        )
    await app.state.engine.dispose()

    assert page.status_code == 200
    assert isinstance(page.json(), list)
    assert len(page.json()) == 1
    assert page.headers["x-total-count"] == "3"
    exposed = {h.strip().lower() for h in page.headers["access-control-expose-headers"].split(",")}
    assert "x-total-count" in exposed
