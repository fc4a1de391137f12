"""A mail server on loopback (aiosmtpd): the outside world's edge for email tests."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from apptremind.devstack.processes import free_port


@dataclass
class MailHandler:
    received: list[Message] = field(default_factory=list)
    refused_recipients: set[str] = field(default_factory=set)  # answered 550 at RCPT TO
    refusals: int = 0  # RCPT TOs answered 550
    transient_failures: int = 0  # answer 451 to this many deliveries first, after DATA
    greylisted: dict[str, int] = field(default_factory=dict)  # address: RCPTs to answer 451
    greylist_refusals: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused_recipients:
            self.refusals += 1
            return "550 5.1.1 no such user"
        if self.greylisted.get(address, 0) > 0:
            self.greylisted[address] -= 1
            self.greylist_refusals += 1
            return "451 4.7.1 greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.transient_failures > 0:
            self.transient_failures -= 1
            return "451 4.3.0 try again later"
        self.received.append(message_from_bytes(envelope.content))
        return "250 OK"


def text_of(message: Message) -> str:
    """The plain-text body of a received message, single-part or multipart."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("the message has no text/plain part")


@dataclass
class MailServer:
    host: str
    port: int
    handler: MailHandler

    @property
    def received(self) -> list[Message]:
        return self.handler.received

    @property
    def reminders(self) -> list[Message]:
        return [m for m in self.received if m["Subject"].startswith("Reminder:")]

    @property
    def confirmations(self) -> list[Message]:
        return [m for m in self.received if m["Subject"].startswith("Booked:")]

    @property
    def cancellations(self) -> list[Message]:
        return [m for m in self.received if m["Subject"].startswith("Cancelled:")]

    @property
    def new_times(self) -> list[Message]:
        return [m for m in self.received if m["Subject"].startswith("New time:")]


@contextmanager
def running_mail_server() -> Iterator[MailServer]:
    handler = MailHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield MailServer("127.0.0.1", port, handler)
    finally:
        controller.stop()


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    with running_mail_server() as server:
        yield server
