"""Every domain's models, imported once so the metadata (and Alembic) sees them all."""

from apptremind.auth.models import PasswordResetToken, User
from apptremind.billing.models import BillingCustomer, Invoice, StripeEvent, Subscription
from apptremind.booking.models import Appointment, Reminder
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
    "Appointment",
    "Base",
    "BillingCustomer",
    "Invoice",
    "StripeEvent",
    "Subscription",
    "DateOverride",
    "DateOverrideInterval",
    "Reminder",
    "Business",
    "OutboxEvent",
    "PasswordResetToken",
    "Service",
    "StaffMember",
    "User",
    "WorkingHours",
]
