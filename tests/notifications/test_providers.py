"""The SendGrid and Twilio providers against fake APIs on loopback: what they send, and
which refusals are retried and which are final."""

import base64
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import parse_qs

import pytest
from pydantic import ValidationError

from apptremind.devstack.processes import free_port
from apptremind.notifications.providers import (
    MAX_RETRY_AFTER,
    Attachment,
    Email,
    PermanentDeliveryError,
    Sms,
    SmtpEmailProvider,
    TransientDeliveryError,
    build_email_provider,
    build_sms_provider,
)
from apptremind.notifications.sendgrid import SendGridEmailProvider
from apptremind.notifications.twilio import TwilioSmsProvider
from apptremind.settings import Settings
from tests.fake_http import Answer

INVITE = Attachment("appointment.ics", "text/calendar; method=PUBLISH", b"BEGIN:VCALENDAR\r\n")


def sendgrid(url: str) -> SendGridEmailProvider:
    return SendGridEmailProvider("SG.test-key", "Salon Ada <salon@example.com>", url)


def twilio(url: str) -> TwilioSmsProvider:
    return TwilioSmsProvider("AC123", "auth-token", "+15005550006", url)


async def test_sendgrid_gets_the_email_with_its_invitation_and_key(fake_sendgrid):
    email = Email("ada@example.com", "Booked: Haircut", "See you", (INVITE,))

    message_id = await sendgrid(fake_sendgrid.url).send(email, idempotency_key="confirmation-1")

    assert message_id == "sg-message-1"
    [request] = fake_sendgrid.received
    assert request.path == "/v3/mail/send"
    assert request.headers["Authorization"] == "Bearer SG.test-key"
    body = request.json()
    assert body["personalizations"] == [{"to": [{"email": "ada@example.com"}]}]
    assert body["from"] == {"email": "salon@example.com", "name": "Salon Ada"}
    assert body["subject"] == "Booked: Haircut"
    assert body["content"] == [{"type": "text/plain", "value": "See you"}]
    assert body["custom_args"] == {"idempotency_key": "confirmation-1"}
    [attachment] = body["attachments"]
    assert attachment["filename"] == "appointment.ics"
    assert base64.b64decode(attachment["content"]) == INVITE.data


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, PermanentDeliveryError),  # e.g. an invalid recipient address
        (413, PermanentDeliveryError),
        (401, TransientDeliveryError),  # a key an operator can fix: keep trying meanwhile
        (429, TransientDeliveryError),
        (500, TransientDeliveryError),
        (503, TransientDeliveryError),
    ],
)
async def test_sendgrid_refusals_are_final_or_retried_by_status(fake_sendgrid, status, error):
    fake_sendgrid.answer_next(
        Answer(status, {"errors": [{"message": "does not contain a valid address"}]})
    )

    with pytest.raises(error, match=str(status)):
        await sendgrid(fake_sendgrid.url).send(Email("x@example.com", "s", "t"), "reminder-1")


async def test_an_unreachable_provider_is_a_transient_failure():
    closed = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(TransientDeliveryError):
        await sendgrid(closed).send(Email("x@example.com", "s", "t"), "reminder-1")
    with pytest.raises(TransientDeliveryError):
        await twilio(closed).send(Sms("+4917012345678", "t"), "reminder-1")


async def test_twilio_gets_the_text_from_our_number_with_basic_auth(fake_twilio):
    sid = await twilio(fake_twilio.url).send(Sms("+4917012345678", "Reminder: Haircut"), "r-1")

    assert sid == "SM0123456789abcdef"
    [request] = fake_twilio.received
    assert request.path == "/2010-04-01/Accounts/AC123/Messages.json"
    assert (
        request.headers["Authorization"]
        == "Basic " + base64.b64encode(b"AC123:auth-token").decode()
    )
    assert parse_qs(request.body.decode()) == {
        "To": ["+4917012345678"],
        "From": ["+15005550006"],
        "Body": ["Reminder: Haircut"],
    }


@pytest.mark.parametrize(
    ("status", "code", "error", "reason"),
    [
        (400, 21211, PermanentDeliveryError, "invalid 'To' phone number"),
        (400, 21610, PermanentDeliveryError, "opted out"),
        (400, 21999, PermanentDeliveryError, "400"),
        (429, 20429, TransientDeliveryError, "429"),
        (503, None, TransientDeliveryError, "503"),
    ],
)
async def test_twilio_refusals_are_final_or_retried(fake_twilio, status, code, error, reason):
    fake_twilio.answer_next(Answer(status, {"code": code, "message": "refused"}))

    with pytest.raises(error, match=reason):
        await twilio(fake_twilio.url).send(Sms("+4917012345678", "t"), "reminder-1")


