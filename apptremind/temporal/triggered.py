"""Starting the workflow an outbox event asks for (`outbox/workflow_triggers.py` says which,
with its typed input), through the typed start helper of that workflow."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from temporalio.client import Client

from apptremind.booking.contracts import AppointmentWorkflowInput
from apptremind.notifications.contracts import PasswordResetEmailInput, SignUpEmailInput
from apptremind.outbox.workflow_triggers import WorkflowRequest
from apptremind.settings import Settings
from apptremind.temporal.appointments import appointment_workflow_id, start_appointment_workflow
from apptremind.temporal.emails import (
    password_reset_workflow_id,
    sign_up_workflow_id,
    start_password_reset_email,
    start_sign_up_email,
)
from workflows.appointment import AppointmentWorkflow
from workflows.password_reset import PasswordResetEmailWorkflow
from workflows.sign_up import SignUpEmailWorkflow


@dataclass(frozen=True)
class TriggeredStart:
    workflow: str  # the workflow type, for logs and metrics
    workflow_id: str
    # Starts it, or finds it running; raises WorkflowAlreadyRan when it finished.
    start: Callable[[Client], Awaitable[object]]


def triggered_start(request: WorkflowRequest, settings: Settings) -> TriggeredStart:
    match request:
        case AppointmentWorkflowInput():
            return TriggeredStart(
                AppointmentWorkflow.__name__,
                appointment_workflow_id(request.appointment_id),
                lambda client: start_appointment_workflow(
                    client, request, task_queue=settings.appointments_task_queue
                ),
            )
        case PasswordResetEmailInput():
            return TriggeredStart(
                PasswordResetEmailWorkflow.__name__,
                password_reset_workflow_id(request.token_id),
                lambda client: start_password_reset_email(
                    client, request, task_queue=settings.notifications_task_queue
                ),
            )
        case SignUpEmailInput():
            return TriggeredStart(
                SignUpEmailWorkflow.__name__,
                sign_up_workflow_id(request.sign_up_id),
                lambda client: start_sign_up_email(
                    client, request, task_queue=settings.notifications_task_queue
                ),
            )
