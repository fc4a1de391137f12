"""The appointments worker: AppointmentWorkflow and its data activities."""

import asyncio
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities.appointments import AppointmentActivities
from apptremind.settings import Settings
from workers.bootstrap import run_worker
from workflows.appointment import AppointmentWorkflow

SHUTDOWN_GRACE = timedelta(seconds=10)


def build_worker(
    client: Client,
    sessionmaker: async_sessionmaker[AsyncSession],
    task_queue: str,
    *,
    cached_workflows: int = Settings.model_fields["appointments_worker_cached_workflows"].default,
) -> Worker:
    activities = AppointmentActivities(sessionmaker)
    return Worker(
        client,
        task_queue=task_queue,
        max_cached_workflows=cached_workflows,
        # Data activities are single short transactions; on SIGTERM the ones in flight
        # commit rather than roll back and run again elsewhere.
        graceful_shutdown_timeout=SHUTDOWN_GRACE,
        workflows=[AppointmentWorkflow],
        activities=[
            activities.load,
            activities.cancel,
            activities.reschedule,
            activities.record_outcome,
            activities.abandon_reminder,
        ],
    )


async def run(settings: Settings, stop: asyncio.Event) -> None:
    await run_worker(
        settings,
        stop,
        queue="appointments",
        task_queue=settings.appointments_task_queue,
        metrics_port=settings.appointments_worker_metrics_port,
        build=lambda client, sessionmaker: build_worker(
            client,
            sessionmaker,
            settings.appointments_task_queue,
            cached_workflows=settings.appointments_worker_cached_workflows,
        ),
        described_as="appointments worker",
    )
