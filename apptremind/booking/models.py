import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import UUID, ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apptremind.booking.contracts import AppointmentStatus, ReminderStatus
from apptremind.db import Base, TimestampedMixin, new_id


class HistoryStatus(StrEnum):
    """What can happen to an appointment, as its history records it."""

    BOOKED = "booked"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


def _status_in(values: type[StrEnum]) -> str:
    return f"status IN ({', '.join(repr(str(value)) for value in values)})"


class Appointment(TimestampedMixin, Base):
    """A booking. Service name, duration and price are copied as they were when booked."""

    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint(_status_in(AppointmentStatus), name="status"),
        CheckConstraint("end_time > start_time", name="ends_after_start"),
        CheckConstraint(
            "block_start <= start_time AND block_end >= end_time", name="block_covers_time"
        ),
        CheckConstraint(
            "customer_email IS NOT NULL OR customer_phone IS NOT NULL", name="customer_reachable"
        ),
        # The final guard against double booking: one staff member's blocked times
        # (appointment plus buffers) never overlap, whatever races the API loses.
        ExcludeConstraint(
            (text("staff_id"), "="),
            (text("tstzrange(block_start, block_end)"), "&&"),
            name="appointments_no_double_booking",
            using="gist",
            where=text(f"status <> '{AppointmentStatus.CANCELLED}'"),
        ),
        Index("ix_appointments_business_start", "business_id", "start_time"),
        # The recent bookings of one customer, counted by the booking throttles.
        Index("ix_appointments_customer_email_created", "customer_email", "created_at"),
        Index("ix_appointments_customer_phone_created", "customer_phone", "created_at"),
        # A retried booking request names the booking it already made (Idempotency-Key).
        Index(
            "uq_appointments_business_idempotency_key",
            "business_id",
            "idempotency_key",
            unique=True,
            postgresql_where=text("idempotency_key IS NOT NULL"),
        ),
        {"schema": "booking"},
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    business_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    staff_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    service_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    service_name: Mapped[str] = mapped_column(String(200), nullable=False)
    duration_minutes: Mapped[int] = mapped_column(nullable=False)
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False)
    customer_name: Mapped[str] = mapped_column(String(255), nullable=False)
    customer_email: Mapped[str | None] = mapped_column(String(320))
    customer_phone: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)  # the customer's, from the booking form
    start_time: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    end_time: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    block_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    block_end: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    status: Mapped[str] = mapped_column(
        String(20), nullable=False, server_default=AppointmentStatus.BOOKED.value
    )
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # The client's Idempotency-Key of the booking request, unique within the business.
    idempotency_key: Mapped[str | None] = mapped_column(Text)
    reminders: Mapped[list["Reminder"]] = relationship(
        lazy="raise", order_by="(Reminder.remind_at, Reminder.channel)"
    )
    history: Mapped[list["AppointmentHistory"]] = relationship(
        lazy="raise", order_by="AppointmentHistory.id", viewonly=True
    )


class AppointmentHistory(Base):
    """One change of an appointment, written in the transaction that made it; oldest first
    by `id`. `actor` is who cancelled (`owner:<user id>`, `customer`, `support`, ...)."""

    __tablename__ = "appointment_history"
    __table_args__ = (
        CheckConstraint(_status_in(HistoryStatus), name="status"),
        {"schema": "booking"},
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    appointment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("booking.appointments.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(80))
    from_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    to_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Reminder(Base):
    """The owner-visible record of one reminder; Temporal decides when it is sent."""

    __tablename__ = "reminders"
    __table_args__ = (
        CheckConstraint(_status_in(ReminderStatus), name="status"),
        CheckConstraint("channel IN ('email', 'sms')", name="channel"),
        {"schema": "booking"},
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    appointment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("booking.appointments.id", ondelete="CASCADE"), nullable=False, index=True
    )
    remind_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    channel: Mapped[str] = mapped_column(String(10), nullable=False)
    status: Mapped[str] = mapped_column(
        String(20), nullable=False, server_default=ReminderStatus.PENDING.value
    )
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    provider_id: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)  # the provider's words: for support
    # Why it failed, short, for the owner: set with status `failed`, null otherwise.
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("now()"), nullable=False
    )


class CustomerNotice(Base):
    """A message about the appointment itself (confirmation, cancellation, new time) that
    was sent: the guard that keeps a retried activity from sending it twice."""

    __tablename__ = "customer_notices"
    __table_args__ = {"schema": "booking"}

    appointment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("booking.appointments.id", ondelete="CASCADE"), primary_key=True
    )
    notice: Mapped[str] = mapped_column(String(40), primary_key=True)
    provider_id: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
