"""Which events start a Temporal workflow, and with which typed input: the relay's second
delivery path (the workflows are started through `apptremind.temporal.triggered`).

Workflow ids are derived from the input, so a start repeated after a crash is a no-op.
"""

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from apptremind import events
from apptremind.booking.contracts import AppointmentWorkflowInput
from apptremind.notifications.contracts import PasswordResetEmailInput, SignUpEmailInput
from apptremind.settings import Settings

WorkflowRequest = AppointmentWorkflowInput | PasswordResetEmailInput | SignUpEmailInput


def has_workflow_trigger(event_type: str) -> bool:
    return event_type in _TRIGGERS


def workflow_request_for(envelope: dict[str, Any], settings: Settings) -> WorkflowRequest | None:
    trigger = _TRIGGERS.get(envelope["event_type"])
    return trigger(envelope["data"], settings) if trigger else None


def appointment_workflow_input(
    appointment_id: uuid.UUID, business_id: uuid.UUID, settings: Settings
) -> AppointmentWorkflowInput:
    # Ids only: the workflow reads the appointment through an activity, so no personal
    # data lands in workflow inputs, ids or search attributes.
    return AppointmentWorkflowInput(
        appointment_id=appointment_id,
        business_id=business_id,
        notifications_task_queue=settings.notifications_task_queue,
        auto_complete_after=timedelta(minutes=settings.auto_complete_after_minutes),
    )


def _appointment(data: dict[str, Any], settings: Settings) -> AppointmentWorkflowInput:
    booked = events.AppointmentBooked.model_validate(data)
    return appointment_workflow_input(booked.appointment_id, booked.business_id, settings)


def _password_reset_email(data: dict[str, Any], settings: Settings) -> PasswordResetEmailInput:
    # Only the token id travels: the email address and the token are looked up by the activity.
    requested = events.PasswordResetRequested.model_validate(data)
    return PasswordResetEmailInput(token_id=requested.token_id)


def _sign_up_email(data: dict[str, Any], settings: Settings) -> SignUpEmailInput:
    # Only the sign-up's id travels: the activity looks up the address and derives the token.
    requested = events.SignUpRequested.model_validate(data)
    return SignUpEmailInput(sign_up_id=requested.sign_up_id)


_TRIGGERS: dict[str, Callable[[dict[str, Any], Settings], WorkflowRequest]] = {
    events.USER_PASSWORD_RESET_REQUESTED: _password_reset_email,
    events.USER_SIGN_UP_REQUESTED: _sign_up_email,
    events.APPOINTMENT_BOOKED: _appointment,
}
