"""Changing an appointment from the API: always through its workflow, as a Temporal update."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from apptremind.booking.exceptions import InvalidTransition, NotBookable, SlotTaken
from apptremind.errors import AppError, ServiceUnavailable
from apptremind.outbox.workflow_triggers import appointment_workflow_start
from apptremind.settings import Settings

_REFUSALS: dict[str, type[AppError]] = {
    "SlotTaken": SlotTaken,
    "NotBookable": NotBookable,
    "InvalidTransition": InvalidTransition,
}

Update = Callable[[WorkflowHandle[Any, Any]], Awaitable[object]]


async def run_update(
    client: Client,
    settings: Settings,
    appointment_id: uuid.UUID,
    business_id: uuid.UUID,
    update: Update,
) -> None:
    """Runs `update` on the appointment's workflow; its refusals become 4xx errors.

    The workflow is started first if the relay has not started it yet (same id, same input:
    whichever start comes second is a no-op).
    """
    start = appointment_workflow_start(str(appointment_id), str(business_id), settings)
    try:
        handle = await client.start_workflow(
            start.workflow,
            start.arg,
            id=start.workflow_id,
            task_queue=start.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
        await update(handle)
    except WorkflowAlreadyStartedError as exc:
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
