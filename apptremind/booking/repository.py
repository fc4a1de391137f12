import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import column, func, or_, select, table, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from apptremind.booking.contracts import AppointmentStatus, ReminderStatus
from apptremind.booking.models import (
    Appointment,
    AppointmentHistory,
    CustomerNotice,
    HistoryStatus,
    Reminder,
)
from apptremind.booking.reminders import BookedReminder
from apptremind.db import driver_connection


@dataclass(frozen=True)
class LockedAppointment:
    """What sending a reminder reads of the appointment it holds the row lock of."""

    id: uuid.UUID
    business_id: uuid.UUID
    staff_id: uuid.UUID
    status: str
    customer_name: str
    customer_email: str | None
    customer_phone: str | None
    service_name: str
    start_time: datetime
    end_time: datetime


@dataclass(frozen=True)
class LockedReminder:
    id: uuid.UUID
    channel: str
    status: str
    remind_at: datetime


class AppointmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def blocked_ranges(
        self,
        staff_id: uuid.UUID,
        start: datetime,
        end: datetime,
    ) -> list[tuple[datetime, datetime]]:
        """Blocked (buffer-inclusive) ranges of live appointments overlapping [start, end)."""
        rows = await self.session.execute(
            select(Appointment.block_start, Appointment.block_end)
            .where(
                Appointment.staff_id == staff_id,
                Appointment.status != AppointmentStatus.CANCELLED,
                Appointment.block_start < end,
                Appointment.block_end > start,
            )
            .order_by(Appointment.block_start)
        )
        return [(row.block_start, row.block_end) for row in rows]

    async def blocked_ranges_of(
        self, staff_ids: list[uuid.UUID], start: datetime, end: datetime
    ) -> dict[uuid.UUID, list[tuple[datetime, datetime]]]:
        """`blocked_ranges` of several staff members in one query, by staff member."""
        rows = await self.session.execute(
            select(Appointment.staff_id, Appointment.block_start, Appointment.block_end)
            .where(
                Appointment.staff_id.in_(staff_ids),
                Appointment.status != AppointmentStatus.CANCELLED,
                Appointment.block_start < end,
                Appointment.block_end > start,
            )
            .order_by(Appointment.block_start)
        )
        ranges: dict[uuid.UUID, list[tuple[datetime, datetime]]] = {id_: [] for id_ in staff_ids}
        for row in rows:
            ranges[row.staff_id].append((row.block_start, row.block_end))
        return ranges

    async def count_booked_between(
        self, business_id: uuid.UUID, start: datetime, end: datetime
    ) -> int:
        """Appointments booked (created) in [start, end) and not cancelled."""
        count = await self.session.scalar(
            select(func.count())
            .select_from(Appointment)
            .where(
                Appointment.business_id == business_id,
                Appointment.status != AppointmentStatus.CANCELLED,
                Appointment.created_at >= start,
                Appointment.created_at < end,
            )
        )
        return int(count or 0)

    async def lock_monthly_quota(self, business_id: uuid.UUID) -> None:
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"booking-quota:{business_id}"},
        )

    async def lock_customers(self, keys: list[str]) -> None:
        """Transaction-scoped locks on customers' emails and phones, always taken in one
        order so two bookings naming the same two never wait for each other."""
        for key in sorted(keys):
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                {"key": f"booking-customer:{key}"},
            )

    async def count_customer_bookings_since(
        self, business_id: uuid.UUID, email: str | None, phone: str | None, since: datetime
    ) -> tuple[int, int]:
        """Appointments booked since `since` with this email or phone, cancelled ones
        included: (at the business, at all businesses)."""
        matches = []
        if email is not None:
            matches.append(Appointment.customer_email == email)
        if phone is not None:
            matches.append(Appointment.customer_phone == phone)
        if not matches:
            return 0, 0
        row = (
            await self.session.execute(
                select(
                    func.count().filter(Appointment.business_id == business_id),
                    func.count(),
                ).where(Appointment.created_at >= since, or_(*matches))
            )
        ).one()
        return int(row[0]), int(row[1])

    async def insert_booked(
        self,
        appointment: dict[str, Any],
        reminders: list[BookedReminder],
        *,
        savepoint: bool = False,
    ) -> None:
        """A new appointment and its reminders in one statement: the booking hot path.

        With `savepoint`, a refused insert (the exclusion constraint) is rolled back alone and
        the transaction stays usable, so the caller may try another staff member.
        """
        driver = await driver_connection(self.session)
        params = {
            **appointment,
            "reminder_ids": [r.id for r in reminders],
            "remind_at": [r.remind_at for r in reminders],
            "channels": [r.channel for r in reminders],
        }
        if not savepoint:
            await driver.execute(_INSERT_BOOKED, params)
            return
        await driver.execute("SAVEPOINT booking_attempt")
        try:
            await driver.execute(_INSERT_BOOKED, params)
        except Exception:
            await driver.execute("ROLLBACK TO SAVEPOINT booking_attempt")
            raise
        await driver.execute("RELEASE SAVEPOINT booking_attempt")

    async def find_by_idempotency_key(
        self, service_id: uuid.UUID, idempotency_key: str
    ) -> Appointment | None:
        """The appointment booked with this Idempotency-Key at the business offering the
        service (archived or not), with its reminders."""
        services = table("services", column("id"), column("business_id"), schema="business")
        offering = select(services.c.business_id).where(services.c.id == service_id)
        return await self.session.scalar(
            select(Appointment)
            .where(
                Appointment.business_id == offering.scalar_subquery(),
                Appointment.idempotency_key == idempotency_key,
            )
            .options(selectinload(Appointment.reminders))
        )

    async def get(self, business_id: uuid.UUID, appointment_id: uuid.UUID) -> Appointment | None:
        """The business's appointment with its reminders and history."""
        return await self.session.scalar(
            select(Appointment)
            .where(Appointment.id == appointment_id, Appointment.business_id == business_id)
            .options(selectinload(Appointment.reminders), selectinload(Appointment.history))
        )

    async def find(self, appointment_id: uuid.UUID) -> Appointment | None:
        """An appointment of any business: the customer's link names it by id alone."""
        return await self.session.scalar(
            select(Appointment)
            .where(Appointment.id == appointment_id)
            .options(selectinload(Appointment.reminders))
        )

    async def search(
        self,
        business_id: uuid.UUID,
        *,
        start_from: datetime | None,
        start_to: datetime | None,
        staff_id: uuid.UUID | None,
        status: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Appointment], int]:
        conditions = [Appointment.business_id == business_id]
        if start_from is not None:
            conditions.append(Appointment.start_time >= start_from)
        if start_to is not None:
            conditions.append(Appointment.start_time < start_to)
        if staff_id is not None:
            conditions.append(Appointment.staff_id == staff_id)
        if status is not None:
            conditions.append(Appointment.status == status)
        total = await self.session.scalar(
            select(func.count()).select_from(Appointment).where(*conditions)
        )
        rows = await self.session.scalars(
            select(Appointment)
            .where(*conditions)
            .options(selectinload(Appointment.reminders), selectinload(Appointment.history))
            .order_by(Appointment.start_time, Appointment.id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows), int(total or 0)

    async def lock_for_reminder(self, reminder_id: uuid.UUID) -> Appointment | None:
        """The appointment a reminder belongs to, row-locked, with its reminders read after
        the lock was granted: a cancel or reschedule that committed meanwhile is seen."""
        owner = select(Reminder.appointment_id).where(Reminder.id == reminder_id)
        return await self.session.scalar(
            select(Appointment)
            .where(Appointment.id == owner.scalar_subquery())
            .options(selectinload(Appointment.reminders))
            .with_for_update(of=Appointment)
            .execution_options(populate_existing=True)
        )

    async def lock_reminder_row(
        self, reminder_id: uuid.UUID
    ) -> tuple[LockedAppointment, LockedReminder] | None:
        """`lock_for_reminder` as plain rows for the send path: the appointment row-locked,
        then the reminder read by a statement that starts once the lock is granted (a
        cancel or reschedule that committed meanwhile is seen), both in one round trip."""
        driver = await driver_connection(self.session)
        params = {"reminder_id": reminder_id}
        async with driver.pipeline():
            appointment = await driver.execute(_LOCK_REMINDERS_APPOINTMENT, params)
            reminder = await driver.execute(_REMINDER_ROW, params)
        appointment_row, reminder_row = await appointment.fetchone(), await reminder.fetchone()
        if appointment_row is None or reminder_row is None:
            return None
        return LockedAppointment(*appointment_row), LockedReminder(*reminder_row)

    async def set_reminder_outcome(
        self,
        reminder_id: uuid.UUID,
        status: ReminderStatus,
        *,
        sent_at: datetime | None = None,
        provider_id: str | None = None,
        error: str | None = None,
        failure_reason: str | None = None,
    ) -> None:
        """Records a send's outcome on the reminder (sent, or failed with its reasons)."""
        driver = await driver_connection(self.session)
        await driver.execute(
            "UPDATE booking.reminders SET status = %s, sent_at = COALESCE(%s, sent_at),"
            " provider_id = COALESCE(%s, provider_id), error = COALESCE(%s, error),"
            " failure_reason = COALESCE(%s, failure_reason)"
            " WHERE id = %s",
            (status, sent_at, provider_id, error, failure_reason, reminder_id),
        )

    async def add_history(
        self,
        appointment_id: uuid.UUID,
        status: HistoryStatus,
        at: datetime,
        *,
        reason: str | None = None,
        actor: str | None = None,
        from_time: datetime | None = None,
        to_time: datetime | None = None,
    ) -> None:
        """Records one change of the appointment, in the transaction that makes it."""
        self.session.add(
            AppointmentHistory(
                appointment_id=appointment_id,
                status=status,
                at=at,
                reason=reason,
                actor=actor,
                from_time=from_time,
                to_time=to_time,
            )
        )
        await self.session.flush()

    async def notices(self, appointment_id: uuid.UUID) -> list[str]:
        """The customer notices sent about the appointment (confirmation, moves, ...)."""
        rows = await self.session.scalars(
            select(CustomerNotice.notice).where(CustomerNotice.appointment_id == appointment_id)
        )
        return list(rows)

    async def lock(self, appointment_id: uuid.UUID) -> Appointment | None:
        """The appointment with its reminders, row-locked until the transaction ends."""
        return await self.session.scalar(
            select(Appointment)
            .where(Appointment.id == appointment_id)
            .options(selectinload(Appointment.reminders))
            .with_for_update(of=Appointment)
        )


# Data-modifying CTEs always run to completion: the appointment and its first history entry
# are written even when there is no reminder to plan.
_INSERT_BOOKED = """
WITH appointment AS (
    INSERT INTO booking.appointments (
        id, business_id, staff_id, service_id, service_name, duration_minutes, price,
        customer_name, customer_email, customer_phone, note,
        start_time, end_time, block_start, block_end, status, idempotency_key
    ) VALUES (
        %(id)s, %(business_id)s, %(staff_id)s, %(service_id)s, %(service_name)s,
        %(duration_minutes)s, %(price)s,
        %(customer_name)s, %(customer_email)s, %(customer_phone)s, %(note)s,
        %(start_time)s, %(end_time)s, %(block_start)s, %(block_end)s, 'booked',
        %(idempotency_key)s
    )
    RETURNING id, created_at
), history AS (
    INSERT INTO booking.appointment_history (appointment_id, status, at)
    SELECT id, 'booked', created_at FROM appointment
)
INSERT INTO booking.reminders (id, appointment_id, remind_at, channel)
SELECT r.id, appointment.id, r.remind_at, r.channel
  FROM appointment,
       unnest(%(reminder_ids)s::uuid[], %(remind_at)s::timestamptz[], %(channels)s::text[])
           AS r(id, remind_at, channel)
"""

_LOCK_REMINDERS_APPOINTMENT = """
SELECT id, business_id, staff_id, status, customer_name, customer_email, customer_phone,
       service_name, start_time, end_time
  FROM booking.appointments
 WHERE id = (SELECT appointment_id FROM booking.reminders WHERE id = %(reminder_id)s)
   FOR UPDATE
"""
_REMINDER_ROW = """
SELECT id, channel, status, remind_at FROM booking.reminders WHERE id = %(reminder_id)s
"""
