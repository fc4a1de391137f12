"""AppointmentWorkflow: one per appointment, the only scheduler of its reminders.

It sleeps on a cancellable timer until each reminder is due and sends it on the
notifications task queue; cancel, reschedule, complete and no-show arrive as updates (the
API) or, for cancel, as a plain signal (support staff in the Temporal CLI or Web UI). All of
them change the data through the same activities, so every path ends in the same state.
"""

import asyncio
import contextlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TypeVar

from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.types import MethodAsyncSingleParam

# Passed through the sandbox: the models and activity classes are built once per process.
with workflow.unsafe.imports_passed_through():
    import uuid

    from activities.appointments import AppointmentActivities
    from activities.notifications import NotificationActivities
    from apptremind.booking.contracts import (
        AbandonReminder,
        AppointmentRef,
        AppointmentSnapshot,
        AppointmentStatus,
        AppointmentWorkflowInput,
        CancelCommand,
        CancelRequest,
        Outcome,
        OutcomeCommand,
        RescheduleCommand,
        RescheduleRequest,
        ScheduledReminder,
    )
    from apptremind.notifications.contracts import (
        AppointmentChange,
        ChangeNoticeRef,
        ConfirmationRef,
        ReminderRef,
    )
    from apptremind.notifications.deadlines import SEND_ATTEMPT_TIMEOUT, SEND_HEARTBEAT_TIMEOUT

BUSINESS_ID = SearchAttributeKey.for_keyword("BusinessId")
APPOINTMENT_START = SearchAttributeKey.for_datetime("AppointmentStart")
APPOINTMENT_STATUS = SearchAttributeKey.for_keyword("AppointmentStatus")

DATA_RETRY = RetryPolicy(maximum_interval=timedelta(seconds=30))
SEND_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=5),
)
# How refusals name each outcome: "… cannot be marked as no-show before it starts".
_BECOMING: dict[Outcome, str] = {
    AppointmentStatus.COMPLETED: "completed",
    AppointmentStatus.NO_SHOW: "marked as no-show",
}
# A data activity: one command in, the appointment as it left it out.
Command = TypeVar("Command", bound=BaseModel)
DataActivity = MethodAsyncSingleParam[AppointmentActivities, Command, AppointmentSnapshot]


