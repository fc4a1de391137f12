"""The analytics schema: per-appointment facts from the events, and the daily figures
derived from them, so that any order of arrival gives the same numbers."""

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, Index, Integer, String
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from apptremind.consumers.processed import ProcessedEventMixin
from apptremind.db import Base


class AnalyticsProcessedEvent(ProcessedEventMixin, Base):
    __tablename__ = "processed_events"
    __table_args__ = {"schema": "analytics"}


class AppointmentFact(Base):
    """What the events said about one appointment so far, whatever order they came in.

    The local date comes from the newest of booked/rescheduled (by event time); the outcome
    from the newest of cancelled/completed/no-show. `booked` turns true once the booking
    itself arrived: only then does the appointment count.
    """

    __tablename__ = "appointment_facts"
    __table_args__ = (
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('cancelled', 'completed', 'no_show')", name="outcome"
        ),
        Index("ix_appointment_facts_business_id_local_date", "business_id", "local_date"),
        {"schema": "analytics"},
    )

    appointment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    business_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    booked: Mapped[bool] = mapped_column(nullable=False, server_default="false")
    local_date: Mapped[date | None] = mapped_column(Date)
    local_date_as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReminderOutcome(Base):
    """One reminder's delivery result; it counts on its appointment's local date."""

    __tablename__ = "reminder_outcomes"
    __table_args__ = (
        CheckConstraint("outcome IN ('sent', 'failed')", name="outcome"),
        {"schema": "analytics"},
    )

    reminder_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    appointment_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), nullable=False, index=True
    )
    outcome: Mapped[str] = mapped_column(String(10), nullable=False)


class DailySummary(Base):
    """Per business and local date: recomputed from the facts for every date a batch touched."""

    __tablename__ = "daily_summaries"
    __table_args__ = {"schema": "analytics"}

    business_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    booked: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    cancelled: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    completed: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    no_show: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    reminders_sent: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    reminders_failed: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
