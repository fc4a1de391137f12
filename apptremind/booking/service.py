"""Bookings: the slots a customer may take, taking one, and the owner's views."""

import uuid
from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from psycopg.errors import ExclusionViolation, UniqueViolation
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind import events
from apptremind.billing.plans import plan_for
from apptremind.booking.availability import (
    Interval,
    SlotRules,
    blocked_range,
    is_offered,
)
from apptremind.booking.contracts import ReminderStatus
from apptremind.booking.exceptions import (
    AppointmentNotFound,
    BookingInProgress,
    IdempotencyKeyReused,
    NotBookable,
    SlotTaken,
)
from apptremind.booking.models import Appointment
from apptremind.booking.quota import ensure_monthly_capacity
from apptremind.booking.reminders import BookedReminder, plan_reminders
from apptremind.booking.repository import AppointmentRepository
from apptremind.booking.search import busy_by_staff, intervals_of, slot_rules
from apptremind.booking.throttles import NO_LIMITS, CustomerLimits, ensure_not_throttled
from apptremind.business import service as business_service
from apptremind.business.exceptions import StaffNotFound
from apptremind.business.service import BookingTerms, BusinessTerms, ServiceTerms, StaffTerms
from apptremind.db import one_round_trip
from apptremind.outbox.service import emit

# A time further than this from now is refused before any date arithmetic: no horizon
# reaches it, and dates near year 1 or 9999 would overflow.
_REACH = timedelta(days=800)


@dataclass(frozen=True)
class Customer:
    name: str
    email: str | None
    phone: str | None
    note: str | None = None  # for the business, from the booking form
    # The client's Idempotency-Key, stored with the appointment (unique per business).
    idempotency_key: str | None = None


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
        return slot_rules(self.business, self.service)

    def intervals(self, day: date) -> list[Interval]:
        return [Interval(start, end) for start, end in self.terms.working_minutes(day)]


async def booking_context(
    session: AsyncSession,
    staff_id: uuid.UUID,
    service_id: uuid.UUID,
    first: date,
    last: date,
    *,
    include_archived: bool = False,
) -> BookingContext:
    """Staff and service of one business (another business's service is not found, nor an
    archived one unless `include_archived`), with the working hours of the local dates
    `first`..`last`."""
    return BookingContext(
        await business_service.booking_terms(
            session, staff_id, service_id, first, last, include_archived=include_archived
        )
    )


def dates_around(instant: datetime) -> tuple[date, date]:
    """Local dates that may hold `instant` in any zone (UTC offsets stay within a day)."""
    utc_date = instant.astimezone(UTC).date()
    return utc_date - timedelta(days=1), utc_date + timedelta(days=1)


def ensure_within_reach(start: datetime, now: datetime) -> None:
    """422 for a time no booking horizon reaches, before any date arithmetic is done on it."""
    if not now - _REACH < start < now + _REACH:
        raise NotBookable("This time is not offered: it is past or too far ahead")


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
    staff_id: uuid.UUID
    zone: ZoneInfo
    start_time: datetime
    end_time: datetime
    reminders: list[BookedReminder]
    status: str = "booked"


async def booked_before(
    session: AsyncSession,
    service_id: uuid.UUID,
    staff_id: uuid.UUID | None,
    start: datetime,
    customer: Customer,
) -> BookedAppointment | None:
    """The appointment a request with the same Idempotency-Key already booked at the
    service's business, as it is now; None when the key booked nothing there yet. 422
    when the key booked something else: another service, time, staff member or customer."""
    if customer.idempotency_key is None:
        return None
    appointment = await AppointmentRepository(session).find_by_idempotency_key(
        service_id, customer.idempotency_key
    )
    if appointment is None:
        return None
    same = (
        appointment.service_id == service_id
        and appointment.start_time == start
        and (staff_id is None or appointment.staff_id == staff_id)
        and appointment.customer_name == customer.name
        and appointment.customer_email == customer.email
        and appointment.customer_phone == customer.phone
    )
    if not same:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different booking; send a new key for a "
            "new booking"
        )
    zone = (await business_service.get_business(session, appointment.business_id)).zone
    return BookedAppointment(
        id=appointment.id,
        staff_id=appointment.staff_id,
        zone=zone,
        start_time=appointment.start_time,
        end_time=appointment.end_time,
        reminders=[
            BookedReminder(r.id, r.remind_at, r.channel)
            for r in appointment.reminders
            if r.status != ReminderStatus.CANCELLED
        ],
        status=appointment.status,
    )


async def book(
    session: AsyncSession,
    staff_id: uuid.UUID,
    service_id: uuid.UUID,
    start: datetime,
    customer: Customer,
    now: datetime,
    *,
    limits: CustomerLimits = NO_LIMITS,
) -> BookedAppointment:
    """Books one staff member: one read, one write (the hot path). The exclusion
    constraint decides whether the time is still free."""
    ensure_within_reach(start, now)
    context = await booking_context(session, staff_id, service_id, *dates_around(start))
    if not context.staff.is_active:
        raise StaffNotFound("This staff member does not take bookings")
    ensure_offered(context, start, now)
    writer = _BookingWriter(context.business, context.service, start, customer, now)
    await writer.check_limits(session, limits)
    return await writer.write(session, context.staff.id)


