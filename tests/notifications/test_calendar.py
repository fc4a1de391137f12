"""The iCalendar invitation: valid lines, escaped text, UTC instants across DST."""

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apptremind.notifications.calendar import CalendarEvent, appointment_ics

LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def event(**changes) -> CalendarEvent:
    fields = {
        "appointment_id": uuid.UUID(int=7),
        # The morning US clocks spring forward: 10:00 PDT is 17:00 UTC.
        "start": datetime(2027, 3, 14, 10, 0, tzinfo=LOS_ANGELES),
        "end": datetime(2027, 3, 14, 11, 0, tzinfo=LOS_ANGELES),
        "summary": "Cut, wash; dry",
        "location": "Salon Ada",
        "description": "With Mia.\nTo cancel or reschedule: https://example.com/m?token=abc",
    }
    return CalendarEvent(**{**fields, **changes})


def unfolded(ics: bytes) -> list[str]:
    return ics.decode().replace("\r\n ", "").split("\r\n")


def test_instants_are_utc_and_text_is_escaped():
    lines = unfolded(appointment_ics(event(), datetime(2027, 3, 1, tzinfo=UTC)))

    assert "DTSTART:20270314T170000Z" in lines
    assert "DTEND:20270314T180000Z" in lines
    assert "SUMMARY:Cut\\, wash\\; dry" in lines
    assert (
        "DESCRIPTION:With Mia.\\nTo cancel or reschedule: https://example.com/m?token=abc" in lines
    )
    assert f"UID:appointment-{uuid.UUID(int=7)}@apptremind" in lines
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR"


def test_long_lines_are_folded_to_75_octets_without_splitting_characters():
    ics = appointment_ics(event(description="Zürich " * 40), datetime(2027, 3, 1, tzinfo=UTC))

    assert all(len(line.encode()) <= 75 for line in ics.decode().split("\r\n"))
    assert "DESCRIPTION:" + "Zürich " * 40 in unfolded(ics)
