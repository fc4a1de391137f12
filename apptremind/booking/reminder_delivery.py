"""Sending one reminder or notice: claimed under the appointment's row lock, so a
cancellation either commits before the claim (and nothing is sent) or waits until the send
is recorded."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.booking.contracts import AppointmentStatus, ReminderStatus
from apptremind.booking.failure_reasons import failure_reason
from apptremind.booking.manage_links import manage_url
from apptremind.booking.models import Appointment, CustomerNotice, Reminder
from apptremind.booking.repository import AppointmentRepository, LockedAppointment
from apptremind.business import service as business_service
from apptremind.db import one_round_trip
from apptremind.events import (
    NotificationFailed,
    NotificationSent,
    ReminderDue,
    ReminderTemplateData,
)
from apptremind.notifications.providers import Attachment
from apptremind.notifications.templates import invitation
from apptremind.outbox.service import emit
from apptremind.settings import Settings

TOO_LATE = "not sent: the appointment had already started"


@dataclass(frozen=True)
class AppointmentMessage:
    """Everything a customer message says about one appointment."""

    appointment_id: uuid.UUID
    business_id: uuid.UUID
    channel: str
    recipient: str
    customer_name: str
    business_name: str
    service_name: str
    staff_name: str
    starts_at: datetime  # in the business's zone
    ends_at: datetime  # in the business's zone
    manage_url: str  # where the customer cancels or reschedules


@dataclass(frozen=True)
class ReminderMessage(AppointmentMessage):
    reminder_id: uuid.UUID


@dataclass(frozen=True)
class ClaimedRow:
    """The claimed reminder as read under its appointment's row lock."""

    id: uuid.UUID
    channel: str
    remind_at: datetime


@dataclass
class ClaimedReminder:
    reminder: ClaimedRow
    message: ReminderMessage


async def claim(
    session: AsyncSession, reminder_id: uuid.UUID, now: datetime, settings: Settings
) -> ClaimedReminder | None:
    """The reminder to send now, or None when it was cancelled, moved or already sent.

    A reminder that comes due only after its appointment began (the workers were down) is
    useless and confusing: it is marked failed instead of sent late.

    The appointment's row lock and the reminder's row, read once the lock is granted, in one
    round trip; the statements and the outbox row go straight to the driver (the send path
    runs at the rate reminders fall due).
    """
    locked = await AppointmentRepository(session).lock_reminder_row(reminder_id)
    if locked is None:
        return None
    appointment, reminder = locked
    if appointment.status != AppointmentStatus.BOOKED or reminder.status != ReminderStatus.PENDING:
        return None
    channel = reminder.channel
    recipient = appointment.customer_email if channel == "email" else appointment.customer_phone
    if recipient is None:
        return None
    details = await _message(session, appointment, channel, recipient, settings)
    claimed = ClaimedReminder(
        ClaimedRow(reminder.id, channel, reminder.remind_at),
        ReminderMessage(**vars(details), reminder_id=reminder.id),
    )
    if now >= appointment.start_time:
        await mark_failed(session, claimed, TOO_LATE)
        return None
    await emit(
        session,
        ReminderDue(
            appointment_id=appointment.id,
            reminder_id=reminder.id,
            type=channel,
            recipient=recipient,
            template_data=ReminderTemplateData(
                business_name=details.business_name,
                service_name=appointment.service_name,
                staff_name=details.staff_name,
                start_time=details.starts_at,
            ),
        ),
        key=appointment.business_id,
    )
    return claimed


async def abandon(session: AsyncSession, reminder_id: uuid.UUID, reason: str) -> bool:
    """Marks a reminder that could not be delivered in time as failed, if still pending."""
    reminder = await session.get(Reminder, reminder_id)
    appointment = (
        await AppointmentRepository(session).lock(reminder.appointment_id) if reminder else None
    )
    reminder = (
        next((r for r in appointment.reminders if r.id == reminder_id), None)
        if appointment
        else None
    )
    if appointment is None or reminder is None or reminder.status != ReminderStatus.PENDING:
        return False
    reminder.status = ReminderStatus.FAILED
    reminder.error = reason[:2000]
    reminder.failure_reason = failure_reason(reminder.channel, reason)
    await session.flush()
    await emit(
        session,
        NotificationFailed(
            appointment_id=appointment.id,
            business_id=appointment.business_id,
            reminder_id=reminder.id,
            channel=reminder.channel,
            error_reason=reason,
        ),
    )
    return True


CONFIRMATION = "confirmation"
CANCELLATION = "cancellation"


def rescheduled_notice(sequence: int) -> str:
    """The notice of an appointment's n-th move: each move is told once."""
    return f"rescheduled-{sequence}"


