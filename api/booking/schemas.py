import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

import phonenumbers
from pydantic import AwareDatetime, BaseModel, EmailStr, Field, field_validator, model_validator

from api.schemas import StrictModel
from apptremind.booking.models import Appointment
from apptremind.booking.service import BookedAppointment


class CustomerInfo(StrictModel):
    name: str = Field(min_length=1, max_length=255)
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
    staff_id: uuid.UUID
    service_id: uuid.UUID
    time: AwareDatetime = Field(description="RFC 3339 with offset, one of the offered slots")
    customer_info: CustomerInfo


class RescheduleBody(StrictModel):
    time: AwareDatetime = Field(description="RFC 3339 with offset, one of the offered slots")


class SlotResponse(BaseModel):
    start: datetime
    end: datetime


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
    start_time: datetime
    end_time: datetime
    reminders: list[ReminderSummary]

    @classmethod
    def of(cls, booked: BookedAppointment) -> "BookingResponse":
        zone = booked.zone
        return cls(
            appointment_id=booked.id,
            status="booked",
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
    type: str
    status: str
    sent_at: datetime | None


class CustomerResponse(BaseModel):
    name: str
    email: str | None
    phone: str | None


class AppointmentResponse(BaseModel):
    id: uuid.UUID
    status: str
    staff_id: uuid.UUID
    service_id: uuid.UUID
    service_name: str
    duration_minutes: int
    price: Decimal
    start_time: datetime
    end_time: datetime
    customer: CustomerResponse
    reminders: list[ReminderResponse]

    @classmethod
    def of(cls, appointment: Appointment, zone: ZoneInfo) -> "AppointmentResponse":
        return cls(
            id=appointment.id,
            status=appointment.status,
            staff_id=appointment.staff_id,
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
            reminders=[
                ReminderResponse(
                    id=r.id,
                    remind_at=r.remind_at.astimezone(zone),
                    type=r.channel,
                    status=r.status,
                    sent_at=r.sent_at.astimezone(zone) if r.sent_at else None,
                )
                for r in appointment.reminders
            ],
        )


AppointmentStatus = Literal["booked", "cancelled", "completed", "no_show"]
