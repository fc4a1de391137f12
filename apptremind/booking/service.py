"""Bookings: the slots a customer may take, taking one, and the owner's views."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
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
    local_day_bounds,
)
from apptremind.booking.exceptions import AppointmentNotFound, NotBookable, SlotTaken
from apptremind.booking.models import Appointment, Reminder
from apptremind.booking.quota import ensure_monthly_capacity
from apptremind.booking.reminders import plan_reminders
from apptremind.booking.repository import AppointmentRepository
from apptremind.business import service as business_service
from apptremind.business.models import Business, Service, StaffMember
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
    business: Business
    staff: StaffMember
    service: Service

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


async def booking_context(
    session: AsyncSession, staff_id: uuid.UUID, service_id: uuid.UUID
) -> BookingContext:
    """Staff and service of one business (another business's service is not found)."""
    staff = await business_service.find_staff(session, staff_id)
    service = await business_service.get_service(session, staff.business_id, service_id)
    business = await business_service.get_business(session, staff.business_id)
    return BookingContext(business, staff, service)


async def slots_on(
    session: AsyncSession,
    context: BookingContext,
    day: date,
    now: datetime,
    *,
    ignore_busy: bool = False,
    moving: uuid.UUID | None = None,
) -> list[Slot]:
    """The slots of one local calendar day, as the public slots endpoint offers them.

    `moving` names an appointment being rescheduled: its own time does not count as busy.
    """
    if not context.staff.is_active:
        return []
    schedule = await business_service.working_minutes(session, context.staff, day, day)
    intervals = [Interval(start, end) for start, end in schedule[day]]
    busy: list[Busy] = []
    if not ignore_busy:
        day_start, day_end = local_day_bounds(day, context.zone)
        ranges = await AppointmentRepository(session).blocked_ranges(
            context.staff.id, day_start - _BUSY_MARGIN, day_end + _BUSY_MARGIN, moving
        )
        busy = [Busy(start, end) for start, end in ranges]
    return day_slots(day, context.zone, intervals, busy, context.rules, now)


async def book(
    session: AsyncSession,
    staff_id: uuid.UUID,
    service_id: uuid.UUID,
    start: datetime,
    customer: Customer,
    now: datetime,
) -> Appointment:
    context = await booking_context(session, staff_id, service_id)
    if not context.staff.is_active:
        raise NotBookable("This staff member does not take bookings")
    await ensure_offered(session, context, start, now)
    plan = plan_for(context.business.subscription_tier)
    await ensure_monthly_capacity(session, context.business.id, context.zone, plan, now)

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
    appointment = Appointment(
        id=uuid.uuid4(),
        business_id=context.business.id,
        staff_id=context.staff.id,
        service_id=context.service.id,
        service_name=context.service.name,
        duration_minutes=context.service.duration_minutes,
        price=context.service.price,
        customer_name=customer.name,
        customer_email=customer.email,
        customer_phone=customer.phone,
        start_time=start,
        end_time=start + timedelta(minutes=context.service.duration_minutes),
        block_start=block_start,
        block_end=block_end,
        status="booked",
        reminders=[
            Reminder(id=uuid.uuid4(), remind_at=p.remind_at, channel=p.channel) for p in planned
        ],
    )
    session.add(appointment)
    await flush_guarded(session)
    await emit(
        session,
        events.APPOINTMENT_BOOKED,
        context.business.id,
        _booked_event(appointment, context.business.timezone),
    )
    return appointment


async def flush_guarded(session: AsyncSession) -> None:
    """Flushes appointment changes; the exclusion constraint's refusal becomes a 409."""
    try:
        await session.flush()
    except IntegrityError as exc:
        if isinstance(exc.orig, ExclusionViolation):
            raise SlotTaken("This time was just booked by someone else") from exc
        raise


async def ensure_offered(
    session: AsyncSession,
    context: BookingContext,
    start: datetime,
    now: datetime,
    moving: uuid.UUID | None = None,
) -> None:
    """409 when the time is a slot that is taken; 422 when it was never a slot."""
    day = start.astimezone(context.zone).date()
    offered = await slots_on(session, context, day, now, moving=moving)
    if any(slot.start == start for slot in offered):
        return
    if any(
        slot.start == start for slot in await slots_on(session, context, day, now, ignore_busy=True)
    ):
        raise SlotTaken("This time is already booked")
    raise NotBookable(
        "This time is not offered: it is past, too soon, too far ahead, outside working "
        "hours or not aligned with the slots"
    )


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


def _booked_event(appointment: Appointment, timezone: str) -> dict[str, object]:
    reminders = appointment.reminders
    return {
        "appointment_id": str(appointment.id),
        "business_id": str(appointment.business_id),
        "staff_id": str(appointment.staff_id),
        "service_id": str(appointment.service_id),
        "customer_email": appointment.customer_email,
        "customer_phone": appointment.customer_phone,
        "service_name": appointment.service_name,
        "start_time": appointment.start_time.isoformat(),
        "end_time": appointment.end_time.isoformat(),
        "timezone": timezone,  # the business's zone: local dates for analytics and billing
        "reminder_times": sorted({r.remind_at.isoformat() for r in reminders}),
        "reminders": [
            {"reminder_id": str(r.id), "remind_at": r.remind_at.isoformat(), "type": r.channel}
            for r in reminders
        ],
    }
