"""The events on the bus (docs/events.md): the envelope every message carries, and one model
per event type for its `data`.

Producers build the model and `emit` it (`apptremind/outbox/service.py`); consumers validate
`data` with the same model. Fields an event type gained after it first shipped have
defaults, so the events already on the topics still validate; fields a consumer does not
read are ignored, so producers may add more.
"""

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, Field, PlainSerializer, field_validator

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


class EventEnvelope(BaseModel):
    event_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    event_type: str
    timestamp: datetime = Field(default_factory=lambda: datetime.now(UTC))
    data: dict[str, Any]


# An instant written as `datetime.isoformat()` writes it ("+00:00", never "Z"): the shape
# the topics have always carried.
Instant = Annotated[AwareDatetime, PlainSerializer(datetime.isoformat, return_type=str)]


class Event(BaseModel):
    """The `data` of one event type."""

    event_type: ClassVar[str]

    @property
    def key(self) -> uuid.UUID | None:
        """The Kafka key that keeps related events in order; None when the producer names
        it (the data does not carry it)."""
        return None


class BusinessEvent(Event):
    """An event of one business, keyed by it."""

    business_id: uuid.UUID

    @property
    def key(self) -> uuid.UUID:
        return self.business_id


# --- accounts --------------------------------------------------------------------------


class UserCreated(BusinessEvent):
    event_type = USER_CREATED

    user_id: uuid.UUID
    email: str
    role: str


class PasswordResetRequested(Event):
    """Keyed by the user's business. Never the token itself."""

    event_type = USER_PASSWORD_RESET_REQUESTED

    email: str
    token_id: uuid.UUID


class SignUpRequested(Event):
    """Keyed by the sign-up, as no business exists yet. Never the token itself."""

    event_type = USER_SIGN_UP_REQUESTED

    email: str
    sign_up_id: uuid.UUID

    @property
    def key(self) -> uuid.UUID:
        return self.sign_up_id


# --- appointments ----------------------------------------------------------------------


class AppointmentEvent(BusinessEvent):
    appointment_id: uuid.UUID


class ScheduledEvent(AppointmentEvent):
    """Booked or rescheduled: when, and in which zone."""

    start_time: Instant
    end_time: Instant
    timezone: str | None = None  # the business's IANA zone; older events lack it
    reminder_times: list[Instant]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @property
    def local_date(self) -> date:
        """The appointment's date where the business is (else where the time was written)."""
        if self.timezone is None:
            return self.start_time.date()
        return self.start_time.astimezone(ZoneInfo(self.timezone)).date()


class BookedReminder(BaseModel):
    reminder_id: uuid.UUID
    remind_at: Instant
    type: str  # the channel: email or sms


class AppointmentBooked(ScheduledEvent):
    event_type = APPOINTMENT_BOOKED

    staff_id: uuid.UUID
    service_id: uuid.UUID
    customer_email: str | None
    customer_phone: str | None
    service_name: str
    reminders: list[BookedReminder]


class AppointmentRescheduled(ScheduledEvent):
    event_type = APPOINTMENT_RESCHEDULED

    previous_start_time: Instant


class AppointmentCancelled(AppointmentEvent):
    event_type = APPOINTMENT_CANCELLED

    reason: str | None
    cancelled_by: str  # owner:<user id>, admin:…, staff:…, customer or support


class AppointmentCompleted(AppointmentEvent):
    event_type = APPOINTMENT_COMPLETED


class AppointmentNoShow(AppointmentEvent):
    event_type = APPOINTMENT_NO_SHOW


# --- reminders and notifications -------------------------------------------------------


class ReminderTemplateData(BaseModel):
    business_name: str
    service_name: str
    staff_name: str
    start_time: Instant  # in the business's zone


class ReminderDue(Event):
    """Keyed by the appointment's business."""

    event_type = REMINDER_DUE

    appointment_id: uuid.UUID
    reminder_id: uuid.UUID
    type: str  # the channel: email or sms
    recipient: str
    template_data: ReminderTemplateData


class ReminderResult(AppointmentEvent):
    reminder_id: uuid.UUID
    channel: str


class NotificationSent(ReminderResult):
    event_type = NOTIFICATION_SENT

    provider_id: str


class NotificationFailed(ReminderResult):
    """Refused for good by the provider, not sent before the appointment started, or due
    only after it had started."""

    event_type = NOTIFICATION_FAILED

    error_reason: str


# --- billing ---------------------------------------------------------------------------


class SubscriptionUpgraded(BusinessEvent):
    """The business's tier changed; `revision` orders the changes of one business."""

    event_type = SUBSCRIPTION_UPGRADED

    tier: str
    revision: int


class MoneyEvent(BusinessEvent):
    amount: int  # in the currency's minor units, exactly as Stripe reports them
    currency: str
    invoice_id: str


class InvoiceGenerated(MoneyEvent):
    event_type = INVOICE_GENERATED


class PaymentSucceeded(MoneyEvent):
    event_type = PAYMENT_SUCCESS


EVENT_MODELS: dict[str, type[Event]] = {
    model.event_type: model
    for model in (
        UserCreated,
        PasswordResetRequested,
        SignUpRequested,
        AppointmentBooked,
        AppointmentRescheduled,
        AppointmentCancelled,
        AppointmentCompleted,
        AppointmentNoShow,
        ReminderDue,
        NotificationSent,
        NotificationFailed,
        SubscriptionUpgraded,
        InvoiceGenerated,
        PaymentSucceeded,
    )
}
