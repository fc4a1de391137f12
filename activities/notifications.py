"""Notification activities, run by the worker of the `notifications` task queue.

Every send attempt is logged with its outcome (sent, skipped, transient failure to be
retried, permanent failure) and the ids an operator needs to find it: appointment, reminder,
workflow and activity attempt. Never the recipient, the customer's name or the message.
"""

import asyncio
import contextlib
import functools
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from apptremind import metrics
from apptremind.auth import service as auth_service
from apptremind.auth.links import (
    forgot_password_url,
    password_reset_url,
    sign_in_url,
    sign_up_confirmation_url,
)
from apptremind.booking import reminder_delivery
from apptremind.booking.reminder_delivery import AppointmentMessage
from apptremind.db import unit_of_work
from apptremind.notifications.contracts import (
    PERMANENT_FAILURE,
    AppointmentChange,
    ChangeNoticeRef,
    ConfirmationRef,
    PasswordResetEmailInput,
    ReminderRef,
    SignUpEmailInput,
)
from apptremind.notifications.deadlines import RECORD_AGAIN_SECONDS, SEND_HEARTBEAT_INTERVAL
from apptremind.notifications.providers import (
    Email,
    EmailProvider,
    PermanentDeliveryError,
    SmsProvider,
    TransientDeliveryError,
)
from apptremind.notifications.templates import (
    cancellation_email,
    confirmation_email,
    existing_account_email,
    password_reset_email,
    reminder_email,
    reminder_sms,
    rescheduled_email,
    sign_up_email,
)
from apptremind.settings import Settings

