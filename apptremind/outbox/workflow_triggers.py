"""Which events start a Temporal workflow, and how: the relay's second delivery path.

Workflow ids are derived from the event's data, so a start repeated after a crash is a no-op.
"""

from dataclasses import dataclass
from typing import Any

from apptremind import events


@dataclass(frozen=True)
class WorkflowStart:
    workflow: str
    workflow_id: str
    arg: dict[str, Any]
    task_queue: str


def has_workflow_trigger(event_type: str) -> bool:
    return event_type in _TRIGGERS


def workflow_start_for(envelope: dict[str, Any], notifications_queue: str) -> WorkflowStart | None:
    trigger = _TRIGGERS.get(envelope["event_type"])
    return trigger(envelope["data"], notifications_queue) if trigger else None


def _password_reset_email(data: dict[str, Any], notifications_queue: str) -> WorkflowStart:
    # Only the token id travels: the email address and the token are looked up by the activity.
    return WorkflowStart(
        workflow="PasswordResetEmailWorkflow",
        workflow_id=f"password-reset-{data['token_id']}",
        arg={"token_id": data["token_id"]},
        task_queue=notifications_queue,
    )


_TRIGGERS = {events.USER_PASSWORD_RESET_REQUESTED: _password_reset_email}