@workflow.defn
class AppointmentWorkflow:
    @workflow.init
    def __init__(self, request: AppointmentWorkflowInput) -> None:
        # Set before any handler runs: an update may arrive in the very first activation.
        self._request = request
        self._appointment: AppointmentSnapshot | None = None
        self._sent: set[uuid.UUID] = set()
        self._changes = 0  # bumped by every handler, to wake the timer
        self._moves = 0  # reschedules so far: each is told to the customer once
        self._notices: list[asyncio.Task[None]] = []
        self._lock = asyncio.Lock()
        self._asked = 0  # changes asked for (signals, updates) and not yet done

    @workflow.run
    async def run(self, request: AppointmentWorkflowInput) -> AppointmentSnapshot:
        self._apply(
            await self._change(
                AppointmentActivities.load,
                AppointmentRef(appointment_id=request.appointment_id),
            )
        )
        # Histories recorded before confirmations existed replay without one.
        confirmation = (
            asyncio.create_task(self._confirm())
            if workflow.patched("booking-confirmation")
            and self._current.status == AppointmentStatus.BOOKED
            else None
        )
        while self._current.status == AppointmentStatus.BOOKED:
            due = self._next_reminder()
            wake_at = due.remind_at if due else self._current.end_time + request.auto_complete_after
            if await self._sleep_until(wake_at):
                continue  # something changed: plan again
            if self._asked and workflow.patched("changes-before-due-reminders"):
                # A change asked for before the timer fired goes first: it may have come
                # in the same activation (the worker was down) or still be running its
                # activity. Then plan again: a cancelled or moved reminder is not sent.
                await workflow.wait_condition(lambda: self._asked == 0)
                continue
            if due is not None:
                await self._send(due)
            else:
                await self._close(AppointmentStatus.COMPLETED)
        # A confirmation still retrying ends at its next attempt: it finds the appointment
        # no longer booked and sends nothing.
        await asyncio.gather(*([confirmation] if confirmation else []), *self._notices)
        await workflow.wait_condition(workflow.all_handlers_finished)
        await asyncio.gather(*self._notices)
        return self._current

    # --- updates: the API's way in, answered with the resulting appointment -------------

    @workflow.update(name="cancel_appointment")
    async def cancel(self, request: CancelRequest) -> AppointmentSnapshot:
        with self._asking():
            return await self._cancel(request)

    @cancel.validator
    def _validate_cancel(self, request: CancelRequest) -> None:
        self._require_booked("cancelled")

    @workflow.update(name="reschedule_appointment")
    async def reschedule(self, request: RescheduleRequest) -> AppointmentSnapshot:
        with self._asking():
            await self._loaded()
            async with self._lock:
                self._require_booked("rescheduled")
                moved = self._apply(
                    await self._change(
                        AppointmentActivities.reschedule,
                        RescheduleCommand(
                            appointment_id=self._request.appointment_id,
                            start_time=request.start_time,
                            at=workflow.now(),
                        ),
                    )
                )
                self._moves += 1
                self._tell_customer(AppointmentChange.RESCHEDULED, sequence=self._moves)
                return moved

    @reschedule.validator
    def _validate_reschedule(self, request: RescheduleRequest) -> None:
        self._require_booked("rescheduled")
        if request.start_time <= workflow.now():
            raise ApplicationError("The new time is in the past", type="NotBookable")

    @workflow.update(name="complete_appointment")
    async def complete(self) -> AppointmentSnapshot:
        with self._asking():
            return await self._close(AppointmentStatus.COMPLETED)

    @complete.validator
    def _validate_complete(self) -> None:
        self._require_started(_BECOMING[AppointmentStatus.COMPLETED])

    @workflow.update(name="mark_no_show")
    async def no_show(self) -> AppointmentSnapshot:
        with self._asking():
            return await self._close(AppointmentStatus.NO_SHOW)

    @no_show.validator
    def _validate_no_show(self) -> None:
        self._require_started(_BECOMING[AppointmentStatus.NO_SHOW])

    # --- the support path: a plain signal, e.g. from `temporal workflow signal` ---------

    @workflow.signal(name="cancel")
    async def cancel_signal(self, request: CancelRequest | None = None) -> None:
        """A payload that is not a CancelRequest is dropped (and logged) by the SDK."""
        with self._asking():
            await self._cancel_by_signal(request or CancelRequest())

    async def _cancel_by_signal(self, request: CancelRequest) -> None:
        if self._appointment is not None and self._appointment.status != AppointmentStatus.BOOKED:
            workflow.logger.warning(
                "ignored a cancel signal: the appointment is %s", self._appointment.status
            )
            return
        await self._cancel(request)

    @workflow.query
    def appointment(self) -> AppointmentSnapshot | None:
        return self._appointment

    # --- the steps ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _asking(self) -> Iterator[None]:
        """Counts a change from the handler's first step (before it awaits anything), so a
        reminder timer firing meanwhile waits for it instead of racing it."""
        self._asked += 1
        try:
            yield
        finally:
            self._asked -= 1

    @property
    def _current(self) -> AppointmentSnapshot:
        assert self._appointment is not None
        return self._appointment

    def _apply(self, snapshot: AppointmentSnapshot) -> AppointmentSnapshot:
        self._appointment = snapshot
        self._changes += 1
        workflow.upsert_search_attributes(
            [
                BUSINESS_ID.value_set(str(snapshot.business_id)),
                APPOINTMENT_START.value_set(snapshot.start_time),
                APPOINTMENT_STATUS.value_set(snapshot.status),
            ]
        )
        return snapshot

    async def _change(
        self, activity: DataActivity[Command], command: Command
    ) -> AppointmentSnapshot:
        """Runs a data activity; a business refusal (taken slot, invalid transition) is
        raised as it is, so an update's caller sees its type."""
        try:
            return await workflow.execute_activity_method(
                activity,
                command,
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=DATA_RETRY,
            )
        except ActivityError as error:
            refusal = error.cause
            if isinstance(refusal, ApplicationError) and refusal.non_retryable:
                raise ApplicationError(refusal.message, type=refusal.type) from error
            raise

    def _next_reminder(self) -> ScheduledReminder | None:
        waiting = [r for r in self._current.reminders if r.reminder_id not in self._sent]
        return min(waiting, key=lambda r: r.remind_at, default=None)

    async def _sleep_until(self, wake_at: datetime) -> bool:
        """Sleeps until `wake_at`; True when a handler changed the appointment first."""
        seen = self._changes
        delay = wake_at - workflow.now()
        if delay <= timedelta(0):
            return False
        try:
            await workflow.wait_condition(lambda: self._changes != seen, timeout=delay)
        except TimeoutError:
            return False
        return True

    async def _confirm(self) -> None:
        """Emails the booking confirmation; retried until the appointment starts at most."""
        try:
            await workflow.execute_activity_method(
                NotificationActivities.send_confirmation,
                ConfirmationRef(appointment_id=self._request.appointment_id),
                task_queue=self._request.notifications_task_queue,
                start_to_close_timeout=SEND_ATTEMPT_TIMEOUT,
                heartbeat_timeout=SEND_HEARTBEAT_TIMEOUT,
                schedule_to_close_timeout=self._until_start(),
                retry_policy=SEND_RETRY,
            )
        except ActivityError as error:
            workflow.logger.warning("no booking confirmation sent: %s", error.cause or error)

    async def _send(self, reminder: ScheduledReminder) -> None:
        try:
            await workflow.execute_activity_method(
                NotificationActivities.send_reminder,
                ReminderRef(reminder_id=reminder.reminder_id),
                task_queue=self._request.notifications_task_queue,
                start_to_close_timeout=SEND_ATTEMPT_TIMEOUT,
                heartbeat_timeout=SEND_HEARTBEAT_TIMEOUT,
                schedule_to_close_timeout=self._until_start(),
                retry_policy=SEND_RETRY,
            )
        except ActivityError as error:
            # Retried until the appointment began without success: record it and move on,
            # so the appointment can still be completed, cancelled or marked.
            await workflow.execute_activity_method(
                AppointmentActivities.abandon_reminder,
                AbandonReminder(
                    reminder_id=reminder.reminder_id,
                    reason=f"not delivered before the appointment started: {error.cause or error}",
                ),
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=DATA_RETRY,
            )
        self._sent.add(reminder.reminder_id)

    def _until_start(self) -> timedelta:
        # A reminder or confirmation is useless once the appointment has begun: stop then.
        return max(self._current.start_time - workflow.now(), timedelta(minutes=1))

    async def _cancel(self, request: CancelRequest) -> AppointmentSnapshot:
        await self._loaded()
        async with self._lock:
            self._require_booked("cancelled")
            cancelled = self._apply(
                await self._change(
                    AppointmentActivities.cancel,
                    CancelCommand(
                        appointment_id=self._request.appointment_id,
                        reason=request.reason,
                        cancelled_by=request.cancelled_by,
                    ),
                )
            )
            self._tell_customer(AppointmentChange.CANCELLED, sequence=self._moves + 1)
            return cancelled

    def _tell_customer(self, change: AppointmentChange, sequence: int) -> None:
        """Emails the change in the background; histories from before notices replay
        without one."""
        if workflow.patched("change-notices"):
            self._notices.append(asyncio.create_task(self._send_notice(change, sequence)))

    async def _send_notice(self, change: AppointmentChange, sequence: int) -> None:
        try:
            await workflow.execute_activity_method(
                NotificationActivities.send_change_notice,
                ChangeNoticeRef(
                    appointment_id=self._request.appointment_id, change=change, sequence=sequence
                ),
                task_queue=self._request.notifications_task_queue,
                start_to_close_timeout=SEND_ATTEMPT_TIMEOUT,
                heartbeat_timeout=SEND_HEARTBEAT_TIMEOUT,
                schedule_to_close_timeout=max(self._until_start(), timedelta(hours=1)),
                retry_policy=SEND_RETRY,
            )
        except ActivityError as error:
            workflow.logger.warning("customer not told of the %s: %s", change, error.cause or error)

    async def _close(self, outcome: Outcome) -> AppointmentSnapshot:
        await self._loaded()
        async with self._lock:
            if self._current.status == outcome:
                return self._current
            self._require_started(_BECOMING[outcome])
            return self._apply(
                await self._change(
                    AppointmentActivities.record_outcome,
                    OutcomeCommand(
                        appointment_id=self._request.appointment_id,
                        outcome=outcome,
                        at=workflow.now(),
                    ),
                )
            )

    async def _loaded(self) -> None:
        await workflow.wait_condition(lambda: self._appointment is not None)

    def _require_booked(self, becoming: str) -> None:
        if self._appointment is not None and self._appointment.status != AppointmentStatus.BOOKED:
            raise ApplicationError(
                f"A {self._appointment.status} appointment cannot be {becoming}",
                type="InvalidTransition",
            )

    def _require_started(self, becoming: str) -> None:
        """Refuses an outcome before the start. Until the appointment is loaded (a workflow
        started by this very update) the validator lets it through to the handler, which
        checks again once loaded."""
        self._require_booked(becoming)
        if self._appointment is not None and workflow.now() < self._appointment.start_time:
            raise ApplicationError(
                f"An appointment cannot be {becoming} before it starts", type="InvalidTransition"
            )
