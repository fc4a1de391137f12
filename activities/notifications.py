"""Notification activities, run by the worker of the `notifications` task queue."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from apptremind.auth import service as auth_service
from apptremind.auth.links import password_reset_url
from apptremind.booking import reminder_delivery
from apptremind.booking.reminder_delivery import AppointmentMessage
from apptremind.db import unit_of_work
from apptremind.notifications.providers import (
    Email,
    EmailProvider,
    PermanentDeliveryError,
    SmsProvider,
)
from apptremind.notifications.templates import (
    cancellation_email,
    confirmation_email,
    password_reset_email,
    reminder_email,
    reminder_sms,
    rescheduled_email,
)
from apptremind.settings import Settings

PERMANENT_FAILURE = "PermanentDeliveryError"


class PasswordResetEmailInput(BaseModel):
    token_id: uuid.UUID


class ReminderRef(BaseModel):
    reminder_id: uuid.UUID


class ConfirmationRef(BaseModel):
    appointment_id: uuid.UUID


class ChangeNoticeRef(BaseModel):
    appointment_id: uuid.UUID
    change: Literal["cancelled", "rescheduled"]
    sequence: int  # how many times the appointment had changed: the invitation's SEQUENCE


class NotificationActivities:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        email: EmailProvider,
        sms: SmsProvider,
        settings: Settings,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.email = email
        self.sms = sms
        self.settings = settings

    @activity.defn(name="send_password_reset_email")
    async def send_password_reset_email(self, request: PasswordResetEmailInput) -> str:
        async with unit_of_work(self.sessionmaker) as session:
            delivery = await auth_service.password_reset_delivery(
                session, request.token_id, self.settings.jwt_secret
            )
        if delivery is None:
            return "skipped: token used or expired"
        message = password_reset_email(
            delivery.email,
            delivery.token,
            delivery.expires_at,
            password_reset_url(self.settings, delivery.token),
        )
        try:
            await self.email.send(message, idempotency_key=f"password-reset-{request.token_id}")
        except PermanentDeliveryError as exc:
            raise ApplicationError(str(exc), type=PERMANENT_FAILURE, non_retryable=True) from exc
        return "sent"

    @activity.defn(name="send_reminder")
    async def send_reminder(self, ref: ReminderRef) -> str:
        """Sends one reminder at most once; a permanent refusal marks it failed."""
        async with unit_of_work(self.sessionmaker) as session:
            claimed = await reminder_delivery.claim(
                session, ref.reminder_id, datetime.now(UTC), self.settings
            )
            if claimed is None:
                return "skipped"
            key = f"reminder-{ref.reminder_id}"
            message = claimed.message
            try:
                if message.channel == "sms":
                    provider_id = await self.sms.send(reminder_sms(message), idempotency_key=key)
                else:
                    provider_id = await self.email.send(
                        reminder_email(message), idempotency_key=key
                    )
            except PermanentDeliveryError as exc:
                await reminder_delivery.mark_failed(session, claimed, str(exc))
                return "failed"
            await reminder_delivery.mark_sent(session, claimed, provider_id, datetime.now(UTC))
        return "sent"

    @activity.defn(name="send_confirmation")
    async def send_confirmation(self, ref: ConfirmationRef) -> str:
        """Emails the booking confirmation with its calendar invitation, at most once."""
        return await self._send_notice(
            ref.appointment_id,
            reminder_delivery.CONFIRMATION,
            lambda message, now: confirmation_email(message, now),
        )

    @activity.defn(name="send_change_notice")
    async def send_change_notice(self, ref: ChangeNoticeRef) -> str:
        """Tells the customer their appointment was cancelled or moved, at most once each;
        the calendar attachment removes or updates the event."""
        if ref.change == "cancelled":
            notice = reminder_delivery.CANCELLATION
            return await self._send_notice(
                ref.appointment_id,
                notice,
                lambda message, now: cancellation_email(message, now, ref.sequence),
            )
        return await self._send_notice(
            ref.appointment_id,
            reminder_delivery.rescheduled_notice(ref.sequence),
            lambda message, now: rescheduled_email(message, now, ref.sequence),
        )

    async def _send_notice(
        self,
        appointment_id: uuid.UUID,
        notice: str,
        render: Callable[[AppointmentMessage, datetime], Email],
    ) -> str:
        async with unit_of_work(self.sessionmaker) as session:
            claimed = await reminder_delivery.claim_notice(
                session, appointment_id, notice, self.settings
            )
            if claimed is None:
                return "skipped"
            now = datetime.now(UTC)
            try:
                provider_id = await self.email.send(
                    render(claimed.message, now), idempotency_key=f"{notice}-{appointment_id}"
                )
            except PermanentDeliveryError as exc:
                activity.logger.warning("%s for %s refused: %s", notice, appointment_id, exc)
                return "failed"
            await reminder_delivery.mark_notice_sent(session, claimed, provider_id, now)
        return "sent"
