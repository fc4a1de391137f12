"""The appointments worker: AppointmentWorkflow and its data activities."""

import asyncio
import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities.appointments import AppointmentActivities
from apptremind.db import create_engine, create_sessionmaker
from apptremind.settings import Settings
from apptremind.telemetry.tracing import configure_tracing, flush_traces, instrument_engine
from apptremind.telemetry.worker_metrics import WorkerTelemetry
from apptremind.temporal.client import connect_temporal_when_up
from workflows.appointment import AppointmentWorkflow

logger = logging.getLogger("apptremind.worker.appointments")

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
    configure_tracing("apptremind-worker-appointments")
    telemetry = WorkerTelemetry(
        "worker-appointments",
        settings.worker_metrics_host,
        settings.appointments_worker_metrics_port,
    )
    await telemetry.start()  # /healthz answers 503 until the worker polls
    engine = create_engine(settings)
    instrument_engine(engine)
    try:
        client = await connect_temporal_when_up(settings, stop, telemetry.runtime)
        if client is None:
            return
        worker = build_worker(
            client,
            create_sessionmaker(engine),
            settings.appointments_task_queue,
            cached_workflows=settings.appointments_worker_cached_workflows,
        )
        telemetry.watch(worker)
        logger.info("appointments worker polling task queue %s", settings.appointments_task_queue)
        async with worker:
            await stop.wait()
            logger.info("appointments worker stopping")
        logger.info("appointments worker stopped")
    finally:
        await telemetry.stop()
        await engine.dispose()
        flush_traces()
