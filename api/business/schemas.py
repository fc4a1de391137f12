import re
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, field_validator, model_validator

from api.schemas import OneLine, StrictModel
from apptremind.business.models import Business, DateOverride, Service, StaffMember
from apptremind.business.service import WorkingInterval, default_country
from apptremind.currencies import is_valid_currency
from apptremind.timezones import is_valid_country

MAX_REMINDER_OFFSET = 60 * 24 * 30  # a month ahead
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


def parse_clock(value: str) -> int:
    """'HH:MM' (00:00 to 24:00) to minutes after midnight."""
    if not _CLOCK.match(value):
        raise ValueError("must be a time of day HH:MM between 00:00 and 24:00")
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class ProfileResponse(BaseModel):
    id: uuid.UUID
    name: str
    slug: str
    timezone: str
    address: str | None
    country: str | None = Field(description="ISO 3166-1 alpha-2, as set by the business")
    default_country: str | None = Field(
        description="`country`, or when unset the country of the time zone (null when the zone "
        "belongs to no single country): what the booking page shows"
    )
    currency: str = Field(description="ISO 4217: the currency of the service prices, e.g. EUR")
    subscription_tier: str
    reminder_offsets_minutes: list[int]
    reminder_channels: list[str]
    booking_horizon_days: int
    min_notice_minutes: int
    slot_interval_minutes: int | None

    @classmethod
    def of(cls, business: Business) -> "ProfileResponse":
        return cls.model_validate(
            {
                **{
                    name: getattr(business, name)
                    for name in cls.model_fields
                    if name != "default_country"
                },
                "default_country": default_country(business),
            }
        )


