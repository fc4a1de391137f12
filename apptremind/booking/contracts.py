"""What crosses the Temporal boundary for an appointment: AppointmentWorkflow's input, the
requests of its updates and signal, the commands of its data activities and the snapshot
they answer with, and the status values they speak of.

Pydantic and the standard library only: the workflow imports this module through the
sandbox (passed through, so pydantic builds each model once per process), and nothing here
may bring in the database or a service.
"""

import uuid
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, BaseModel


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


# How an appointment that took place ends.
Outcome = Literal[AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW]


# --- the workflow, its updates and its signal ------------------------------------------


class AppointmentWorkflowInput(BaseModel):
    appointment_id: uuid.UUID
    business_id: uuid.UUID
    notifications_task_queue: str = "notifications"
    auto_complete_after: timedelta = timedelta(hours=24)


class CancelRequest(BaseModel):
    """The `cancel_appointment` update's input, and the `cancel` signal's."""

    reason: str | None = None
    cancelled_by: str = "support"


class RescheduleRequest(BaseModel):
    start_time: AwareDatetime


# --- the data activities ----------------------------------------------------------------


class ScheduledReminder(BaseModel):
    reminder_id: uuid.UUID
    remind_at: datetime
    channel: str


class AppointmentSnapshot(BaseModel):
    """What the workflow needs to know: times, status and the reminders still to send."""

    appointment_id: uuid.UUID
    business_id: uuid.UUID
    status: AppointmentStatus
    start_time: datetime
    end_time: datetime
    reminders: list[ScheduledReminder]


class AppointmentRef(BaseModel):
    appointment_id: uuid.UUID


class CancelCommand(BaseModel):
    appointment_id: uuid.UUID
    reason: str | None
    cancelled_by: str


class RescheduleCommand(BaseModel):
    appointment_id: uuid.UUID
    start_time: AwareDatetime
    at: AwareDatetime  # the workflow's clock: the rules (notice, horizon) apply as of then


class OutcomeCommand(BaseModel):
    appointment_id: uuid.UUID
    outcome: Outcome
    at: AwareDatetime


class AbandonReminder(BaseModel):
    reminder_id: uuid.UUID
    reason: str