async def book_any_staff(
    session: AsyncSession,
    service_id: uuid.UUID,
    start: datetime,
    customer: Customer,
    now: datetime,
    *,
    limits: CustomerLimits = NO_LIMITS,
) -> BookedAppointment:
    """Books whoever is free at `start`, the least booked that day first. Each attempt runs
    in a savepoint: when the constraint refuses one (a race), the next is tried; 409 when
    nobody is free, 422 when nobody works then."""
    ensure_within_reach(start, now)
    terms = await business_service.team_terms(session, service_id, None, *dates_around(start))
    zone, rules = terms.business.zone, slot_rules(terms.business, terms.service)
    day = start.astimezone(zone).date()
    offering = [
        member
        for member in terms.staff
        if is_offered(start, zone, intervals_of(member, day), rules, now)
    ]
    if not offering:
        raise NotBookable(
            "This time is not offered: it is past, too soon, too far ahead, outside working "
            "hours or not aligned with the slots"
        )
    busy = await busy_by_staff(session, [m.id for m in offering], day, day, zone)
    block_start, block_end = blocked_range(start, rules)
    free = [
        member.id
        for member in offering
        if not any(b.start < block_end and b.end > block_start for b in busy[member.id])
    ]
    if not free:
        raise SlotTaken("Nobody is free at this time any more")
    free.sort(key=lambda staff_id: len(busy[staff_id]))
    writer = _BookingWriter(terms.business, terms.service, start, customer, now)
    await writer.check_limits(session, limits)
    for staff_id in free:
        try:
            return await writer.write(session, staff_id, savepoint=True)
        except SlotTaken:
            continue
    raise SlotTaken("Nobody is free at this time any more")


class _BookingWriter:
    """Writes one booking of a service at a time; its reminders are planned once."""

    def __init__(
        self,
        business: BusinessTerms,
        service: ServiceTerms,
        start: datetime,
        customer: Customer,
        now: datetime,
    ) -> None:
        self.business = business
        self.service = service
        self.start = start
        self.customer = customer
        self.now = now
        self.plan = plan_for(business.subscription_tier)

    async def check_limits(self, session: AsyncSession, limits: CustomerLimits) -> None:
        """The customer's throttles, then the plan's monthly bookings (locks in this order)."""
        await ensure_not_throttled(
            session, limits, self.business.id, self.customer.email, self.customer.phone, self.now
        )
        await ensure_monthly_capacity(
            session, self.business.id, self.business.zone, self.plan, self.now
        )

    async def write(
        self, session: AsyncSession, staff_id: uuid.UUID, *, savepoint: bool = False
    ) -> BookedAppointment:
        business, service, customer, start = self.business, self.service, self.customer, self.start
        block_start, block_end = blocked_range(start, slot_rules(business, service))
        planned = plan_reminders(
            start,
            business.reminder_offsets_minutes,
            # After a downgrade `sms` may still be configured; the plan decides what is sent.
            self.plan.deliverable_channels(business.reminder_channels),
            has_email=customer.email is not None,
            has_phone=customer.phone is not None,
            now=self.now,
        )
        booked = BookedAppointment(
            id=uuid.uuid4(),
            staff_id=staff_id,
            zone=business.zone,
            start_time=start,
            end_time=start + timedelta(minutes=service.duration_minutes),
            reminders=[BookedReminder(uuid.uuid4(), p.remind_at, p.channel) for p in planned],
        )
        # The appointment and its event in one round trip; a savepoint's attempt needs its
        # answer before going on.
        with refused_overlap_is_taken():
            async with _together(session, pipelined=not savepoint):
                await AppointmentRepository(session).insert_booked(
                    {
                        "id": booked.id,
                        "business_id": business.id,
                        "staff_id": staff_id,
                        "service_id": service.id,
                        "service_name": service.name,
                        "duration_minutes": service.duration_minutes,
                        "price": service.price,
                        "customer_name": customer.name,
                        "customer_email": customer.email,
                        "customer_phone": customer.phone,
                        "note": customer.note,
                        "start_time": booked.start_time,
                        "end_time": booked.end_time,
                        "block_start": block_start,
                        "block_end": block_end,
                        "idempotency_key": customer.idempotency_key,
                    },
                    booked.reminders,
                    savepoint=savepoint,
                )
                await emit(session, _booked_event(booked, business, service, customer))
        return booked


def _together(session: AsyncSession, *, pipelined: bool) -> AbstractAsyncContextManager[None]:
    return one_round_trip(session) if pipelined else nullcontext()


_IDEMPOTENCY_KEY_INDEX = "uq_appointments_business_idempotency_key"


@contextmanager
def refused_overlap_is_taken() -> Iterator[None]:
    """The exclusion constraint's refusal of an overlapping appointment becomes a 409,
    whether the statement went through SQLAlchemy or straight to the driver; so does the
    unique index's refusal of an Idempotency-Key another request is booking with."""
    try:
        yield
    except (IntegrityError, ExclusionViolation, UniqueViolation) as exc:
        cause = exc.orig if isinstance(exc, IntegrityError) else exc
        if isinstance(cause, ExclusionViolation):
            raise SlotTaken("This time is already booked") from exc
        if (
            isinstance(cause, UniqueViolation)
            and cause.diag.constraint_name == _IDEMPOTENCY_KEY_INDEX
        ):
            raise BookingInProgress(
                "Another request with this Idempotency-Key is booking at the same moment; "
                "retry with the same key to receive its booking"
            ) from exc
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
    booked: BookedAppointment, business: BusinessTerms, service: ServiceTerms, customer: Customer
) -> events.AppointmentBooked:
    reminders = booked.reminders
    return events.AppointmentBooked(
        appointment_id=booked.id,
        business_id=business.id,
        staff_id=booked.staff_id,
        service_id=service.id,
        customer_email=customer.email,
        customer_phone=customer.phone,
        service_name=service.name,
        start_time=booked.start_time,
        end_time=booked.end_time,
        timezone=business.timezone,  # local dates for analytics and billing
        reminder_times=sorted({r.remind_at for r in reminders}),
        reminders=[
            events.BookedReminder(reminder_id=r.id, remind_at=r.remind_at, type=r.channel)
            for r in reminders
        ],
    )
