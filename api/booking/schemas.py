import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

import phonenumbers
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    field_validator,
    model_validator,
)

from api.schemas import PersonName, StrictModel, TextBlock
from apptremind.booking.contracts import AppointmentStatus, ReminderStatus
from apptremind.booking.failure_reasons import failure_reason
from apptremind.booking.models import Appointment, AppointmentHistory, HistoryStatus, Reminder
from apptremind.booking.search import TeamSlot
from apptremind.booking.service import BookedAppointment
from apptremind.business.service import AppointmentHost, PublicBusiness


class CustomerInfo(StrictModel):
    name: PersonName = Field(min_length=1, max_length=255)
    email: EmailStr | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=40, examples=["+49 170 1234567"])

    @field_validator("phone")
    @classmethod
    def _e164(cls, value: str | None) -> str | None:
        """Phones are stored in E.164; without a country code a number is ambiguous."""
        if value is None:
            return None
        try:
            number = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException as exc:
            raise ValueError(
                "must be a phone number in international format, e.g. +49 170 1234567"
            ) from exc
        if not phonenumbers.is_valid_number(number):
            raise ValueError("is not a valid phone number")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    @model_validator(mode="after")
    def _reachable(self) -> "CustomerInfo":
        if self.email is None and self.phone is None:
            raise ValueError("an email or a phone number is required")
        return self


class BookingRequest(StrictModel):
    staff_id: uuid.UUID | None = Field(
        default=None, description="null or absent: any staff member free at that time"
    )
    service_id: uuid.UUID
    time: AwareDatetime = Field(description="RFC 3339 with offset, one of the offered slots")
    customer_info: CustomerInfo
    note: TextBlock | None = Field(
        default=None,
        max_length=1000,
        description="for the business; line breaks and tabs, no other control characters",
    )

    captcha_token: str | None = Field(
        default=None,
        max_length=4096,
        description="the CAPTCHA widget's token; required only when the CAPTCHA check is on",
    )

    @field_validator("note")
    @classmethod
    def _empty_note(cls, value: str | None) -> str | None:
        return value or None


class RescheduleBody(StrictModel):
    time: AwareDatetime = Field(description="RFC 3339 with offset, one of the offered slots")


class SlotResponse(BaseModel):
    start: datetime
    end: datetime
    staff_ids: list[uuid.UUID] = Field(description="every staff member free at this time")

    @classmethod
    def of(cls, slot: TeamSlot) -> "SlotResponse":
        return cls(start=slot.start, end=slot.end, staff_ids=slot.staff_ids)


class SlotsResponse(BaseModel):
    date: date
    timezone: str
    slots: list[SlotResponse]


class ReminderSummary(BaseModel):
    remind_at: datetime
    type: str


class BookingResponse(BaseModel):
    appointment_id: uuid.UUID
    status: str
    staff_id: uuid.UUID
    start_time: datetime
    end_time: datetime
    reminders: list[ReminderSummary]
    manage_token: str = Field(description="signs the customer's manage link")
    manage_url: str = Field(description="the absolute link to the manage page")

    @classmethod
    def of(cls, booked: BookedAppointment, manage_token: str, manage_url: str) -> "BookingResponse":
        zone = booked.zone
        return cls(
            appointment_id=booked.id,
            status=booked.status,
            staff_id=booked.staff_id,
            manage_token=manage_token,
            manage_url=manage_url,
            start_time=booked.start_time.astimezone(zone),
            end_time=booked.end_time.astimezone(zone),
            reminders=[
                ReminderSummary(remind_at=r.remind_at.astimezone(zone), type=r.channel)
                for r in booked.reminders
            ],
        )


class ReminderResponse(BaseModel):
    id: uuid.UUID
    remind_at: datetime
    type: str = Field(description="the channel, as in the booking answer (kept for old clients)")
    channel: Literal["email", "sms"]
    status: str = Field(description="pending, sent, failed or cancelled")
    sent_at: datetime | None
    failure_reason: str | None = Field(
        description="why it failed, in a short sentence for the owner; null unless failed"
    )

    @classmethod
    def of(cls, reminder: Reminder, zone: ZoneInfo) -> "ReminderResponse":
        failed = reminder.status == ReminderStatus.FAILED
        return cls(
            id=reminder.id,
            remind_at=reminder.remind_at.astimezone(zone),
            type=reminder.channel,
            channel=reminder.channel,  # type: ignore[arg-type]  # the column's check
            status=reminder.status,
            sent_at=reminder.sent_at.astimezone(zone) if reminder.sent_at else None,
            # Reminders failed before reasons were recorded get theirs from the error.
            failure_reason=(
                (reminder.failure_reason or failure_reason(reminder.channel, reminder.error))
                if failed
                else None
            ),
        )


