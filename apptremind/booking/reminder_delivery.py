"""Sending one reminder: claimed under the appointment's row lock, so a cancellation either
commits before the claim (and nothing is sent) or waits until the send is recorded."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from apptremind import events
from apptremind.booking.models import Reminder
from apptremind.booking.repository import AppointmentRepository
from apptremind.business import service as business_service
from apptremind.outbox.service import emit


@dataclass(frozen=True)
class ReminderMessage:
    reminder_id: uuid.UUID
    appointment_id: uuid.UUID
    business_id: uuid.UUID
    channel: str
    recipient: str
    customer_name: str
    business_name: str
    service_name: str
    staff_name: str
    starts_at: datetime  # in the business's zone


@dataclass
class ClaimedReminder:
    reminder: Reminder
    message: ReminderMessage


async def claim(session: AsyncSession, reminder_id: uuid.UUID) -> ClaimedReminder | None:
    """The reminder to send now, or None when it was cancelled, moved or already sent."""
    repo = AppointmentRepository(session)
    reminder = await session.get(Reminder, reminder_id)
    if reminder is None:
        return None
    appointment = await repo.lock(reminder.appointment_id)  # the lock cancel also takes
    reminder = (
        next((r for r in appointment.reminders if r.id == reminder_id), None)
        if appointment
        else None
    )
    if appointment is None or reminder is None:
        return None
    if appointment.status != "booked" or reminder.status != "pending":
        return None
    recipient = (
        appointment.customer_email if reminder.channel == "email" else appointment.customer_phone
    )
    if recipient is None:
        return None
    business = await business_service.get_business(session, appointment.business_id)
    staff = await business_service.get_staff(session, appointment.business_id, appointment.staff_id)
    message = ReminderMessage(
        reminder_id=reminder.id,
        appointment_id=appointment.id,
        business_id=appointment.business_id,
        channel=reminder.channel,
        recipient=recipient,
        customer_name=appointment.customer_name,
        business_name=business.name,
        service_name=appointment.service_name,
        staff_name=staff.name,
        starts_at=appointment.start_time.astimezone(business.zone),
    )
    await emit(
        session,
        events.REMINDER_DUE,
        appointment.business_id,
        {
            "appointment_id": str(appointment.id),
            "reminder_id": str(reminder.id),
            "type": reminder.channel,
            "recipient": recipient,
            "template_data": {
                "business_name": business.name,
                "service_name": appointment.service_name,
                "staff_name": staff.name,
                "start_time": message.starts_at.isoformat(),
            },
        },
    )
    return ClaimedReminder(reminder, message)


async def mark_sent(
    session: AsyncSession, claimed: ClaimedReminder, provider_id: str, now: datetime
) -> None:
    claimed.reminder.status = "sent"
    claimed.reminder.sent_at = now
    claimed.reminder.provider_id = provider_id
    await session.flush()
    await emit(
        session,
        events.NOTIFICATION_SENT,
        claimed.message.business_id,
        {
            "appointment_id": str(claimed.message.appointment_id),
            "business_id": str(claimed.message.business_id),
            "reminder_id": str(claimed.message.reminder_id),
            "channel": claimed.message.channel,
            "provider_id": provider_id,
        },
    )


async def mark_failed(session: AsyncSession, claimed: ClaimedReminder, reason: str) -> None:
    claimed.reminder.status = "failed"
    claimed.reminder.error = reason[:2000]
    await session.flush()
    await emit(
        session,
        events.NOTIFICATION_FAILED,
        claimed.message.business_id,
        {
            "appointment_id": str(claimed.message.appointment_id),
            "business_id": str(claimed.message.business_id),
            "reminder_id": str(claimed.message.reminder_id),
            "channel": claimed.message.channel,
            "error_reason": reason,
        },
    )
