import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID, ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apptremind.db import Base, TimestampedMixin, new_id


class Business(TimestampedMixin, Base):
    __tablename__ = "businesses"
    __table_args__ = (
        CheckConstraint("booking_horizon_days > 0", name="booking_horizon_positive"),
        CheckConstraint("min_notice_minutes >= 0", name="min_notice_not_negative"),
        CheckConstraint("subscription_tier IN ('free', 'pro')", name="subscription_tier"),
        CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_format"),
        CheckConstraint("slot_interval_minutes > 0", name="slot_interval_positive"),
        CheckConstraint("country ~ '^[A-Z]{2}$'", name="country_format"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_format"),
        {"schema": "business"},
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False)
    address: Mapped[str | None] = mapped_column(Text)
    # ISO 3166-1 alpha-2; unset, the time zone's country stands in (see `default_country`).
    country: Mapped[str | None] = mapped_column(String(2))
    # ISO 4217: the currency its prices are in (see `apptremind.currencies`).
    currency: Mapped[str] = mapped_column(String(3), nullable=False, server_default="EUR")
    subscription_tier: Mapped[str] = mapped_column(
        String(20), nullable=False, server_default="free"
    )
    # The revision of the last `subscription.upgraded` event applied (billing numbers them).
    subscription_revision: Mapped[int] = mapped_column(nullable=False, server_default="0")
    reminder_offsets_minutes: Mapped[list[int]] = mapped_column(
        ARRAY(Integer), nullable=False, server_default=text("'{1440,60}'")
    )
    reminder_channels: Mapped[list[str]] = mapped_column(
        ARRAY(String(10)), nullable=False, server_default=text("'{email}'")
    )
    booking_horizon_days: Mapped[int] = mapped_column(nullable=False, server_default="365")
    min_notice_minutes: Mapped[int] = mapped_column(nullable=False, server_default="60")
    # Slots start every `slot_interval_minutes`; unset, every service duration.
    slot_interval_minutes: Mapped[int | None] = mapped_column()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Service(TimestampedMixin, Base):
    __tablename__ = "services"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("buffer_before_minutes >= 0", name="buffer_before_not_negative"),
        CheckConstraint("buffer_after_minutes >= 0", name="buffer_after_not_negative"),
        {"schema": "business"},
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    business_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("business.businesses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    duration_minutes: Mapped[int] = mapped_column(nullable=False)
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False)
    buffer_before_minutes: Mapped[int] = mapped_column(nullable=False, server_default="0")
    buffer_after_minutes: Mapped[int] = mapped_column(nullable=False, server_default="0")
    # Set: archived by the owner. Not offered to customers any more; its appointments and
    # its owner-side record stay. Services are never deleted.
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class StaffMember(TimestampedMixin, Base):
    __tablename__ = "staff"
    __table_args__ = {"schema": "business"}

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    business_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("business.businesses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    is_active: Mapped[bool] = mapped_column(nullable=False, server_default="true")
    working_hours: Mapped[list["WorkingHours"]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="(WorkingHours.day_of_week, WorkingHours.start_minute)",
    )


class WorkingHours(Base):
    """One working interval of a weekday, in minutes after local midnight (end may be 1440)."""

    __tablename__ = "working_hours"
    __table_args__ = (
        CheckConstraint("day_of_week BETWEEN 0 AND 6", name="day_of_week_range"),
        CheckConstraint(
            "start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute",
            name="interval_valid",
        ),
        # Intervals of one staff member on one weekday never overlap (a lunch break is a gap).
        ExcludeConstraint(
            (text("staff_id"), "="),
            (text("day_of_week"), "="),
            (text("int4range(start_minute, end_minute)"), "&&"),
            name="working_hours_no_overlap",
            using="gist",
        ),
        {"schema": "business"},
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    staff_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("business.staff.id", ondelete="CASCADE"), nullable=False, index=True
    )
    day_of_week: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    start_minute: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    end_minute: Mapped[int] = mapped_column(SmallInteger, nullable=False)


class DateOverride(Base):
    """Different hours on one local date for one staff member; no intervals = a day off."""

    __tablename__ = "date_overrides"
    __table_args__ = (
        UniqueConstraint("staff_id", "date", name="uq_date_overrides_staff_date"),
        {"schema": "business"},
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    staff_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("business.staff.id", ondelete="CASCADE"), nullable=False
    )
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    intervals: Mapped[list["DateOverrideInterval"]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="DateOverrideInterval.start_minute",
    )


class DateOverrideInterval(Base):
    __tablename__ = "date_override_intervals"
    __table_args__ = (
        CheckConstraint(
            "start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute",
            name="interval_valid",
        ),
        ExcludeConstraint(
            (text("override_id"), "="),
            (text("int4range(start_minute, end_minute)"), "&&"),
            name="date_override_intervals_no_overlap",
            using="gist",
        ),
        {"schema": "business"},
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    override_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("business.date_overrides.id", ondelete="CASCADE"), nullable=False, index=True
    )
    start_minute: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    end_minute: Mapped[int] = mapped_column(SmallInteger, nullable=False)
