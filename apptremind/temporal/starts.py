"""How every workflow of the platform is started: one id per thing it is about, so a start
repeated (the relay after a crash, the API before the relay) is a no-op."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel
from temporalio.client import Client, WorkflowHandle
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError

Input = TypeVar("Input", bound=BaseModel)
Result = TypeVar("Result")
Workflow = TypeVar("Workflow")


class WorkflowAlreadyRan(Exception):
    """The workflow with this id finished already: it is never run again for the same id."""


async def start_once(
    client: Client,
    run: Callable[[Workflow, Input], Awaitable[Result]],
    request: Input,
    *,
    workflow_id: str,
    task_queue: str,
    search_attributes: list[SearchAttributePair[Any]] | None = None,
) -> WorkflowHandle[Workflow, Result]:
    """Starts the workflow, or hands over the one already running under this id; raises
    WorkflowAlreadyRan when it finished."""
    try:
        return await client.start_workflow(
            run,
            request,
            id=workflow_id,
            task_queue=task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=TypedSearchAttributes(search_attributes)
            if search_attributes
            else None,
        )
    except WorkflowAlreadyStartedError as exc:
        raise WorkflowAlreadyRan(workflow_id) from exc
