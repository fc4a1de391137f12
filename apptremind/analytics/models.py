"""The analytics schema: one row of facts per appointment, built from its events so that any
order of arrival gives the same row; the daily figures are derived from these rows."""

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
    from the newest of cancelled/completed/no-show; reminder results add up. `booked` turns
    true once the booking itself arrived: only then does the appointment count.
    """

    __tablename__ = "appointment_facts"
    __table_args__ = (
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('cancelled', 'completed', 'no_show')", name="outcome"
        ),
        # The daily figures of one business: a range scan of this index.
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
    reminders_sent: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    reminders_failed: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
