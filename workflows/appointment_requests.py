"""The inputs of AppointmentWorkflow and its handlers.

Kept out of the workflow's module and imported passed through the sandbox: pydantic builds
each model class once per process, not once per workflow instance the worker (re)creates.
"""

import uuid
from datetime import timedelta

from pydantic import AwareDatetime, BaseModel


class AppointmentWorkflowInput(BaseModel):
    appointment_id: uuid.UUID
    business_id: uuid.UUID
    notifications_task_queue: str = "notifications"
    auto_complete_after: timedelta = timedelta(hours=24)


class CancelRequest(BaseModel):
    reason: str | None = None
    cancelled_by: str = "support"


class RescheduleRequest(BaseModel):
    start_time: AwareDatetime
