"""The reminder schedule of an appointment: which reminders, on which channel, when."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, order=True)
class PlannedReminder:
    remind_at: datetime
    channel: str


@dataclass(frozen=True)
class BookedReminder:
    """A planned reminder written for an appointment, with its id."""

    id: uuid.UUID
    remind_at: datetime
    channel: str


def plan_reminders(
    start: datetime,
    offsets_minutes: list[int],
    channels: list[str],
    *,
    has_email: bool,
    has_phone: bool,
    now: datetime,
) -> list[PlannedReminder]:
    """Offsets × the channels this customer can receive; a time already past is skipped."""
    reachable = {"email": has_email, "sms": has_phone}
    planned = {
        PlannedReminder(start - timedelta(minutes=offset), channel)
        for offset in offsets_minutes
        for channel in channels
        if reachable.get(channel, False)
    }
    return sorted(reminder for reminder in planned if reminder.remind_at > now)
