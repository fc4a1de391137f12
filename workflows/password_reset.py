"""Delivers a password-reset email, retrying until the provider accepts it or the token expires."""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.notifications import NotificationActivities
    from apptremind.notifications.contracts import (
        PERMANENT_FAILURE,
        PasswordResetEmailInput,
        PasswordResetEmailResult,
    )
    from apptremind.notifications.deadlines import SEND_ATTEMPT_TIMEOUT, SEND_HEARTBEAT_TIMEOUT

# The token is valid for an hour; past that a delivery is worthless.
DELIVERY_WINDOW = timedelta(hours=1)


@workflow.defn
class PasswordResetEmailWorkflow:
    @workflow.run
    async def run(self, request: PasswordResetEmailInput) -> PasswordResetEmailResult:
        outcome = await workflow.execute_activity_method(
            NotificationActivities.send_password_reset_email,
            request,
            schedule_to_close_timeout=DELIVERY_WINDOW,
            start_to_close_timeout=SEND_ATTEMPT_TIMEOUT,
            heartbeat_timeout=SEND_HEARTBEAT_TIMEOUT,
            retry_policy=RetryPolicy(
                initial_interval=timedelta(seconds=1),
                backoff_coefficient=2.0,
                maximum_interval=timedelta(minutes=5),
                non_retryable_error_types=[PERMANENT_FAILURE],
            ),
        )
        return PasswordResetEmailResult(outcome=outcome)
