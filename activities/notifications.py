"""Notification activities, run by the worker of the `notifications` task queue."""

import uuid

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from apptremind.auth import service as auth_service
from apptremind.db import unit_of_work
from apptremind.notifications.providers import EmailProvider, PermanentDeliveryError
from apptremind.notifications.templates import password_reset_email
from apptremind.settings import Settings

PERMANENT_FAILURE = "PermanentDeliveryError"


class PasswordResetEmailInput(BaseModel):
    token_id: uuid.UUID


class NotificationActivities:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        email: EmailProvider,
        settings: Settings,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.email = email
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
            self.settings.password_reset_page_url,
        )
        try:
            await self.email.send(message, idempotency_key=f"password-reset-{request.token_id}")
        except PermanentDeliveryError as exc:
            raise ApplicationError(str(exc), type=PERMANENT_FAILURE, non_retryable=True) from exc
        return "sent"
