"""The mail server every email of the run goes to: an aiosmtpd sink on loopback that
records what it accepted and when, and greylists one address."""

import asyncio
import json
import re
import threading
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller

MANAGE_LINK = re.compile(r"/manage/([0-9a-f-]{36})\?token=")


@dataclass(frozen=True)
class Received:
    at: datetime  # when the sink accepted the message (UTC)
    to: str
    subject: str
    message_id: str
    appointment_id: uuid.UUID | None  # from the manage link the message carries
    text: str

    @property
    def kind(self) -> str:
        """`reminder`, `confirmation`, `cancellation`, `new time` or `other`, by subject."""
        prefixes = {
            "Reminder:": "reminder",
            "Booked:": "confirmation",
            "Cancelled:": "cancellation",
            "New time:": "new time",
        }
        return next((k for p, k in prefixes.items() if self.subject.startswith(p)), "other")

    @property
    def idempotency_uuid(self) -> str | None:
        """The SMTP provider's stable part of the Message-ID: uuid5 of its idempotency key
        (`<time.pid.random.<uuid5>@host>`), the same for every resend of one message."""
        local = self.message_id.strip("<>").split("@", 1)[0]
        tail = local.rsplit(".", 1)[-1]
        try:
            return str(uuid.UUID(tail))
        except ValueError:
            return None


def idempotency_uuid(key: str) -> str:
    """What `idempotency_uuid` reads for a message sent under `key` (e.g. `reminder-<id>`)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, key))


def _plain_text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(part.get_content_charset() or "utf-8", errors="replace")
    return ""


class MailSink:
    """Accepts every message, except that `greylisted` is answered 451 at RCPT TO for its
    first `greylist_times` attempts, and again after each `rearm_greylist()`. It answers
    QUIT after `quit_latency` seconds, as a server across a network would: a message is
    accepted (and recorded here) a little before the sender is done with the server."""

    def __init__(
        self, log_file: Path, greylisted: str, greylist_times: int, quit_latency: float
    ) -> None:
        self.log_file = log_file
        self.quit_latency = quit_latency
        self.greylisted = greylisted
        self.greylist_times = greylist_times
        self._greylist_left = greylist_times
        self.greylist_refusals = 0
        self._received: list[Received] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None
        self.port = 0

    def start(self, port: int) -> None:
        self.port = port
        self._controller = Controller(self, hostname="127.0.0.1", port=port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def rearm_greylist(self) -> None:
        with self._lock:
            self._greylist_left = self.greylist_times

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]  # noqa: N802
        with self._lock:
            if address == self.greylisted and self._greylist_left > 0:
                self._greylist_left -= 1
                self.greylist_refusals += 1
                return "451 4.7.1 greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        await asyncio.sleep(self.quit_latency)
        return "221 Bye"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        message = message_from_bytes(envelope.content)
        text = _plain_text(message)
        link = MANAGE_LINK.search(text)
        received = Received(
            at=datetime.now(UTC),
            to=", ".join(envelope.rcpt_tos),
            subject=str(message.get("Subject", "")),
            message_id=str(message.get("Message-ID", "")),
            appointment_id=uuid.UUID(link.group(1)) if link else None,
            text=text,
        )
        with self._lock:
            self._received.append(received)
            with self.log_file.open("a") as log:
                entry = asdict(received) | {"at": received.at.isoformat()}
                entry["appointment_id"] = str(received.appointment_id)
                log.write(json.dumps(entry) + "\n")
        return "250 OK"