@dataclass
class ClaimedNotice:
    notice: str
    message: AppointmentMessage
    status: str  # the appointment's, when claimed


async def claim_notice(
    session: AsyncSession, appointment_id: uuid.UUID, notice: str, settings: Settings
) -> ClaimedNotice | None:
    """A message about the appointment to email now, or None: no email address, sent
    already, or a confirmation or new time for an appointment no longer booked."""
    appointment = await AppointmentRepository(session).lock(appointment_id)
    if appointment is None or appointment.customer_email is None:
        return None
    if notice != CANCELLATION and appointment.status != AppointmentStatus.BOOKED:
        return None
    if await session.get(CustomerNotice, (appointment_id, notice)) is not None:
        return None
    message = await _message(session, appointment, "email", appointment.customer_email, settings)
    return ClaimedNotice(notice, message, appointment.status)


async def mark_notice_sent(
    session: AsyncSession, claimed: ClaimedNotice, provider_id: str, now: datetime
) -> None:
    if await session.get(CustomerNotice, (claimed.message.appointment_id, claimed.notice)):
        return  # recorded already: the claim's own transaction committed after all
    session.add(
        CustomerNotice(
            appointment_id=claimed.message.appointment_id,
            notice=claimed.notice,
            provider_id=provider_id,
            sent_at=now,
        )
    )
    await session.flush()


async def calendar_invitation(
    session: AsyncSession, appointment: Appointment, settings: Settings, now: datetime
) -> Attachment:
    """The appointment's calendar file as the customer's emails carry it: its SEQUENCE counts
    the moves they were told of, so a download replaces the copy from an email."""
    notices = await AppointmentRepository(session).notices(appointment.id)
    moves = sum(1 for notice in notices if notice.startswith("rescheduled-"))
    recipient = appointment.customer_email or appointment.customer_phone or ""
    message = await _message(session, appointment, "email", recipient, settings)
    if appointment.status == AppointmentStatus.CANCELLED:
        return invitation(message, now, sequence=moves + 1, cancelled=True)
    return invitation(message, now, sequence=moves)


async def _message(
    session: AsyncSession,
    appointment: "Appointment | LockedAppointment",
    channel: str,
    recipient: str,
    settings: Settings,
) -> AppointmentMessage:
    sender = await business_service.message_sender(
        session, appointment.business_id, appointment.staff_id
    )
    return AppointmentMessage(
        appointment_id=appointment.id,
        business_id=appointment.business_id,
        channel=channel,
        recipient=recipient,
        customer_name=appointment.customer_name,
        business_name=sender.business_name,
        service_name=appointment.service_name,
        staff_name=sender.staff_name,
        starts_at=appointment.start_time.astimezone(sender.zone),
        ends_at=appointment.end_time.astimezone(sender.zone),
        manage_url=manage_url(settings, appointment.id, appointment.end_time),
    )


async def mark_sent(
    session: AsyncSession, claimed: ClaimedReminder, provider_id: str, now: datetime
) -> None:
    await _record_sent(session, claimed.message, provider_id, now)


async def record_sent_after_lost_claim(
    session: AsyncSession, message: ReminderMessage, provider_id: str, now: datetime
) -> None:
    """Records a reminder the provider accepted after the transaction that claimed it was
    lost (the database went away before the commit). The message is out, so it is recorded
    as sent whatever a change committed since says; recorded already, nothing changes."""
    locked = await AppointmentRepository(session).lock_reminder_row(message.reminder_id)
    if locked is not None and locked[1].status != ReminderStatus.SENT:
        await _record_sent(session, message, provider_id, now)


async def _record_sent(
    session: AsyncSession, message: ReminderMessage, provider_id: str, now: datetime
) -> None:
    # The reminder's new state and its event in one round trip.
    async with one_round_trip(session):
        await AppointmentRepository(session).set_reminder_outcome(
            message.reminder_id, ReminderStatus.SENT, sent_at=now, provider_id=provider_id
        )
        await emit(
            session,
            NotificationSent(
                appointment_id=message.appointment_id,
                business_id=message.business_id,
                reminder_id=message.reminder_id,
                channel=message.channel,
                provider_id=provider_id,
            ),
        )


async def mark_failed(session: AsyncSession, claimed: ClaimedReminder, reason: str) -> None:
    async with one_round_trip(session):
        await AppointmentRepository(session).set_reminder_outcome(
            claimed.reminder.id,
            ReminderStatus.FAILED,
            error=reason[:2000],
            failure_reason=failure_reason(claimed.reminder.channel, reason),
        )
        await emit(
            session,
            NotificationFailed(
                appointment_id=claimed.message.appointment_id,
                business_id=claimed.message.business_id,
                reminder_id=claimed.message.reminder_id,
                channel=claimed.message.channel,
                error_reason=reason,
            ),
        )
