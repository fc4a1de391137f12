"""The event envelope every message on the bus carries (docs/events.md)."""

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field


class EventEnvelope(BaseModel):
    event_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    event_type: str
    timestamp: datetime = Field(default_factory=lambda: datetime.now(UTC))
    data: dict[str, Any]


USER_CREATED = "user.created"
USER_PASSWORD_RESET_REQUESTED = "user.password_reset_requested"
USER_SIGN_UP_REQUESTED = "user.sign_up_requested"
APPOINTMENT_BOOKED = "appointment.booked"
APPOINTMENT_CANCELLED = "appointment.cancelled"
APPOINTMENT_RESCHEDULED = "appointment.rescheduled"
APPOINTMENT_COMPLETED = "appointment.completed"
APPOINTMENT_NO_SHOW = "appointment.no_show"
REMINDER_DUE = "reminder.due"
NOTIFICATION_SENT = "notification.sent"
NOTIFICATION_FAILED = "notification.failed"
SUBSCRIPTION_UPGRADED = "subscription.upgraded"
INVOICE_GENERATED = "invoice.generated"
PAYMENT_SUCCESS = "payment.success"