def test_settings_choose_the_providers_and_refuse_missing_credentials():
    chosen = Settings(
        environment="test",
        email_provider="sendgrid",
        sendgrid_api_key="SG.key",
        sms_provider="twilio",
        twilio_account_sid="AC1",
        twilio_auth_token="token",
        twilio_from="+15005550006",
    )
    assert isinstance(build_email_provider(chosen), SendGridEmailProvider)
    assert isinstance(build_sms_provider(chosen), TwilioSmsProvider)

    with pytest.raises(ValidationError, match="SENDGRID_API_KEY"):
        Settings(environment="test", email_provider="sendgrid")
    with pytest.raises(ValidationError, match="TWILIO_ACCOUNT_SID"):
        Settings(environment="test", sms_provider="twilio", twilio_account_sid="AC1")


def smtp(mail_server) -> SmtpEmailProvider:
    return SmtpEmailProvider(mail_server.host, mail_server.port, "Salon <salon@example.com>")


async def test_smtp_greylisting_at_rcpt_is_retried_and_then_delivered(mail_server):
    mail_server.handler.greylisted["ada@example.com"] = 1
    email = Email("ada@example.com", "Reminder: Haircut", "See you")

    with pytest.raises(TransientDeliveryError, match="451"):
        await smtp(mail_server).send(email, "reminder-1")
    assert mail_server.received == []

    await smtp(mail_server).send(email, "reminder-1")
    [message] = mail_server.received
    assert message["To"] == "ada@example.com"


@pytest.mark.parametrize(
    ("setup", "error", "code"),
    [
        (lambda h: h.refused_recipients.add("x@example.com"), PermanentDeliveryError, "550"),
        (lambda h: setattr(h, "transient_failures", 1), TransientDeliveryError, "451"),
    ],
)
async def test_smtp_refusals_are_classified_by_reply_code(mail_server, setup, error, code):
    setup(mail_server.handler)

    with pytest.raises(error, match=code):
        await smtp(mail_server).send(Email("x@example.com", "s", "t"), "reminder-1")


async def test_an_unreachable_mail_server_is_a_transient_failure():
    closed = SmtpEmailProvider("127.0.0.1", free_port(), "salon@example.com", timeout=2)
    with pytest.raises(TransientDeliveryError, match="unreachable"):
        await closed.send(Email("x@example.com", "s", "t"), "reminder-1")


PROXY_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


async def test_an_html_502_from_either_provider_is_retried_and_reads_plainly(
    fake_sendgrid, fake_twilio
):
    html = Answer(502, raw=PROXY_PAGE, content_type="text/html")
    fake_sendgrid.answer_next(html)
    fake_twilio.answer_next(html)

    with pytest.raises(TransientDeliveryError) as by_sendgrid:
        await sendgrid(fake_sendgrid.url).send(Email("x@example.com", "s", "t"), "reminder-1")
    with pytest.raises(TransientDeliveryError) as by_twilio:
        await twilio(fake_twilio.url).send(Sms("+4917012345678", "t"), "reminder-1")

    for failure in (by_sendgrid.value, by_twilio.value):
        assert "502" in str(failure)
        assert "text/html body" in str(failure)
        assert "<html" not in str(failure)
        assert failure.retry_after is None  # nothing said: the retry policy decides


async def test_sendgrid_throttling_is_retried_when_its_quota_resets(fake_sendgrid):
    reset = int(time.time()) + 120
    fake_sendgrid.answer_next(Answer(429, headers={"X-RateLimit-Reset": str(reset)}))

    with pytest.raises(TransientDeliveryError) as throttled:
        await sendgrid(fake_sendgrid.url).send(Email("x@example.com", "s", "t"), "reminder-1")

    wait = throttled.value.retry_after
    assert wait is not None
    assert timedelta(seconds=110) <= wait <= timedelta(seconds=121)


def in_two_minutes() -> str:
    return format_datetime(datetime.now(UTC) + timedelta(minutes=2), usegmt=True)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (lambda: "30", timedelta(seconds=30)),
        (in_two_minutes, timedelta(minutes=2)),  # an HTTP date
        (lambda: "86400", MAX_RETRY_AFTER),  # a day: capped
        (lambda: "soon", None),  # unreadable: the retry policy decides
    ],
)
async def test_twilio_retry_after_sets_the_next_attempt(fake_twilio, header, expected):
    fake_twilio.answer_next(
        Answer(429, {"code": 20429, "message": "Too Many Requests"}, {"Retry-After": header()})
    )

    with pytest.raises(TransientDeliveryError) as throttled:
        await twilio(fake_twilio.url).send(Sms("+4917012345678", "t"), "reminder-1")

    wait = throttled.value.retry_after
    if expected is None:
        assert wait is None
    else:
        assert wait is not None
        assert expected - timedelta(seconds=5) <= wait <= expected
