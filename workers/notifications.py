"""The notification worker: a Temporal worker on the `notifications` task queue."""

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities.notifications import NotificationActivities
from apptremind.notifications.deadlines import worker_shutdown_grace
from apptremind.notifications.providers import build_email_provider, build_sms_provider
from apptremind.settings import Settings
from workers.bootstrap import run_worker
from workflows.password_reset import PasswordResetEmailWorkflow
from workflows.sign_up import SignUpEmailWorkflow

ACTIVITY_POLLS = 20


def build_worker(
    client: Client,
    activities: NotificationActivities,
    task_queue: str,
) -> Worker:
    return Worker(
        client,
        task_queue=task_queue,
        # On SIGTERM the worker stops polling and lets the sends in flight finish and record
        # their outcome: longer than one provider call plus its bookkeeping (deadlines.py).
        graceful_shutdown_timeout=worker_shutdown_grace(
            activities.settings.provider_timeout_seconds
        ),
        # Sends come from workflows on another task queue, so none is handed over eagerly:
        # each is fetched by a poll, and the SDK's 5 polls capped a burst at what 5 round
        # trips to the server a time allow.
        max_concurrent_activity_task_polls=ACTIVITY_POLLS,
        workflows=[PasswordResetEmailWorkflow, SignUpEmailWorkflow],
        activities=[
            activities.send_password_reset_email,
            activities.send_sign_up_email,
            activities.send_reminder,
            activities.send_confirmation,
            activities.send_change_notice,
        ],
    )


async def run(settings: Settings, stop: asyncio.Event) -> None:
    def build(client: Client, sessionmaker: async_sessionmaker[AsyncSession]) -> Worker:
        activities = NotificationActivities(
            sessionmaker, build_email_provider(settings), build_sms_provider(settings), settings
        )
        return build_worker(client, activities, settings.notifications_task_queue)

    await run_worker(
        settings,
        stop,
        queue="notifications",
        task_queue=settings.notifications_task_queue,
        metrics_port=settings.notifications_worker_metrics_port,
        build=build,
        described_as="notification worker",
        stopping="sends in flight finish first",
    )
