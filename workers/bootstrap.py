"""What every Temporal worker process does around its worker: traces, its /healthz and
/metrics port, the database engine, waiting for Temporal while it is down, and polling until
SIGTERM/SIGINT, then a graceful stop."""

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from apptremind.db import create_engine, create_sessionmaker
from apptremind.settings import Settings
from apptremind.telemetry.tracing import configure_tracing, flush_traces, instrument_engine
from apptremind.temporal.client import connect_temporal_when_up
from apptremind.temporal.log_context import log_activity_context
from workers.telemetry import WorkerTelemetry

BuildWorker = Callable[[Client, async_sessionmaker[AsyncSession]], Worker]


async def run_worker(
    settings: Settings,
    stop: asyncio.Event,
    *,
    queue: str,  # "appointments", "notifications": names the process, its logger and traces
    task_queue: str,
    metrics_port: int,
    build: BuildWorker,
    described_as: str,  # "appointments worker", as the log lines name it
    stopping: str = "",  # what stopping means, for the log
) -> None:
    logger = logging.getLogger(f"apptremind.worker.{queue}")
    log_activity_context()
    configure_tracing(f"apptremind-worker-{queue}")
    telemetry = WorkerTelemetry(f"worker-{queue}", settings.worker_metrics_host, metrics_port)
    await telemetry.start()  # /healthz answers 503 until the worker polls
    engine = create_engine(settings)
    instrument_engine(engine)
    try:
        client = await connect_temporal_when_up(settings, stop, telemetry.runtime)
        if client is None:
            return
        worker = build(client, create_sessionmaker(engine))
        telemetry.watch(worker)
        logger.info("%s polling task queue %s", described_as, task_queue)
        async with worker:
            await stop.wait()
            logger.info("%s stopping%s", described_as, f": {stopping}" if stopping else "")
        logger.info("%s stopped", described_as)
    finally:
        await telemetry.stop()
        await engine.dispose()
        flush_traces()
