"""A send holds its appointment's row lock for one provider call at most, so that call is
bounded: its deadline fits in one attempt of the send activity, and a stopping worker waits
longer than it. The providers enforce the deadline on the whole exchange, not per read."""

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from apptremind.devstack import supervisor
from apptremind.notifications import deadlines
from apptremind.notifications.providers import (
    Email,
    Sms,
    SmtpEmailProvider,
    TransientDeliveryError,
    build_email_provider,
    build_sms_provider,
)
from apptremind.notifications.sendgrid import SendGridEmailProvider
from apptremind.notifications.twilio import TwilioSmsProvider
from apptremind.settings import Settings
from workers import appointments as appointments_worker
from workers import notifications as notifications_worker

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def test_the_provider_call_fits_in_one_send_attempt_and_stops_wait_for_it(monkeypatch):
    settings = Settings(environment="test")
    provider = settings.provider_timeout_seconds
    attempt = timedelta(seconds=deadlines.send_attempt_seconds(provider))

    assert timedelta(seconds=provider) < attempt <= deadlines.SEND_ATTEMPT_TIMEOUT

    # The notification worker's graceful shutdown outlasts a send in flight...
    monkeypatch.setattr(notifications_worker, "Worker", lambda client, **options: options)
    activities = notifications_worker.NotificationActivities(None, None, None, settings)  # type: ignore[arg-type]
    options = notifications_worker.build_worker(None, activities, "notifications")  # type: ignore[arg-type]
    grace = options["graceful_shutdown_timeout"]
    assert grace >= attempt > timedelta(seconds=provider)
    # ...and whatever stops the process waits longer still before killing it.
    assert supervisor.STOP_TIMEOUT_SECONDS > grace.total_seconds()
    services = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    assert _seconds(services["worker-notifications"]["stop_grace_period"]) > grace.total_seconds()
    monkeypatch.setattr(appointments_worker, "Worker", lambda client, **options: options)
    data_grace = appointments_worker.build_worker(None, None, "appointments")[  # type: ignore[arg-type]
        "graceful_shutdown_timeout"
    ]
    assert _seconds(services["worker-appointments"]["stop_grace_period"]) > (
        data_grace.total_seconds()
    )


def test_a_provider_timeout_that_does_not_fit_an_attempt_is_refused():
    ceiling = deadlines.SEND_ATTEMPT_TIMEOUT.total_seconds() - deadlines.BOOKKEEPING_SECONDS
    assert Settings(environment="test", provider_timeout_seconds=ceiling)
    with pytest.raises(ValidationError, match="PROVIDER_TIMEOUT_SECONDS"):
        Settings(environment="test", provider_timeout_seconds=ceiling + 1)


def test_every_provider_gets_the_configured_timeout():
    common = {"environment": "test", "provider_timeout_seconds": 7.5}
    smtp = build_email_provider(Settings(**common, email_provider="smtp"))
    sendgrid = build_email_provider(
        Settings(**common, email_provider="sendgrid", sendgrid_api_key="SG.key")
    )
    twilio = build_sms_provider(
        Settings(
            **common,
            sms_provider="twilio",
            twilio_account_sid="AC1",
            twilio_auth_token="token",
            twilio_from="+15005550006",
        )
    )
    assert isinstance(smtp, SmtpEmailProvider)
    assert isinstance(sendgrid, SendGridEmailProvider)
    assert isinstance(twilio, TwilioSmsProvider)
    assert smtp.timeout == sendgrid.timeout == twilio.timeout == 7.5


class DripServer:
    """Answers with a first line (if any), then one byte every 0.2 s, forever: every read
    succeeds in time, the whole exchange never ends."""

    def __init__(self, first: bytes) -> None:
        self.first = first
        self.server: asyncio.Server | None = None
        self.port = 0

    async def __aenter__(self) -> "DripServer":
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info) -> None:
        assert self.server is not None
        self.server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            writer.write(self.first)
            while True:
                await asyncio.sleep(0.2)
                writer.write(b"9" if self.first.startswith(b"220") else b"x")
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()


EMAIL = Email("ada@example.com", "Reminder: Haircut", "See you")
SLOW_HTTP = b"HTTP/1.1 202 Accepted\r\nContent-Length: 100000\r\n\r\n"


@pytest.mark.parametrize(
    ("first", "send"),
    [
        # The greeting arrives, then the reply to EHLO crawls in a byte at a time.
        (
            b"220 slow.example ESMTP\r\n",
            lambda port: SmtpEmailProvider("127.0.0.1", port, "s@example.com", 1.0).send(
                EMAIL, "reminder-1"
            ),
        ),
        (
            SLOW_HTTP,
            lambda port: SendGridEmailProvider(
                "SG.key", "s@example.com", f"http://127.0.0.1:{port}", 1.0
            ).send(EMAIL, "reminder-1"),
        ),
        (
            SLOW_HTTP,
            lambda port: TwilioSmsProvider(
                "AC1", "token", "+15005550006", f"http://127.0.0.1:{port}", 1.0
            ).send(Sms("+15005550001", "See you"), "reminder-1"),
        ),
    ],
    ids=["smtp", "sendgrid", "twilio"],
)
async def test_a_provider_answering_byte_by_byte_is_cut_off_at_the_deadline(first, send):
    async with DripServer(first) as server:
        started = time.monotonic()
        with pytest.raises(TransientDeliveryError):
            await asyncio.wait_for(send(server.port), 10)
        took = time.monotonic() - started

    assert 0.9 < took < 3.0  # the 1 s deadline, not a timeout per read (never reached)


def _seconds(duration: str) -> float:
    assert duration.endswith("s"), duration
    return float(duration[:-1])
