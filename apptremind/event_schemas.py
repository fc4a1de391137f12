"""The `data` of the events consumers read, as they validate it (fields they do not use
are ignored, so producers may add more)."""

import uuid
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, field_validator


class AppointmentEventData(BaseModel):
    appointment_id: uuid.UUID
    business_id: uuid.UUID


class ScheduledData(AppointmentEventData):
    """appointment.booked and appointment.rescheduled: when, and in which zone."""

    start_time: AwareDatetime
    timezone: str | None = None  # the business's IANA zone; older events lack it

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @property
    def local_date(self) -> date:
        """The appointment's date where the business is (else where the time was written)."""
        if self.timezone is None:
            return self.start_time.date()
        return self.start_time.astimezone(ZoneInfo(self.timezone)).date()


class ReminderResultData(AppointmentEventData):
    reminder_id: uuid.UUID
