"""The events analytics reads, and what each says about its appointment."""

from pydantic import BaseModel

from apptremind import events
from apptremind.consumers.arrays import Value
from apptremind.consumers.messages import ConsumedEvent
from apptremind.consumers.processed import Column

SCHEMAS: dict[str, type[BaseModel]] = {
    model.event_type: model
    for model in (
        events.AppointmentBooked,
        events.AppointmentRescheduled,
        events.AppointmentCancelled,
        events.AppointmentCompleted,
        events.AppointmentNoShow,
        events.NotificationSent,
        events.NotificationFailed,
    )
}

OUTCOMES = {
    events.APPOINTMENT_CANCELLED: "cancelled",
    events.APPOINTMENT_COMPLETED: "completed",
    events.APPOINTMENT_NO_SHOW: "no_show",
}
REMINDER_RESULTS = {events.NOTIFICATION_SENT: "sent", events.NOTIFICATION_FAILED: "failed"}


def _local_date(event: ConsumedEvent) -> Value:
    return event.data.local_date if isinstance(event.data, events.ScheduledEvent) else None


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
