"""Appointment activities: the workflow's only way to read and change appointment data."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from apptremind.booking import lifecycle, reminder_delivery
from apptremind.booking.contracts import (
    AbandonReminder,
    AppointmentRef,
    AppointmentSnapshot,
    CancelCommand,
    OutcomeCommand,
    RescheduleCommand,
)
from apptremind.db import unit_of_work
from apptremind.errors import AppError

T = TypeVar("T")


class AppointmentActivities:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker

    @activity.defn(name="load_appointment")
    async def load(self, ref: AppointmentRef) -> AppointmentSnapshot:
        return await self._in_transaction(lambda s: lifecycle.snapshot(s, ref.appointment_id))

    @activity.defn(name="cancel_appointment")
    async def cancel(self, command: CancelCommand) -> AppointmentSnapshot:
        return await self._in_transaction(
            lambda s: lifecycle.cancel(
                s, command.appointment_id, command.reason, command.cancelled_by
            )
        )

    @activity.defn(name="reschedule_appointment")
    async def reschedule(self, command: RescheduleCommand) -> AppointmentSnapshot:
        return await self._in_transaction(
            lambda s: lifecycle.reschedule(
                s, command.appointment_id, command.start_time, command.at
            )
        )

    @activity.defn(name="record_outcome")
    async def record_outcome(self, command: OutcomeCommand) -> AppointmentSnapshot:
        return await self._in_transaction(
            lambda s: lifecycle.record_outcome(
                s, command.appointment_id, command.outcome, command.at
            )
        )

    @activity.defn(name="abandon_reminder")
    async def abandon_reminder(self, command: AbandonReminder) -> bool:
        """Records a reminder the notification worker could not deliver in time."""
        return await self._in_transaction(
            lambda s: reminder_delivery.abandon(s, command.reminder_id, command.reason)
        )

    async def _in_transaction(self, change: Callable[[AsyncSession], Awaitable[T]]) -> T:
        try:
            async with unit_of_work(self.sessionmaker) as session:
                return await change(session)
        except AppError as exc:
            # A business refusal (taken slot, invalid transition) will not heal by retrying.
            raise ApplicationError(
                exc.detail, exc.status, type=type(exc).__name__, non_retryable=True
            ) from exc
