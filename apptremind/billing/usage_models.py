"""Billing usage: one row per booking (month it was made, cancelled or not), from events."""

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, String
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from apptremind.consumers.processed import ProcessedEventMixin
from apptremind.db import Base


class BillingProcessedEvent(ProcessedEventMixin, Base):
    __tablename__ = "processed_events"
    __table_args__ = {"schema": "billing"}


class UsageBooking(Base):
    """A booking as billing counts it: in the calendar month (business-local) it was made,
    unless cancelled. A cancellation consumed before its booking waits here for it."""

    __tablename__ = "usage_bookings"
    __table_args__ = (
        Index("ix_usage_bookings_business_id_booked_month", "business_id", "booked_month"),
        {"schema": "billing"},
    )

    appointment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    business_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    booked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    booked_month: Mapped[date | None] = mapped_column(Date)  # first day of the local month
    timezone: Mapped[str | None] = mapped_column(String(64))
    cancelled: Mapped[bool] = mapped_column(nullable=False, server_default="false")
