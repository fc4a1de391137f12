"""The notification worker: a Temporal worker on the `notifications` task queue."""

import asyncio
import logging

from temporalio.client import Client
from temporalio.worker import Worker

from activities.notifications import NotificationActivities
from apptremind.db import create_engine, create_sessionmaker
from apptremind.notifications.deadlines import worker_shutdown_grace
from apptremind.notifications.providers import build_email_provider, build_sms_provider
from apptremind.settings import Settings
from apptremind.telemetry.tracing import configure_tracing, flush_traces, instrument_engine
from apptremind.telemetry.worker_metrics import WorkerTelemetry
from apptremind.temporal.client import connect_temporal_when_up
from workflows.password_reset import PasswordResetEmailWorkflow
from workflows.sign_up import SignUpEmailWorkflow

logger = logging.getLogger("apptremind.worker.notifications")

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
    configure_tracing("apptremind-worker-notifications")
    telemetry = WorkerTelemetry(
        "worker-notifications",
        settings.worker_metrics_host,
        settings.notifications_worker_metrics_port,
    )
    await telemetry.start()  # /healthz answers 503 until the worker polls
    engine = create_engine(settings)
    instrument_engine(engine)
    try:
        client = await connect_temporal_when_up(settings, stop, telemetry.runtime)
        if client is None:
            return
        activities = NotificationActivities(
            create_sessionmaker(engine),
            build_email_provider(settings),
            build_sms_provider(settings),
            settings,
        )
        worker = build_worker(client, activities, settings.notifications_task_queue)
        telemetry.watch(worker)
        logger.info("notification worker polling task queue %s", settings.notifications_task_queue)
        async with worker:
            await stop.wait()
            logger.info("notification worker stopping: sends in flight finish first")
        logger.info("notification worker stopped")
    finally:
        await telemetry.stop()
        await engine.dispose()
        flush_traces()
