"""The billing usage consumer: bookings per business and month, minus cancellations."""

from pydantic import BaseModel

from apptremind import events
from apptremind.billing.usage import COLUMNS, MERGE_NEW_EVENTS
from apptremind.billing.usage_models import BillingProcessedEvent, UsageBooking
from apptremind.consumers.runner import ConsumerSpec

SCHEMAS: dict[str, type[BaseModel]] = {
    events.APPOINTMENT_BOOKED: events.AppointmentBooked,
    events.APPOINTMENT_CANCELLED: events.AppointmentCancelled,
}

BILLING_USAGE = ConsumerSpec(
    name="billing",
    schemas=SCHEMAS,
    processed_events=BillingProcessedEvent.__table__,  # type: ignore[arg-type]
    columns=COLUMNS,
    apply=MERGE_NEW_EVENTS,
    state_tables=[UsageBooking.__table__],  # type: ignore[list-item]
)
