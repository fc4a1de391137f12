"""An iCalendar (RFC 5545) event for an appointment, attached to the confirmation email.

Times are written in UTC, so every calendar shows the right instant in its own zone
whatever daylight-saving rules apply; the UID is stable per appointment, so a later
update of the same event replaces it instead of adding a second one.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class CalendarEvent:
    appointment_id: uuid.UUID
    start: datetime
    end: datetime
    summary: str
    location: str
    description: str
    sequence: int = 0  # raised by each change, so calendars replace the older copy
    cancelled: bool = False  # METHOD:CANCEL removes the event from the calendar


def appointment_ics(event: CalendarEvent, stamped_at: datetime) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ApptRemind//Appointments//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if event.cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:appointment-{event.appointment_id}@apptremind",
        f"DTSTAMP:{_utc(stamped_at)}",
        f"DTSTART:{_utc(event.start)}",
        f"DTEND:{_utc(event.end)}",
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{_text(event.summary)}",
        f"LOCATION:{_text(event.location)}",
        f"DESCRIPTION:{_text(event.description)}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """Escapes a TEXT value (RFC 5545 §3.3.11).

    Every line break (CRLF, a lone CR or LF, Unicode line separators) becomes the escaped
    `\\n`, and other control characters a space: a raw one would end the content line and
    start a property of the sender's choosing.
    """
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _CONTROL.sub(" ", _LINE_BREAK.sub("\\\\n", escaped))


_LINE_BREAK = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _fold(line: str) -> str:
    """Folds a content line into chunks of at most 75 octets, never inside a character."""
    chunks: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)