logger = logging.getLogger("apptremind.notifications")
T = TypeVar("T")


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
        return await _finish_even_if_cancelled(self._send_password_reset_email(request))

    async def _send_password_reset_email(self, request: PasswordResetEmailInput) -> str:
        attempt = SendAttempt.current("password reset email", token_id=request.token_id)
        async with unit_of_work(self.sessionmaker) as session:
            delivery = await auth_service.password_reset_delivery(
                session, request.token_id, self.settings.jwt_secret
            )
        if delivery is None:
            attempt.skipped("token used or expired")
            return "skipped: token used or expired"
        message = password_reset_email(
            delivery.email,
            delivery.token,
            delivery.expires_at,
            password_reset_url(self.settings, delivery.token),
        )
        await self._send_account_email(attempt, message, f"password-reset-{request.token_id}")
        return "sent"

    @activity.defn(name="send_sign_up_email")
    async def send_sign_up_email(self, request: SignUpEmailInput) -> str:
        """Mails the link that confirms a sign-up or, when the address has an account by
        now, says so and points to sign-in and password reset."""
        return await _finish_even_if_cancelled(self._send_sign_up_email(request))

    async def _send_sign_up_email(self, request: SignUpEmailInput) -> str:
        attempt = SendAttempt.current("sign-up email", sign_up_id=request.sign_up_id)
        async with unit_of_work(self.sessionmaker) as session:
            delivery = await auth_service.sign_up_delivery(
                session, request.sign_up_id, self.settings.jwt_secret
            )
        if delivery is None:
            attempt.skipped("sign-up confirmed or expired")
            return "skipped: sign-up confirmed or expired"
        if delivery.has_account:
            message = existing_account_email(
                delivery.email, sign_in_url(self.settings), forgot_password_url(self.settings)
            )
        else:
            message = sign_up_email(
                delivery.email,
                delivery.expires_at,
                sign_up_confirmation_url(self.settings, delivery.token),
            )
        await self._send_account_email(attempt, message, f"sign-up-{request.sign_up_id}")
        return "sent: existing account" if delivery.has_account else "sent"

    async def _send_account_email(
        self, attempt: "SendAttempt", message: Email, idempotency_key: str
    ) -> None:
        """An email about an account (no appointment lock, nothing to record): a permanent
        refusal ends its workflow's retries."""
        attempt.sending()
        with attempt.reported():
            try:
                await self.email.send(message, idempotency_key=idempotency_key)
            except PermanentDeliveryError as exc:
                attempt.failed_for_good(exc)
                raise ApplicationError(
                    redact(str(exc)), type=PERMANENT_FAILURE, non_retryable=True
                ) from None
        attempt.sent()

    @activity.defn(name="send_reminder")
    async def send_reminder(self, ref: ReminderRef) -> str:
        """Sends one reminder at most once; a permanent refusal marks it failed."""
        return await _finish_even_if_cancelled(self._send_reminder(ref))

    async def _send_reminder(self, ref: ReminderRef) -> str:
        # The appointment's row lock, taken by the claim, is held across the provider call
        # until the outcome commits: a cancel or reschedule commits before the claim (nothing
        # is sent) or waits for the send to be recorded. The provider call is bounded to fit
        # one attempt (apptremind/notifications/deadlines.py), and so is the lock.
        attempt = SendAttempt.current("reminder", reminder_id=ref.reminder_id)
        with attempt.reported():
            async with self._recorded_even_if_lost(attempt):
                async with unit_of_work(self.sessionmaker) as session:
                    claimed = await reminder_delivery.claim(
                        session, ref.reminder_id, datetime.now(UTC), self.settings
                    )
                    if claimed is None:
                        attempt.skipped("no longer pending: cancelled, moved, sent or too late")
                        return "skipped"
                    key = f"reminder-{ref.reminder_id}"
                    message = claimed.message
                    attempt.ids.update(
                        appointment_id=message.appointment_id, channel=message.channel
                    )
                    attempt.sending()
                    try:
                        if message.channel == "sms":
                            provider_id = await self.sms.send(
                                reminder_sms(message), idempotency_key=key
                            )
                        else:
                            provider_id = await self.email.send(
                                reminder_email(message), idempotency_key=key
                            )
                    except PermanentDeliveryError as exc:
                        await reminder_delivery.mark_failed(session, claimed, str(exc))
                        attempt.failed_for_good(exc)
                        metrics.record_reminder_failed(
                            self._provider(message.channel), message.channel
                        )
                        return "failed"
                    except Exception:
                        metrics.record_reminder_send_error(
                            self._provider(message.channel), message.channel
                        )
                        raise
                    sent_at = datetime.now(UTC)
                    attempt.delivered(
                        provider_id,
                        functools.partial(
                            reminder_delivery.record_sent_after_lost_claim,
                            message=message,
                            provider_id=provider_id,
                            now=sent_at,
                        ),
                    )
                    await reminder_delivery.mark_sent(session, claimed, provider_id, sent_at)
                    metrics.record_reminder_sent(
                        self._provider(message.channel),
                        message.channel,
                        (sent_at - claimed.reminder.remind_at).total_seconds(),
                    )
        attempt.sent()
        return "sent"

    def _provider(self, channel: str) -> str:
        return self.settings.sms_provider if channel == "sms" else self.settings.email_provider

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
        if ref.change == AppointmentChange.CANCELLED:
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
        return await _finish_even_if_cancelled(
            self._send_notice_once(appointment_id, notice, render)
        )

    async def _send_notice_once(
        self,
        appointment_id: uuid.UUID,
        notice: str,
        render: Callable[[AppointmentMessage, datetime], Email],
    ) -> str:
        # Under the appointment's row lock like a reminder: each notice is sent once, and a
        # confirmation never after the cancellation.
        attempt = SendAttempt.current(notice, appointment_id=appointment_id)
        with attempt.reported():
            async with self._recorded_even_if_lost(attempt):
                async with unit_of_work(self.sessionmaker) as session:
                    claimed = await reminder_delivery.claim_notice(
                        session, appointment_id, notice, self.settings
                    )
                    if claimed is None:
                        attempt.skipped("sent already, no email address, or no longer booked")
                        return "skipped"
                    now = datetime.now(UTC)
                    attempt.sending()
                    try:
                        provider_id = await self.email.send(
                            render(claimed.message, now),
                            idempotency_key=f"{notice}-{appointment_id}",
                        )
                    except PermanentDeliveryError as exc:
                        attempt.failed_for_good(exc)
                        return "failed"
                    attempt.delivered(
                        provider_id,
                        functools.partial(
                            reminder_delivery.mark_notice_sent,
                            claimed=claimed,
                            provider_id=provider_id,
                            now=now,
                        ),
                    )
                    await reminder_delivery.mark_notice_sent(session, claimed, provider_id, now)
        attempt.sent()
        return "sent"

    @contextlib.asynccontextmanager
    async def _recorded_even_if_lost(self, attempt: "SendAttempt") -> AsyncIterator[None]:
        """Once the provider accepted the message, its record commits: when the database
        loses the claim's transaction (restarted, connection dropped), fresh transactions
        record it again for up to RECORD_AGAIN_SECONDS. Failing instead would have the
        activity's retry send the message a second time."""
        try:
            yield
        except Exception as lost:
            if attempt.record is None:
                raise
            attempt.record_lost(lost)
            give_up_at = time.monotonic() + RECORD_AGAIN_SECONDS
            pause = 0.25
            while True:
                try:
                    async with unit_of_work(self.sessionmaker) as session:
                        await attempt.record(session)
                    return
                except Exception:
                    if time.monotonic() + pause > give_up_at:
                        raise
                    await asyncio.sleep(pause)
                    pause = min(pause * 2, 2.0)


