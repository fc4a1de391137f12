"""Every domain's models, imported once so the metadata (and Alembic) sees them all."""

from apptremind.analytics.models import AnalyticsProcessedEvent, AppointmentFact
from apptremind.auth.models import PasswordResetToken, User
from apptremind.billing.models import BillingCustomer, Invoice, StripeEvent, Subscription
from apptremind.billing.usage_models import BillingProcessedEvent, UsageBooking
from apptremind.booking.models import (
    Appointment,
    AppointmentHistory,
    CustomerNotice,
    Reminder,
)
from apptremind.business.models import (
    Business,
    DateOverride,
    DateOverrideInterval,
    Service,
    StaffMember,
    WorkingHours,
)
from apptremind.db import Base
from apptremind.outbox.models import OutboxEvent

__all__ = [
    "AnalyticsProcessedEvent",
    "Appointment",
    "AppointmentFact",
    "AppointmentHistory",
    "BillingProcessedEvent",
    "UsageBooking",
    "Base",
    "BillingCustomer",
    "Invoice",
    "StripeEvent",
    "Subscription",
    "DateOverride",
    "DateOverrideInterval",
    "Reminder",
    "CustomerNotice",
    "Business",
    "OutboxEvent",
    "PasswordResetToken",
    "Service",
    "StaffMember",
    "User",
    "WorkingHours",
]
