"""Operators see every send attempt as it happens: one log line per attempt and outcome with
the appointment, reminder, workflow and attempt, and nothing about the customer."""

import json
import logging
import uuid

from apptremind.logs import JsonFormatter
from apptremind.notifications.twilio import TwilioSmsProvider
from tests.fake_http import Answer
from tests.scenarios import a_day_ahead, at, book, go_pro, setup_business
from tests.workflows.support import Platform, confirmation_received

NAME, EMAIL, PHONE, E164 = "Zelda Quist", "zelda.quist@example.com", "+49 170 5550123", "5550123"


async def test_each_send_attempt_is_logged_with_its_ids_and_no_customer_data(
    client, sessionmaker, settings, mail_server, env, fake_twilio, caplog
):
    biz = await setup_business(client)
    await go_pro(client, sessionmaker, biz)
    await client.patch(
        "/api/v1/business/profile",
        headers=biz["auth"],
        json={"reminder_channels": ["email", "sms"]},
    )
    business_id = (await client.get("/api/v1/business/profile", headers=biz["auth"])).json()["id"]
    booked = (
        await book(client, biz, at(a_day_ahead(10), 10), name=NAME, email=EMAIL, phone=PHONE)
    ).json()
    appointment_id = booked["appointment_id"]
    # Twilio refuses each text for good, quoting the number, as its error messages do.
    fake_twilio.default = Answer(
        400, {"code": 30000, "message": "The 'To' number +491705550123 is not reachable"}
    )
    sms = TwilioSmsProvider("AC1", "token", "+15005550006", fake_twilio.url)

    with caplog.at_level(logging.INFO):
        async with Platform(
            env.client, sessionmaker, settings, mail_server, env, sms=sms
        ) as platform:
            handle = await platform.start(booked, business_id)
            await confirmation_received(mail_server)
            mail_server.handler.transient_failures = 1  # the first email reminder's first try
            await handle.result()

    sends = [r for r in caplog.records if r.name == "apptremind.notifications"]
    reminders = [r.fields for r in sends if r.fields["send"] == "reminder"]
    outcomes = [(f["channel"], f["outcome"], f["activity_attempt"]) for f in reminders]
    assert outcomes.count(("email", "sent", 1)) + outcomes.count(("email", "sent", 2)) == 2
    assert outcomes.count(("email", "transient failure", 1)) == 1
    assert outcomes.count(("sms", "permanent failure", 1)) == 2
    for fields in reminders:
        assert fields["appointment_id"] == uuid.UUID(appointment_id)
        assert fields["workflow_id"] == f"appointment-{appointment_id}"
        assert isinstance(fields["reminder_id"], uuid.UUID)
    [retried] = [f for f in reminders if f["outcome"] == "transient failure"]
    assert retried["retry_attempt"] == 2
    assert retried["error_type"] == "TransientDeliveryError"
    [sent_on_retry] = [
        f
        for f in reminders
        if f["outcome"] == "sent" and f["reminder_id"] == retried["reminder_id"]
    ]
    assert sent_on_retry["activity_attempt"] == 2
    refused = [f for f in reminders if f["outcome"] == "permanent failure"]
    assert all("<phone>" in f["error"] for f in refused)  # the number Twilio quoted, masked
    confirmation = [r.fields for r in sends if r.fields["send"] == "confirmation"]
    assert [f["outcome"] for f in confirmation] == ["sending", "sent"]

    # One JSON line per record outside a terminal, the ids as keys of their own.
    line = json.loads(
        JsonFormatter().format(next(r for r in sends if r.fields["send"] == "reminder"))
    )
    assert line["appointment_id"] == appointment_id
    assert line["workflow_id"] == f"appointment-{appointment_id}"
    assert {"reminder_id", "activity_attempt", "outcome"} <= set(line)

    # Nothing the platform logged names the customer: not ours, not Temporal's, not the
    # HTTP client's. (The test's own mail server, `mail.log`, is the outside world.)
    platform_records = [r for r in caplog.records if not r.name.startswith("mail.log")]
    assert any(r.name.startswith("temporalio") for r in platform_records)
    everything = "\n".join(
        JsonFormatter().format(r) + r.getMessage() for r in platform_records
    ).lower()
    for personal in (NAME.lower(), "zelda", "quist", EMAIL, E164):
        assert personal not in everything, personal
