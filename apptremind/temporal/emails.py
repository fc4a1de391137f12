"""The account email workflows, started once per request: a password reset's token, a
sign-up. Only ids travel: the activities look up the address and derive the token."""

import uuid

from temporalio.client import Client, WorkflowHandle

from apptremind.notifications.contracts import (
    PasswordResetEmailInput,
    PasswordResetEmailResult,
    SignUpEmailInput,
    SignUpEmailResult,
)
from apptremind.temporal.starts import start_once
from workflows.password_reset import PasswordResetEmailWorkflow
from workflows.sign_up import SignUpEmailWorkflow


def password_reset_workflow_id(token_id: uuid.UUID) -> str:
    return f"password-reset-{token_id}"


def sign_up_workflow_id(sign_up_id: uuid.UUID) -> str:
    return f"sign-up-{sign_up_id}"


async def start_password_reset_email(
    client: Client, request: PasswordResetEmailInput, *, task_queue: str
) -> WorkflowHandle[PasswordResetEmailWorkflow, PasswordResetEmailResult]:
    return await start_once(
        client,
        PasswordResetEmailWorkflow.run,
        request,
        workflow_id=password_reset_workflow_id(request.token_id),
        task_queue=task_queue,
    )


async def start_sign_up_email(
    client: Client, request: SignUpEmailInput, *, task_queue: str
) -> WorkflowHandle[SignUpEmailWorkflow, SignUpEmailResult]:
    return await start_once(
        client,
        SignUpEmailWorkflow.run,
        request,
        workflow_id=sign_up_workflow_id(request.sign_up_id),
        task_queue=task_queue,
    )
