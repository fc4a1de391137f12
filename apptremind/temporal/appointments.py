"""AppointmentWorkflow from the outside: started once per appointment (by the relay when
`appointment.booked` is delivered, or by the API or a test first), and changed only through
its updates."""

import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any, cast

from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.common import SearchAttributePair
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from apptremind.booking.contracts import (
    AppointmentSnapshot,
    AppointmentWorkflowInput,
    CancelRequest,
    RescheduleRequest,
)
from apptremind.booking.exceptions import InvalidTransition, NotBookable, SlotTaken
from apptremind.errors import AppError, ServiceUnavailable
from apptremind.outbox.workflow_triggers import appointment_workflow_input
from apptremind.settings import Settings
from apptremind.temporal.starts import WorkflowAlreadyRan, start_once
from workflows.appointment import BUSINESS_ID, AppointmentWorkflow

AppointmentHandle = WorkflowHandle[AppointmentWorkflow, AppointmentSnapshot]

# The workflow's refusals (ApplicationError types) as the API answers them.
_REFUSALS: dict[str, type[AppError]] = {
    "SlotTaken": SlotTaken,
    "NotBookable": NotBookable,
    "InvalidTransition": InvalidTransition,
}


def appointment_workflow_id(appointment_id: uuid.UUID) -> str:
    return f"appointment-{appointment_id}"


async def start_appointment_workflow(
    client: Client, request: AppointmentWorkflowInput, *, task_queue: str
) -> AppointmentHandle:
    """The one way AppointmentWorkflow is started; raises WorkflowAlreadyRan when the
    appointment's workflow finished already."""
    return await start_once(
        client,
        AppointmentWorkflow.run,
        request,
        workflow_id=appointment_workflow_id(request.appointment_id),
        task_queue=task_queue,
        # The workflow keeps its search attributes current; the business is known now.
        search_attributes=[SearchAttributePair(BUSINESS_ID, str(request.business_id))],
    )


def _snapshot(answer: Coroutine[Any, Any, AppointmentSnapshot]) -> AppointmentSnapshot:
    """`@workflow.update(name=...)` types an async handler's answer as its coroutine (the
    SDK's typing); what an update answers is the snapshot itself."""
    return cast(AppointmentSnapshot, answer)


class AppointmentCommands:
    """Changes one appointment through its workflow's updates. The workflow is started first
    if the relay has not started it yet (same id, same input: whichever start comes second
    is a no-op); its refusals become the booking domain's errors (4xx)."""

    def __init__(
        self,
        client: Client,
        settings: Settings,
        appointment_id: uuid.UUID,
        business_id: uuid.UUID,
    ) -> None:
        self.client = client
        self.settings = settings
        self.appointment_id = appointment_id
        self.business_id = business_id

    async def cancel(self, request: CancelRequest) -> AppointmentSnapshot:
        async with self._refusals_as_errors():
            handle = await self._started()
            return _snapshot(await handle.execute_update(AppointmentWorkflow.cancel, request))

    async def reschedule(self, request: RescheduleRequest) -> AppointmentSnapshot:
        async with self._refusals_as_errors():
            handle = await self._started()
            return _snapshot(await handle.execute_update(AppointmentWorkflow.reschedule, request))

    async def complete(self) -> AppointmentSnapshot:
        async with self._refusals_as_errors():
            handle = await self._started()
            return _snapshot(await handle.execute_update(AppointmentWorkflow.complete))

    async def mark_no_show(self) -> AppointmentSnapshot:
        async with self._refusals_as_errors():
            handle = await self._started()
            return _snapshot(await handle.execute_update(AppointmentWorkflow.no_show))

    async def _started(self) -> AppointmentHandle:
        request = appointment_workflow_input(self.appointment_id, self.business_id, self.settings)
        return await start_appointment_workflow(
            self.client, request, task_queue=self.settings.appointments_task_queue
        )

    @contextlib.asynccontextmanager
    async def _refusals_as_errors(self) -> AsyncIterator[None]:
        try:
            yield
        except WorkflowAlreadyRan as exc:
            raise InvalidTransition("This appointment is already closed") from exc
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            if isinstance(cause, ApplicationError):
                raise _REFUSALS.get(cause.type or "", InvalidTransition)(cause.message) from exc
            raise
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:  # finished while we asked
                raise InvalidTransition("This appointment is already closed") from exc
            if exc.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
                raise ServiceUnavailable("The scheduler is unreachable; try again shortly") from exc
            raise


# A change asked of one appointment's workflow: `lambda appointment: appointment.cancel(...)`.
Change = Callable[[AppointmentCommands], Awaitable[object]]
