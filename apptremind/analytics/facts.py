"""The events analytics reads, and what each says about its appointment."""

from pydantic import BaseModel

from apptremind import events
from apptremind.consumers.arrays import Value
from apptremind.consumers.messages import ConsumedEvent
from apptremind.consumers.processed import Column
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


def _local_date(event: ConsumedEvent) -> Value:
    return event.data.local_date if isinstance(event.data, ScheduledData) else None


def _booking(event: ConsumedEvent) -> Value:
    return event.event_type == events.APPOINTMENT_BOOKED


# What the merge statement (`repository.MERGE_NEW_EVENTS`) reads of each event.
COLUMNS = [
    Column("appointment_id", "uuid", lambda e: e.data.appointment_id),
    Column("business_id", "uuid", lambda e: e.data.business_id),
    Column("booking", "boolean", _booking),
    Column("local_date", "date", _local_date),  # booked or rescheduled: the new local date
    Column("outcome", "text", lambda e: OUTCOMES.get(e.event_type)),
    Column("reminder", "text", lambda e: REMINDER_RESULTS.get(e.event_type)),
    Column("as_of", "timestamptz", lambda e: e.timestamp),
]
