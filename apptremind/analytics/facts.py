"""The events analytics reads, and how several of them about one appointment combine."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel

from apptremind import events
from apptremind.event_schemas import AppointmentEventData, ReminderResultData, ScheduledData

SCHEMAS: dict[str, type[BaseModel]] = {
    events.APPOINTMENT_BOOKED: ScheduledData,
    events.APPOINTMENT_RESCHEDULED: ScheduledData,
    events.APPOINTMENT_CANCELLED: AppointmentEventData,
    events.APPOINTMENT_COMPLETED: AppointmentEventData,
    events.APPOINTMENT_NO_SHOW: AppointmentEventData,
    events.NOTIFICATION_SENT: ReminderResultData,
    events.NOTIFICATION_FAILED: ReminderResultData,
}

OUTCOMES = {
    events.APPOINTMENT_CANCELLED: "cancelled",
    events.APPOINTMENT_COMPLETED: "completed",
    events.APPOINTMENT_NO_SHOW: "no_show",
}
REMINDER_RESULTS = {events.NOTIFICATION_SENT: "sent", events.NOTIFICATION_FAILED: "failed"}


@dataclass
class Fact:
    """What a batch says about one appointment; merged the same way the database merges."""

    appointment_id: uuid.UUID
    business_id: uuid.UUID
    booked: bool = False
    local_date: date | None = None
    local_date_as_of: datetime | None = None
    outcome: str | None = None
    outcome_as_of: datetime | None = None
    reminders_sent: int = 0
    reminders_failed: int = 0

    def schedule(self, day: date, as_of: datetime, *, booking: bool) -> None:
        self.booked = self.booked or booking
        if self.local_date_as_of is None or (as_of, day) > (
            self.local_date_as_of,
            self.local_date or date.min,
        ):
            self.local_date, self.local_date_as_of = day, as_of

    def close(self, outcome: str, as_of: datetime) -> None:
        if self.outcome_as_of is None or (as_of, outcome) > (
            self.outcome_as_of,
            self.outcome or "",
        ):
            self.outcome, self.outcome_as_of = outcome, as_of

    def remind(self, result: str) -> None:
        """Counts once per event: the processed-events table keeps a redelivery out."""
        if result == "sent":
            self.reminders_sent += 1
        else:
            self.reminders_failed += 1