@dataclass
class SendAttempt:
    """One attempt at sending one message, as the logs tell it: ids and outcome only."""

    kind: str  # "reminder", "confirmation", "cancellation", "rescheduled-1", ...
    ids: dict[str, Any] = field(default_factory=dict)
    # Once the provider accepted the message: how to record it in a transaction of its own,
    # should the claim's transaction be lost before it commits.
    record: Callable[[AsyncSession], Awaitable[None]] | None = None

    @classmethod
    def current(cls, kind: str, **ids: Any) -> "SendAttempt":
        context: dict[str, Any] = {}
        if activity.in_activity():
            info = activity.info()
            context = {"workflow_id": info.workflow_id, "activity_attempt": info.attempt}
        return cls(kind, {**ids, **context})

    def sending(self) -> None:
        self._log(logging.INFO, "sending")

    def delivered(
        self, provider_id: str, record: Callable[[AsyncSession], Awaitable[None]]
    ) -> None:
        self.ids["provider_id"] = provider_id
        self.record = record

    def record_lost(self, error: Exception) -> None:
        self._log(logging.WARNING, "sent, recording again", **_error_fields(error))

    def sent(self) -> None:
        self._log(logging.INFO, "sent")

    def skipped(self, why: str) -> None:
        self._log(logging.INFO, "skipped", reason=why)

    def failed_for_good(self, error: Exception) -> None:
        self._log(logging.WARNING, "permanent failure", **_error_fields(error))

    @contextlib.contextmanager
    def reported(self) -> Iterator[None]:
        """Logs an attempt that failed for now and hands a provider's refusal to Temporal's
        retry, masked; refusals already decided (ApplicationError) pass as they are."""
        try:
            yield
        except ApplicationError:
            raise
        except TransientDeliveryError as exc:
            self.failed_for_now(exc)
            raise _for_temporal(exc) from None
        except Exception as exc:
            self.failed_for_now(exc)
            raise

    def failed_for_now(self, error: Exception) -> None:
        if self.record is not None:
            # The message is out but its record did not commit: the retry will send it again.
            self._log(logging.ERROR, "sent but not recorded", **_error_fields(error))
            return
        attempt = self.ids.get("activity_attempt")
        self._log(
            logging.WARNING,
            "transient failure",
            retry_attempt=attempt + 1 if isinstance(attempt, int) else None,
            **_error_fields(error),
        )

    def _log(self, level: int, outcome: str, **details: Any) -> None:
        fields = {"send": self.kind, "outcome": outcome, **self.ids, **details}
        fields = {key: value for key, value in fields.items() if value is not None}
        described = " ".join(f"{key}={value}" for key, value in fields.items())
        logger.log(level, "%s %s: %s", self.kind, outcome, described, extra={"fields": fields})


def _for_temporal(error: TransientDeliveryError) -> ApplicationError:
    """The provider's refusal as Temporal records it in the workflow's history and retries
    it: masked like the logs, and benign, so the worker does not log it a second time with
    its traceback (the attempt's own log line above says it all)."""
    return ApplicationError(
        redact(str(error)),
        type=type(error).__name__,
        # The provider's own "retry after" replaces the retry policy's next interval.
        next_retry_delay=error.retry_after,
        category=ApplicationErrorCategory.BENIGN,
    )


def _error_fields(error: Exception) -> dict[str, str]:
    return {"error_type": type(error).__name__, "error": redact(str(error))[:300]}


_EMAIL = re.compile(r"[^\s@'\"<>(),;:]+@[^\s@'\"<>(),;:]+")
_PHONE_LIKE = re.compile(r"\+?\d[\d\s().-]{5,}\d")


def redact(text: str) -> str:
    """Provider errors may quote the recipient (Twilio names the number it refused): the
    logs get the error with email addresses and phone-like numbers masked."""
    text = _EMAIL.sub("<email>", text)
    return _PHONE_LIKE.sub(
        lambda m: "<phone>" if sum(c.isdigit() for c in m.group()) >= 7 else m.group(), text
    )


async def _finish_even_if_cancelled(work: Awaitable[T]) -> T:
    """Runs a claim-send-record unit to its end even if the activity is cancelled meanwhile
    (a worker stopping past its graceful shutdown, the process's event loop closing).
    Cancelled halfway, the claim's transaction would roll back while the message may already
    be out, and the retry would send it again. The unit is bounded by the provider timeout,
    so this delays a stop by that much at most; its outcome is then reported as usual.

    Meanwhile it heartbeats, so Temporal notices a worker that died with the send in flight
    within SEND_HEARTBEAT_TIMEOUT and retries the send elsewhere.
    """
    task = asyncio.ensure_future(work)
    told = False
    while not task.done():
        try:
            await asyncio.wait({task}, timeout=SEND_HEARTBEAT_INTERVAL.total_seconds())
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None:
                current.uncancel()  # deliberately not cancelled: the send ends on its own
            if not told:
                logger.warning("a send in flight is finished before its worker lets it go")
                told = True
        if not task.done() and activity.in_activity():
            activity.heartbeat()
    return task.result()
