"""Email and SMS delivery behind one interface each; the console, SMTP, SendGrid and Twilio
providers implement it, and settings pick one per channel."""

import asyncio
import contextlib
import smtplib
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage as MimeMessage
from email.utils import make_msgid, parsedate_to_datetime
from typing import Protocol, TextIO

from apptremind.settings import Settings


class PermanentDeliveryError(Exception):
    """The provider refused the message for good (bad recipient, rejected content)."""


class TransientDeliveryError(Exception):
    """The provider could not take the message now (throttled, down): retry later, after
    `retry_after` when the provider said how long to wait."""

    def __init__(self, message: str, retry_after: timedelta | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# A provider's "come back later" is honoured up to this long: a bogus header can't park a
# reminder for hours (and the workflow gives up on reminders due before the start anyway).
MAX_RETRY_AFTER = timedelta(minutes=15)


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> timedelta | None:
    """How long the provider asked us to wait: `Retry-After` (seconds or an HTTP date, as
    Twilio sends it) or `X-RateLimit-Reset` (the Unix time the quota resets, as SendGrid
    sends it). None when it did not say, or said something unreadable."""
    now = now or datetime.now(UTC)
    wait: timedelta | None = None
    if value := headers.get("retry-after", "").strip():
        if value.isdigit():
            wait = timedelta(seconds=int(value))
        else:
            with contextlib.suppress(TypeError, ValueError, IndexError):
                wait = parsedate_to_datetime(value) - now
    elif (value := headers.get("x-ratelimit-reset", "").strip()).isdigit():
        wait = datetime.fromtimestamp(int(value), UTC) - now
    if wait is None:
        return None
    return min(max(wait, timedelta(seconds=1)), MAX_RETRY_AFTER)


def error_body_summary(response_text: str, content_type: str) -> str:
    """A provider's error body for a failure reason: JSON bodies are read by the caller;
    anything else (a proxy's HTML 502 page) is named, not pasted."""
    if "json" in content_type or "text/plain" in content_type:
        return " ".join(response_text.split())[:200]
    return f"a {content_type.split(';')[0].strip() or 'non-JSON'} body"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=PUBLISH"
    data: bytes


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Sms:
    to: str  # E.164
    text: str


class EmailProvider(Protocol):
    async def send(self, email: Email, idempotency_key: str) -> str:
        """Delivers the email; returns the provider's message id."""
        ...


class ConsoleEmailProvider:
    """Prints each email to the worker's output: the local development mailbox."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    async def send(self, email: Email, idempotency_key: str) -> str:
        message_id = f"console-{idempotency_key}"
        self.stream.write(
            f"\n----- email {message_id} -----\nTo: {email.to}\nSubject: {email.subject}\n\n"
            f"{email.text}\n"
            + "".join(f"[attached: {a.filename}]\n" for a in email.attachments)
            + "----- end of email -----\n"
        )
        self.stream.flush()
        return message_id


class SmtpEmailProvider:
    def __init__(self, host: str, port: int, sender: str, timeout: float = 15.0) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.timeout = timeout  # the whole exchange, connecting included (deadlines.py)

    async def send(self, email: Email, idempotency_key: str) -> str:
        message = MimeMessage()
        message["From"] = self.sender
        message["To"] = email.to
        message["Subject"] = email.subject
        # SMTP has no idempotency keys; a stable Message-ID lets mail systems spot a resend.
        message_id = make_msgid(idstring=str(uuid.uuid5(uuid.NAMESPACE_URL, idempotency_key)))
        message["Message-ID"] = message_id
        message.set_content(email.text)
        for attachment in email.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            subtype, _, params = subtype.partition(";")
            message.add_attachment(
                attachment.data,
                maintype=maintype,
                subtype=subtype.strip(),
                filename=attachment.filename,
                params=_mime_params(params),
            )
        await asyncio.to_thread(self._deliver, message)
        return message_id

    def _deliver(self, message: MimeMessage) -> None:
        deadline = time.monotonic() + self.timeout
        try:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            try:
                with _cut_at(smtp, deadline):
                    smtp.send_message(message)
            except BaseException:
                smtp.close()
                raise
            # The server's reply to the message's end is its acceptance: return now, so the
            # caller records the send at once, and say goodbye meanwhile. Waiting for QUIT's
            # reply first would widen the window in which a crash leaves a message sent but
            # unrecorded (and so sent again by the retry).
            threading.Thread(target=_quit_quietly, args=(smtp,), daemon=True).start()
        except smtplib.SMTPRecipientsRefused as exc:
            # One reply per recipient; we send to one, so its code decides.
            codes = [code for code, _ in exc.recipients.values()]
            raise _by_reply_code(max(codes, default=0), "recipient refused") from exc
        except smtplib.SMTPResponseException as exc:  # MAIL FROM, DATA, HELO, ...
            raise _by_reply_code(exc.smtp_code, "message refused") from exc
        except (smtplib.SMTPException, OSError) as exc:  # dropped, timed out, unreachable
            raise TransientDeliveryError(f"mail server unreachable: {exc!r}") from exc


@contextlib.contextmanager
def _cut_at(smtp: smtplib.SMTP, deadline: float) -> Iterator[None]:
    """Shuts the connection down at `deadline`. smtplib's timeout bounds each read and write;
    this bounds the whole exchange, so a server answering slowly line by line cannot keep a
    send (and the appointment's lock) beyond the deadline. A read or write cut short fails
    as a dropped connection does. The thread itself cannot be cancelled: this is what ends it.
    """

    def cut() -> None:
        sock = smtp.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(max(deadline - time.monotonic(), 0.0), cut)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _quit_quietly(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):
        smtp.quit()
    smtp.close()


def _by_reply_code(code: int, what: str) -> Exception:
    """RFC 5321: a 5yz reply is final, a 4yz reply (greylisting, a full queue) asks the
    sender to try again later; anything else is not a verdict on the message."""
    reason = f"{what} by the mail server ({code})"
    if 500 <= code < 600:
        return PermanentDeliveryError(reason)
    return TransientDeliveryError(reason)


def _mime_params(raw: str) -> dict[str, str]:
    pairs = (p.partition("=") for p in raw.split(";") if "=" in p)
    return {key.strip(): value.strip() for key, _, value in pairs}


class SmsProvider(Protocol):
    async def send(self, sms: Sms, idempotency_key: str) -> str:
        """Delivers the text; returns the provider's message id."""
        ...


class ConsoleSmsProvider:
    """Prints each text to the worker's output: the local development phone."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    async def send(self, sms: Sms, idempotency_key: str) -> str:
        message_id = f"console-{idempotency_key}"
        self.stream.write(f"\n----- sms {message_id} to {sms.to} -----\n{sms.text}\n")
        self.stream.flush()
        return message_id


class DisabledSmsProvider:
    """Refuses every text: a deployment without an SMS provider fails its SMS reminders."""

    async def send(self, sms: Sms, idempotency_key: str) -> str:
        raise PermanentDeliveryError("no SMS provider is configured (SMS_PROVIDER=disabled)")


def build_sms_provider(settings: Settings) -> SmsProvider:
    if settings.sms_provider == "disabled":
        return DisabledSmsProvider()
    if settings.sms_provider == "twilio":
        from apptremind.notifications.twilio import TwilioSmsProvider

        return TwilioSmsProvider(
            settings.twilio_account_sid,
            settings.twilio_auth_token.get_secret_value(),
            settings.twilio_from,
            settings.twilio_api_base,
            timeout=settings.provider_timeout_seconds,
        )
    return ConsoleSmsProvider()


def build_email_provider(settings: Settings) -> EmailProvider:
    if settings.email_provider == "smtp":
        return SmtpEmailProvider(
            settings.smtp_host,
            settings.smtp_port,
            settings.email_from,
            timeout=settings.provider_timeout_seconds,
        )
    if settings.email_provider == "sendgrid":
        from apptremind.notifications.sendgrid import SendGridEmailProvider

        return SendGridEmailProvider(
            settings.sendgrid_api_key.get_secret_value(),
            settings.email_from,
            settings.sendgrid_api_base,
            timeout=settings.provider_timeout_seconds,
        )
    return ConsoleEmailProvider()
