"""Names saved before they were checked (or by any other path) cannot break a message: no
property injected into the calendar file, no header split in an email's subject."""

import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest

from apptremind.booking.reminder_delivery import AppointmentMessage
from apptremind.notifications.calendar import CalendarEvent, appointment_ics
from apptremind.notifications.templates import (
    cancellation_email,
    confirmation_email,
    reminder_email,
    rescheduled_email,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 3, 1, tzinfo=UTC)


def unfolded(ics: bytes) -> list[str]:
    return ics.decode().replace("\r\n ", "").split("\r\n")


@pytest.mark.parametrize("brk", ["\r", "\n", "\r\n", "\u2028", "\x0b", "\x85"])
def test_a_line_break_in_a_name_never_starts_a_calendar_property(brk):
    event = CalendarEvent(
        appointment_id=uuid.UUID(int=1),
        start=datetime(2027, 3, 14, 10, tzinfo=BERLIN),
        end=datetime(2027, 3, 14, 11, tzinfo=BERLIN),
        summary=f"Cut{brk}ATTENDEE:mailto:victim@example.com",
        location=f"Salon{brk}URL:https://evil.example",
        description="With Mia\x00\x1b[31m.",
    )

    lines = unfolded(appointment_ics(event, NOW))

    assert "SUMMARY:Cut\\nATTENDEE:mailto:victim@example.com" in lines
    assert "LOCATION:Salon\\nURL:https://evil.example" in lines
    assert not any(line.startswith(("ATTENDEE", "URL")) for line in lines)
    assert all(ch >= " " for line in lines for ch in line)


def message(**changes) -> AppointmentMessage:
    fields = {
        "appointment_id": uuid.UUID(int=2),
        "business_id": uuid.UUID(int=3),
        "channel": "email",
        "recipient": "ada@example.com",
        "customer_name": "Ada",
        "business_name": "Salon\r\nBcc: everyone@example.com",
        "service_name": "Cut\rX-Spam: yes",
        "staff_name": "Mia",
        "starts_at": datetime(2027, 3, 14, 10, tzinfo=BERLIN),
        "ends_at": datetime(2027, 3, 14, 11, tzinfo=BERLIN),
        "manage_url": "https://example.com/manage/2?token=t",
    }
    return AppointmentMessage(**{**fields, **changes})


@pytest.mark.parametrize(
    "build",
    [
        lambda m: reminder_email(m),
        lambda m: confirmation_email(m, NOW),
        lambda m: rescheduled_email(m, NOW, 1),
        lambda m: cancellation_email(m, NOW, 2),
    ],
)
def test_a_line_break_in_a_name_keeps_the_subject_one_header(build):
    email = build(message())

    assert "\r" not in email.subject
    assert "\n" not in email.subject
    assert "Cut X-Spam: yes at Salon Bcc: everyone@example.com" in email.subject
    headers = EmailMessage()
    headers["Subject"] = email.subject  # the standard library refuses a header with a break
    assert headers["Subject"] == email.subject