class ProfileUpdate(StrictModel):
    name: OneLine | None = Field(default=None, min_length=1, max_length=200)
    slug: str | None = Field(
        default=None, min_length=1, max_length=80, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"
    )
    timezone: str | None = Field(default=None, max_length=64)
    address: OneLine | None = Field(
        default=None, max_length=300, description="one line; null or empty removes it"
    )
    country: str | None = Field(
        default=None,
        min_length=2,
        max_length=2,
        examples=["DE"],
        description="ISO 3166-1 alpha-2; null: the time zone's country is used",
    )
    currency: str | None = Field(
        default=None,
        min_length=3,
        max_length=3,
        examples=["EUR"],
        description="ISO 4217 code of the service prices' currency, in capitals",
    )
    reminder_offsets_minutes: list[int] | None = Field(default=None, max_length=5)
    reminder_channels: list[Literal["email", "sms"]] | None = Field(
        default=None, min_length=1, max_length=2
    )
    booking_horizon_days: int | None = Field(default=None, ge=1, le=730)
    min_notice_minutes: int | None = Field(default=None, ge=0, le=60 * 24 * 30)
    slot_interval_minutes: int | None = Field(
        default=None, ge=5, le=24 * 60, description="null: one slot per service duration"
    )

    @field_validator("reminder_offsets_minutes")
    @classmethod
    def _offsets(cls, value: list[int] | None) -> list[int] | None:
        if value is None:
            return None
        if any(offset < 1 or offset > MAX_REMINDER_OFFSET for offset in value):
            raise ValueError(f"each offset must be between 1 and {MAX_REMINDER_OFFSET} minutes")
        if len(set(value)) != len(value):
            raise ValueError("offsets must not repeat")
        return sorted(value, reverse=True)

    @field_validator("address")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_country(value):
            raise ValueError("must be an ISO 3166-1 alpha-2 country code in capitals, e.g. DE")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_currency(value):
            raise ValueError("must be an ISO 4217 currency code in capitals, e.g. EUR or USD")
        return value

    @field_validator("reminder_channels")
    @classmethod
    def _channels(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("channels must not repeat")
        return value

    @model_validator(mode="after")
    def _no_nulls(self) -> "ProfileUpdate":
        for field in self.model_fields_set - {"slot_interval_minutes", "address", "country"}:
            if getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


class ServiceCreate(StrictModel):
    name: OneLine = Field(min_length=1, max_length=200)
    duration_minutes: int = Field(gt=0, le=24 * 60)
    price: Decimal = Field(ge=0, max_digits=10, decimal_places=2)
    description: str | None = Field(default=None, max_length=2000)
    buffer_before_minutes: int = Field(default=0, ge=0, le=240)
    buffer_after_minutes: int = Field(default=0, ge=0, le=240)


class ServiceUpdate(StrictModel):
    name: OneLine | None = Field(default=None, min_length=1, max_length=200)
    duration_minutes: int | None = Field(default=None, gt=0, le=24 * 60)
    price: Decimal | None = Field(default=None, ge=0, max_digits=10, decimal_places=2)
    description: str | None = Field(default=None, max_length=2000)
    buffer_before_minutes: int | None = Field(default=None, ge=0, le=240)
    buffer_after_minutes: int | None = Field(default=None, ge=0, le=240)
    archived: bool | None = Field(
        default=None,
        description="false restores an archived service, true archives it (as DELETE does)",
    )

    @model_validator(mode="after")
    def _no_nulls(self) -> "ServiceUpdate":
        for field in self.model_fields_set - {"description"}:
            if getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


class ServiceResponse(BaseModel):
    id: uuid.UUID
    name: str
    duration_minutes: int
    price: Decimal
    description: str | None
    buffer_before_minutes: int
    buffer_after_minutes: int
    archived: bool = Field(
        description="archived: not offered to customers; its appointments stay and can be moved"
    )
    archived_at: datetime | None = Field(
        description="when it was archived (the business's offset); null while it is offered"
    )

    @classmethod
    def of(cls, service: Service, zone: ZoneInfo) -> "ServiceResponse":
        archived_at = service.archived_at
        return cls(
            id=service.id,
            name=service.name,
            duration_minutes=service.duration_minutes,
            price=service.price,
            description=service.description,
            buffer_before_minutes=service.buffer_before_minutes,
            buffer_after_minutes=service.buffer_after_minutes,
            archived=archived_at is not None,
            archived_at=archived_at.astimezone(zone) if archived_at else None,
        )


class ClockInterval(StrictModel):
    start_time: str = Field(examples=["09:00"])
    end_time: str = Field(examples=["17:00"], description="up to 24:00 (end of day)")

    @field_validator("start_time", "end_time")
    @classmethod
    def _clock(cls, value: str) -> str:
        parse_clock(value)
        return value

    @model_validator(mode="after")
    def _ordered(self) -> "ClockInterval":
        if parse_clock(self.end_time) <= parse_clock(self.start_time):
            raise ValueError("end_time must be after start_time")
        return self

    def on(self, day_of_week: int) -> WorkingInterval:
        return WorkingInterval(
            day_of_week, parse_clock(self.start_time), parse_clock(self.end_time)
        )


class WorkingHoursItem(ClockInterval):
    day_of_week: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")

    def interval(self) -> WorkingInterval:
        return self.on(self.day_of_week)


def _check_no_overlap(intervals: list[WorkingInterval]) -> None:
    ordered = sorted(intervals)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.day_of_week == later.day_of_week and later.start_minute < earlier.end_minute:
            raise ValueError(
                f"working hours overlap on day {later.day_of_week}: "
                f"{format_clock(earlier.start_minute)}-{format_clock(earlier.end_minute)} and "
                f"{format_clock(later.start_minute)}-{format_clock(later.end_minute)}"
            )


def _week(items: list[WorkingHoursItem] | None) -> list[WorkingHoursItem] | None:
    if items is not None:
        _check_no_overlap([item.interval() for item in items])
    return items


class StaffCreate(StrictModel):
    name: OneLine = Field(min_length=1, max_length=200)
    is_active: bool = True
    working_hours: list[WorkingHoursItem] = Field(default_factory=list, max_length=100)

    _week = field_validator("working_hours")(_week)

    def intervals(self) -> list[WorkingInterval]:
        return [item.interval() for item in self.working_hours]


class StaffUpdate(StrictModel):
    name: OneLine | None = Field(default=None, min_length=1, max_length=200)
    is_active: bool | None = None
    working_hours: list[WorkingHoursItem] | None = Field(default=None, max_length=100)

    _week = field_validator("working_hours")(_week)

    @model_validator(mode="after")
    def _no_nulls(self) -> "StaffUpdate":
        for field in self.model_fields_set:
            if getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


class WorkingHoursResponse(BaseModel):
    day_of_week: int
    start_time: str
    end_time: str


class StaffResponse(BaseModel):
    id: uuid.UUID
    name: str
    is_active: bool
    working_hours: list[WorkingHoursResponse]

    @classmethod
    def of(cls, staff: StaffMember) -> "StaffResponse":
        return cls(
            id=staff.id,
            name=staff.name,
            is_active=staff.is_active,
            working_hours=[
                WorkingHoursResponse(
                    day_of_week=hours.day_of_week,
                    start_time=format_clock(hours.start_minute),
                    end_time=format_clock(hours.end_minute),
                )
                for hours in staff.working_hours
            ],
        )


class DateOverrideRequest(StrictModel):
    working_hours: list[ClockInterval] = Field(
        max_length=20, description="the hours of that date; an empty list is a day off"
    )

    @field_validator("working_hours")
    @classmethod
    def _no_overlap(cls, items: list[ClockInterval]) -> list[ClockInterval]:
        _check_no_overlap([item.on(0) for item in items])
        return items

    def intervals(self, day: date) -> list[WorkingInterval]:
        return [item.on(day.weekday()) for item in self.working_hours]


class DateOverrideResponse(BaseModel):
    date: date
    day_off: bool
    working_hours: list[ClockInterval]

    @classmethod
    def of(cls, override: DateOverride) -> "DateOverrideResponse":
        return cls(
            date=override.date,
            day_off=not override.intervals,
            working_hours=[
                ClockInterval(
                    start_time=format_clock(i.start_minute), end_time=format_clock(i.end_minute)
                )
                for i in override.intervals
            ],
        )
