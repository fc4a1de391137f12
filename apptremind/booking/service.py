"""Bookings: the slots a customer may take, taking one, and the owner's views."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from psycopg.errors import ExclusionViolation
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind import events
from apptremind.billing.plans import plan_for
from apptremind.booking.availability import (
    Busy,
    Interval,
    Slot,
    SlotRules,
    blocked_range,
    day_slots,
    is_offered,
    local_day_bounds,
)
from apptremind.booking.exceptions import AppointmentNotFound, NotBookable, SlotTaken
from apptremind.booking.models import Appointment
from apptremind.booking.quota import ensure_monthly_capacity
from apptremind.booking.reminders import BookedReminder, plan_reminders
from apptremind.booking.repository import AppointmentRepository
from apptremind.business import service as business_service
from apptremind.business.service import BookingTerms, BusinessTerms, ServiceTerms, StaffTerms
from apptremind.outbox.service import emit

# Buffers reach at most this far past a day's bounds (services cap them at 4 hours).
_BUSY_MARGIN = timedelta(hours=4)


@dataclass(frozen=True)
class Customer:
    name: str
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class BookingContext:
    """A staff member, a service and their business, with the hours of the dates read."""

    terms: BookingTerms

    @property
    def business(self) -> BusinessTerms:
        return self.terms.business

    @property
    def staff(self) -> StaffTerms:
        return self.terms.staff

    @property
    def service(self) -> ServiceTerms:
        return self.terms.service

    @property
    def zone(self) -> ZoneInfo:
        return self.business.zone

    @property
    def rules(self) -> SlotRules:
        return SlotRules(
            duration_minutes=self.service.duration_minutes,
            buffer_before_minutes=self.service.buffer_before_minutes,
            buffer_after_minutes=self.service.buffer_after_minutes,
            step_minutes=self.business.slot_interval_minutes,
            min_notice_minutes=self.business.min_notice_minutes,
            horizon_days=self.business.booking_horizon_days,
        )

    def intervals(self, day: date) -> list[Interval]:
        return [Interval(start, end) for start, end in self.terms.working_minutes(day)]


async def booking_context(
    session: AsyncSession, staff_id: uuid.UUID, service_id: uuid.UUID, first: date, last: date
) -> BookingContext:
    """Staff and service of one business (another business's service is not found), with
    the working hours of the local dates `first`..`last`."""
    return BookingContext(
        await business_service.booking_terms(session, staff_id, service_id, first, last)
    )


def dates_around(instant: datetime) -> tuple[date, date]:
    """Local dates that may hold `instant` in any zone (UTC offsets stay within a day)."""
    utc_date = instant.astimezone(UTC).date()
    return utc_date - timedelta(days=1), utc_date + timedelta(days=1)


async def slots_on(
    session: AsyncSession, context: BookingContext, day: date, now: datetime
) -> list[Slot]:
    """The free slots of one local calendar day, as the public slots endpoint offers them."""
    if not context.staff.is_active:
        return []
    day_start, day_end = local_day_bounds(day, context.zone)
    ranges = await AppointmentRepository(session).blocked_ranges(
        context.staff.id, day_start - _BUSY_MARGIN, day_end + _BUSY_MARGIN
    )
    busy = [Busy(start, end) for start, end in ranges]
    return day_slots(day, context.zone, context.intervals(day), busy, context.rules, now)


def ensure_offered(context: BookingContext, start: datetime, now: datetime) -> None:
    """422 unless the time is one of the day's slots when no appointment is counted.

    Whether it is still free is the exclusion constraint's answer when the appointment is
    written (409, see `refused_overlap_is_taken`): it covers exactly the slots' overlap
    rule, and a read of the day's appointments beforehand would only race with it.
    """
    day = start.astimezone(context.zone).date()
    if not is_offered(start, context.zone, context.intervals(day), context.rules, now):
        raise NotBookable(
            "This time is not offered: it is past, too soon, too far ahead, outside working "
            "hours or not aligned with the slots"
        )


@dataclass(frozen=True)
class BookedAppointment:
    id: uuid.UUID
    zone: ZoneInfo
    start_time: datetime
    end_time: datetime
    reminders: list[BookedReminder]


async def book(
    session: AsyncSession,
    staff_id: uuid.UUID,
    service_id: uuid.UUID,
    start: datetime,
    customer: Customer,
    now: datetime,
) -> BookedAppointment:
    context = await booking_context(session, staff_id, service_id, *dates_around(start))
    if not context.staff.is_active:
        raise NotBookable("This staff member does not take bookings")
    ensure_offered(context, start, now)
    plan = plan_for(context.business.subscription_tier)
    await ensure_monthly_capacity(session, context.business.id, context.zone, plan, now)

    service = context.service
    block_start, block_end = blocked_range(start, context.rules)
    planned = plan_reminders(
        start,
        context.business.reminder_offsets_minutes,
        # After a downgrade `sms` may still be configured; the plan decides what is sent.
        plan.deliverable_channels(context.business.reminder_channels),
        has_email=customer.email is not None,
        has_phone=customer.phone is not None,
        now=now,
    )
    booked = BookedAppointment(
        id=uuid.uuid4(),
        zone=context.zone,
        start_time=start,
        end_time=start + timedelta(minutes=service.duration_minutes),
        reminders=[BookedReminder(uuid.uuid4(), p.remind_at, p.channel) for p in planned],
    )
    with refused_overlap_is_taken():
        await AppointmentRepository(session).insert_booked(
            {
                "id": booked.id,
                "business_id": context.business.id,
                "staff_id": context.staff.id,
                "service_id": service.id,
                "service_name": service.name,
                "duration_minutes": service.duration_minutes,
                "price": service.price,
                "customer_name": customer.name,
                "customer_email": customer.email,
                "customer_phone": customer.phone,
                "start_time": booked.start_time,
                "end_time": booked.end_time,
                "block_start": block_start,
                "block_end": block_end,
            },
            booked.reminders,
        )
    await emit(
        session,
        events.APPOINTMENT_BOOKED,
        context.business.id,
        _booked_event(booked, context, customer),
    )
    return booked


@contextmanager
def refused_overlap_is_taken() -> Iterator[None]:
    """The exclusion constraint's refusal of an overlapping appointment becomes a 409,
    whether the statement went through SQLAlchemy or straight to the driver."""
    try:
        yield
    except (IntegrityError, ExclusionViolation) as exc:
        cause = exc.orig if isinstance(exc, IntegrityError) else exc
        if isinstance(cause, ExclusionViolation):
            raise SlotTaken("This time is already booked") from exc
        raise


async def flush_guarded(session: AsyncSession) -> None:
    """Flushes appointment changes; the exclusion constraint's refusal becomes a 409."""
    with refused_overlap_is_taken():
        await session.flush()


async def get_appointment(
    session: AsyncSession, business_id: uuid.UUID, appointment_id: uuid.UUID
) -> Appointment:
    appointment = await AppointmentRepository(session).get(business_id, appointment_id)
    if appointment is None:
        raise AppointmentNotFound()
    return appointment


async def find_appointment(session: AsyncSession, appointment_id: uuid.UUID) -> Appointment:
    appointment = await AppointmentRepository(session).find(appointment_id)
    if appointment is None:
        raise AppointmentNotFound()
    return appointment


async def list_appointments(
    session: AsyncSession,
    business_id: uuid.UUID,
    *,
    start_from: datetime | None = None,
    start_to: datetime | None = None,
    staff_id: uuid.UUID | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Appointment], int]:
    return await AppointmentRepository(session).search(
        business_id,
        start_from=start_from,
        start_to=start_to,
        staff_id=staff_id,
        status=status,
        limit=limit,
        offset=offset,
    )


def _booked_event(
    booked: BookedAppointment, context: BookingContext, customer: Customer
) -> dict[str, object]:
    reminders = booked.reminders
    return {
        "appointment_id": str(booked.id),
        "business_id": str(context.business.id),
        "staff_id": str(context.staff.id),
        "service_id": str(context.service.id),
        "customer_email": customer.email,
        "customer_phone": customer.phone,
        "service_name": context.service.name,
        "start_time": booked.start_time.isoformat(),
        "end_time": booked.end_time.isoformat(),
        "timezone": context.business.timezone,  # local dates for analytics and billing
        "reminder_times": sorted({r.remind_at.isoformat() for r in reminders}),
        "reminders": [
            {"reminder_id": str(r.id), "remind_at": r.remind_at.isoformat(), "type": r.channel}
            for r in reminders
        ],
    }
