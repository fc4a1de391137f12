import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from apptremind.db import Base, TimestampedMixin

# Stripe subscription statuses that keep the Pro plan (past_due: Stripe is still retrying).
PRO_STATUSES = frozenset({"active", "trialing", "past_due"})
# A subscription in one of these never changes again.
FINAL_STATUSES = frozenset({"canceled", "incomplete_expired"})


class InvoiceStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    PAYMENT_FAILED = "payment_failed"


class BillingCustomer(TimestampedMixin, Base):
    """A business's Stripe customer (created once, reused) and the tier billing grants it.

    `tier_revision` grows with every tier change billing announces, so the business module
    can apply `subscription.upgraded` events in order and each only once.
    """

    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint("tier IN ('free', 'pro')", name="tier"),
        {"schema": "billing"},
    )

    business_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    stripe_customer_id: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    tier: Mapped[str] = mapped_column(String(20), nullable=False, server_default="free")
    tier_revision: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")


class Subscription(TimestampedMixin, Base):
    """Stripe's latest known state of one subscription.

    `last_event_at` is the `created` time of the Stripe event last applied to it: an event
    created earlier than that arrives out of order and is ignored.
    """

    __tablename__ = "subscriptions"
    __table_args__ = {"schema": "billing"}

    stripe_subscription_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    business_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("billing.customers.business_id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    status: Mapped[str] = mapped_column(String(32), nullable=False)
    current_period_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_at_period_end: Mapped[bool] = mapped_column(nullable=False, server_default="false")
    last_event_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Invoice(TimestampedMixin, Base):
    """One Stripe invoice, so each is announced once and each payment counted once."""

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint(
            f"status IN ({', '.join(repr(str(status)) for status in InvoiceStatus)})",
            name="status",
        ),
        {"schema": "billing"},
    )

    stripe_invoice_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    business_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("billing.customers.business_id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    amount_due: Mapped[int] = mapped_column(Integer, nullable=False)  # minor units, as Stripe
    amount_paid: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    number: Mapped[str | None] = mapped_column(String(100))  # Stripe's, once finalized
    hosted_invoice_url: Mapped[str | None] = mapped_column(Text)
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StripeEvent(Base):
    """Every Stripe event id seen by the webhook: a redelivery is recognised and skipped."""

    __tablename__ = "stripe_events"
    __table_args__ = {"schema": "billing"}

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(100), nullable=False)
    stripe_created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    outcome: Mapped[str] = mapped_column(String(32), nullable=False)
