"""Delivers a sign-up's email, retrying until the provider accepts it or the link expires."""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.notifications import NotificationActivities
    from apptremind.notifications.contracts import (
        PERMANENT_FAILURE,
        SignUpEmailInput,
        SignUpEmailResult,
    )
    from apptremind.notifications.deadlines import SEND_ATTEMPT_TIMEOUT, SEND_HEARTBEAT_TIMEOUT

# The confirmation link is valid for a day; past that a delivery is worthless.
DELIVERY_WINDOW = timedelta(hours=24)


@workflow.defn
class SignUpEmailWorkflow:
    @workflow.run
    async def run(self, request: SignUpEmailInput) -> SignUpEmailResult:
        outcome = await workflow.execute_activity_method(
            NotificationActivities.send_sign_up_email,
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
        return SignUpEmailResult(outcome=outcome)
