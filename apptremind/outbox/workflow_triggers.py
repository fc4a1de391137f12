"""Which events start a Temporal workflow, and how: the relay's second delivery path.

Workflow ids are derived from the event's data, so a start repeated after a crash is a no-op.
"""

from dataclasses import dataclass
from typing import Any

from apptremind import events
from apptremind.settings import Settings


@dataclass(frozen=True)
class WorkflowStart:
    workflow: str
    workflow_id: str
    arg: dict[str, Any]
    task_queue: str


def has_workflow_trigger(event_type: str) -> bool:
    return event_type in _TRIGGERS


def workflow_start_for(envelope: dict[str, Any], settings: Settings) -> WorkflowStart | None:
    trigger = _TRIGGERS.get(envelope["event_type"])
    return trigger(envelope["data"], settings) if trigger else None


def _appointment(data: dict[str, Any], settings: Settings) -> WorkflowStart:
    return appointment_workflow_start(data["appointment_id"], data["business_id"], settings)


def appointment_workflow_start(
    appointment_id: str, business_id: str, settings: Settings
) -> WorkflowStart:
    # Ids only: the workflow reads the appointment through an activity, so no personal
    # data lands in workflow inputs, ids or search attributes.
    return WorkflowStart(
        workflow="AppointmentWorkflow",
        workflow_id=f"appointment-{appointment_id}",
        arg={
            "appointment_id": appointment_id,
            "business_id": business_id,
            "notifications_task_queue": settings.notifications_task_queue,
            "auto_complete_after": settings.auto_complete_after_minutes * 60,
        },
        task_queue=settings.appointments_task_queue,
    )


def _password_reset_email(data: dict[str, Any], settings: Settings) -> WorkflowStart:
    # Only the token id travels: the email address and the token are looked up by the activity.
    return WorkflowStart(
        workflow="PasswordResetEmailWorkflow",
        workflow_id=f"password-reset-{data['token_id']}",
        arg={"token_id": data["token_id"]},
        task_queue=settings.notifications_task_queue,
    )


def _sign_up_email(data: dict[str, Any], settings: Settings) -> WorkflowStart:
    # Only the sign-up's id travels: the activity looks up the address and derives the token.
    return WorkflowStart(
        workflow="SignUpEmailWorkflow",
        workflow_id=f"sign-up-{data['sign_up_id']}",
        arg={"sign_up_id": data["sign_up_id"]},
        task_queue=settings.notifications_task_queue,
    )


_TRIGGERS = {
    events.USER_PASSWORD_RESET_REQUESTED: _password_reset_email,
    events.USER_SIGN_UP_REQUESTED: _sign_up_email,
    events.APPOINTMENT_BOOKED: _appointment,
}