class HistoryEntry(BaseModel):
    """One change of the appointment; the list is oldest first."""

    # Members spelled out, not the enum itself: the OpenAPI document keeps an inline enum.
    status: Literal[
        HistoryStatus.BOOKED,
        HistoryStatus.RESCHEDULED,
        HistoryStatus.CANCELLED,
        HistoryStatus.COMPLETED,
        HistoryStatus.NO_SHOW,
    ]
    at: datetime
    reason: str | None = Field(description="the cancellation's reason, when one was given")
    actor: str | None = Field(
        description="who cancelled: owner, admin or staff (a login), customer (the manage "
        "link) or support (a Temporal signal); null for other changes"
    )
    from_time: datetime | None = Field(description="a reschedule's previous start time")
    to_time: datetime | None = Field(description="a reschedule's new start time")

    @classmethod
    def of(cls, entry: AppointmentHistory, zone: ZoneInfo) -> "HistoryEntry":
        return cls(
            status=entry.status,  # type: ignore[arg-type]  # the column's check
            at=entry.at.astimezone(zone),
            reason=entry.reason,
            actor=entry.actor.split(":", 1)[0] if entry.actor else None,
            from_time=entry.from_time.astimezone(zone) if entry.from_time else None,
            to_time=entry.to_time.astimezone(zone) if entry.to_time else None,
        )


class CustomerResponse(BaseModel):
    name: str
    email: str | None
    phone: str | None


class AppointmentResponse(BaseModel):
    id: uuid.UUID
    status: str
    staff_id: uuid.UUID
    staff_name: str
    service_id: uuid.UUID
    service_name: str
    duration_minutes: int
    price: Decimal
    start_time: datetime
    end_time: datetime
    note: str | None
    customer: CustomerResponse
    reminders: list[ReminderResponse]
    history: list[HistoryEntry] = Field(description="what happened to it, oldest first")

    @classmethod
    def of(
        cls, appointment: Appointment, zone: ZoneInfo, staff_names: dict[uuid.UUID, str]
    ) -> "AppointmentResponse":
        return cls(
            id=appointment.id,
            status=appointment.status,
            staff_id=appointment.staff_id,
            staff_name=staff_names.get(appointment.staff_id, ""),
            note=appointment.note,
            service_id=appointment.service_id,
            service_name=appointment.service_name,
            duration_minutes=appointment.duration_minutes,
            price=appointment.price,
            start_time=appointment.start_time.astimezone(zone),
            end_time=appointment.end_time.astimezone(zone),
            customer=CustomerResponse(
                name=appointment.customer_name,
                email=appointment.customer_email,
                phone=appointment.customer_phone,
            ),
            reminders=[ReminderResponse.of(r, zone) for r in appointment.reminders],
            history=[HistoryEntry.of(entry, zone) for entry in appointment.history],
        )


class HostBusiness(BaseModel):
    name: str
    slug: str
    address: str | None
    timezone: str
    currency: str = Field(description="ISO 4217: the currency of `price`")


class CustomerAppointmentResponse(BaseModel):
    """The appointment as its customer sees it through the manage link."""

    id: uuid.UUID
    status: str
    service_id: uuid.UUID
    service_name: str
    duration_minutes: int
    price: Decimal
    staff_id: uuid.UUID
    staff_name: str
    start_time: datetime
    end_time: datetime
    timezone: str
    note: str | None
    customer: CustomerResponse
    business: HostBusiness

    @classmethod
    def of(cls, appointment: Appointment, host: AppointmentHost) -> "CustomerAppointmentResponse":
        business = host.business
        zone = business.zone
        return cls(
            id=appointment.id,
            status=appointment.status,
            service_id=appointment.service_id,
            service_name=appointment.service_name,
            duration_minutes=appointment.duration_minutes,
            price=appointment.price,
            staff_id=appointment.staff_id,
            staff_name=host.staff_name,
            start_time=appointment.start_time.astimezone(zone),
            end_time=appointment.end_time.astimezone(zone),
            timezone=business.timezone,
            note=appointment.note,
            customer=CustomerResponse(
                name=appointment.customer_name,
                email=appointment.customer_email,
                phone=appointment.customer_phone,
            ),
            business=HostBusiness(
                name=business.name,
                slug=business.slug,
                address=business.address,
                timezone=business.timezone,
                currency=business.currency,
            ),
        )


class PublicService(BaseModel):
    id: uuid.UUID
    name: str
    duration_minutes: int
    price: Decimal
    description: str | None


class PublicStaff(BaseModel):
    id: uuid.UUID
    name: str


class PublicBusinessResponse(BaseModel):
    slug: str
    name: str
    timezone: str
    address: str | None
    country: str | None = Field(
        description="ISO 3166-1 alpha-2: the business's own, else its time zone's country"
    )
    currency: str = Field(description="ISO 4217: the currency of the services' prices, e.g. EUR")
    booking_horizon_days: int
    services: list[PublicService]
    staff: list[PublicStaff]

    @classmethod
    def of(cls, found: PublicBusiness) -> "PublicBusinessResponse":
        business = found.business
        return cls(
            slug=business.slug,
            name=business.name,
            timezone=business.timezone,
            address=business.address,
            country=found.country,
            currency=business.currency,
            booking_horizon_days=business.booking_horizon_days,
            services=[
                PublicService.model_validate(s, from_attributes=True) for s in found.services
            ],
            staff=[PublicStaff(id=s.id, name=s.name) for s in found.staff],
        )


class DayResponse(BaseModel):
    date: date
    available: bool


class AvailabilityResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    timezone: str
    from_: date = Field(alias="from")
    to: date
    days: list[DayResponse] = Field(description="one entry per day of the range")
    next_available_date: date | None = Field(
        description="the first day on or after `from` with a free time within the booking "
        "horizon; null when there is none"
    )


# A status to filter by (members spelled out: the OpenAPI document keeps an inline enum).
AppointmentStatusFilter = Literal[
    AppointmentStatus.BOOKED,
    AppointmentStatus.CANCELLED,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
]
