"""Appointment state changes. Only the appointment's workflow calls these (via activities),
so every path — API update, support signal, auto-completion — changes the data the same way.
"""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.billing.plans import plan_for
from apptremind.booking import service as booking_service
from apptremind.booking.availability import blocked_range
from apptremind.booking.contracts import (
    AppointmentSnapshot,
    AppointmentStatus,
    Outcome,
    ReminderStatus,
    ScheduledReminder,
)
from apptremind.booking.exceptions import AppointmentNotFound, InvalidTransition
from apptremind.booking.models import Appointment, HistoryStatus, Reminder
from apptremind.booking.reminders import plan_reminders
from apptremind.booking.repository import AppointmentRepository
from apptremind.events import (
    AppointmentCancelled,
    AppointmentCompleted,
    AppointmentNoShow,
    AppointmentRescheduled,
)
from apptremind.outbox.service import emit


def snapshot_of(appointment: Appointment) -> AppointmentSnapshot:
    return AppointmentSnapshot(
        appointment_id=appointment.id,
        business_id=appointment.business_id,
        status=appointment.status,
        start_time=appointment.start_time,
        end_time=appointment.end_time,
        reminders=[
            ScheduledReminder(reminder_id=r.id, remind_at=r.remind_at, channel=r.channel)
            for r in appointment.reminders
            if r.status == ReminderStatus.PENDING
        ],
    )


async def snapshot(session: AsyncSession, appointment_id: uuid.UUID) -> AppointmentSnapshot:
    return snapshot_of(await _locked(session, appointment_id))


async def cancel(
    session: AsyncSession, appointment_id: uuid.UUID, reason: str | None, cancelled_by: str
) -> AppointmentSnapshot:
    """Cancels the appointment and its pending reminders; a repeated cancel changes nothing."""
    appointment = await _locked(session, appointment_id)
    if appointment.status == AppointmentStatus.CANCELLED:
        return snapshot_of(appointment)
    _require_booked(appointment, "cancel")
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancel_reason = reason
    _cancel_pending(appointment)
    await session.flush()
    await AppointmentRepository(session).add_history(
        appointment.id,
        HistoryStatus.CANCELLED,
        datetime.now(UTC),
        reason=reason,
        actor=cancelled_by,
    )
    await emit(
        session,
        AppointmentCancelled(
            appointment_id=appointment.id,
            business_id=appointment.business_id,
            reason=reason,
            cancelled_by=cancelled_by,
        ),
    )
    return snapshot_of(appointment)


async def reschedule(
    session: AsyncSession, appointment_id: uuid.UUID, new_start: datetime, now: datetime
) -> AppointmentSnapshot:
    """Moves the appointment to a free slot and plans its reminders anew, in one transaction."""
    appointment = await _locked(session, appointment_id)
    _require_booked(appointment, "reschedule")
    booking_service.ensure_within_reach(new_start, now)
    # The customer booked the service: it can still be moved after the owner archived it.
    context = await booking_service.booking_context(
        session,
        appointment.staff_id,
        appointment.service_id,
        *booking_service.dates_around(new_start),
        include_archived=True,
    )
    booking_service.ensure_offered(context, new_start, now)
    old_start = appointment.start_time
    appointment.start_time = new_start
    appointment.end_time = new_start + timedelta(minutes=appointment.duration_minutes)
    appointment.block_start, appointment.block_end = blocked_range(new_start, context.rules)
    _cancel_pending(appointment)
    planned = plan_reminders(
        new_start,
        context.business.reminder_offsets_minutes,
        plan_for(context.business.subscription_tier).deliverable_channels(
            context.business.reminder_channels
        ),
        has_email=appointment.customer_email is not None,
        has_phone=appointment.customer_phone is not None,
        now=now,
    )
    appointment.reminders.extend(
        Reminder(id=uuid.uuid4(), remind_at=p.remind_at, channel=p.channel) for p in planned
    )
    await booking_service.flush_guarded(session)
    if new_start != old_start:
        await AppointmentRepository(session).add_history(
            appointment.id, HistoryStatus.RESCHEDULED, now, from_time=old_start, to_time=new_start
        )
    moved = snapshot_of(appointment)
    await emit(
        session,
        AppointmentRescheduled(
            appointment_id=appointment.id,
            business_id=appointment.business_id,
            previous_start_time=old_start,
            start_time=appointment.start_time,
            end_time=appointment.end_time,
            timezone=context.business.timezone,
            reminder_times=sorted({r.remind_at for r in moved.reminders}),
        ),
    )
    return moved


async def record_outcome(
    session: AsyncSession, appointment_id: uuid.UUID, outcome: Outcome, now: datetime
) -> AppointmentSnapshot:
    appointment = await _locked(session, appointment_id)
    if appointment.status == outcome:
        return snapshot_of(appointment)
    _require_booked(appointment, outcome.replace("_", "-"))
    if now < appointment.start_time:
        raise InvalidTransition("An appointment cannot be closed before it starts")
    appointment.status = outcome
    _cancel_pending(appointment)
    await session.flush()
    await AppointmentRepository(session).add_history(appointment.id, HistoryStatus(outcome), now)
    closed = AppointmentCompleted if outcome == AppointmentStatus.COMPLETED else AppointmentNoShow
    await emit(session, closed(appointment_id=appointment.id, business_id=appointment.business_id))
    return snapshot_of(appointment)


async def _locked(session: AsyncSession, appointment_id: uuid.UUID) -> Appointment:
    appointment = await AppointmentRepository(session).lock(appointment_id)
    if appointment is None:
        raise AppointmentNotFound()
    return appointment


def _require_booked(appointment: Appointment, action: str) -> None:
    if appointment.status != AppointmentStatus.BOOKED:
        raise InvalidTransition(f"A {appointment.status} appointment cannot {action}")


def _cancel_pending(appointment: Appointment) -> None:
    for reminder in appointment.reminders:
        if reminder.status == ReminderStatus.PENDING:
            reminder.status = ReminderStatus.CANCELLED
