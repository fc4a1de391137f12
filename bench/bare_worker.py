"""The bare workflow's worker as a process of its own, as the platform's workers are:
`python -m bench.bare_worker ADDRESS TASK_QUEUE METRICS_PORT` serves BareReminder with the
appointments worker's sticky cache and the SDK's Prometheus metrics on METRICS_PORT (the
benchmark counts its workflow tasks there), until SIGTERM."""

import asyncio
import signal
import sys

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import Worker

from apptremind.settings import Settings
from bench.bare_workflow import BareReminder, bare_noop


async def serve(address: str, task_queue: str, metrics_port: int) -> None:
    runtime = Runtime(
        telemetry=TelemetryConfig(
            metrics=PrometheusConfig(
                bind_address=f"127.0.0.1:{metrics_port}",
                durations_as_seconds=True,
                counters_total_suffix=True,
            )
        )
    )
    client = await Client.connect(address, data_converter=pydantic_data_converter, runtime=runtime)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with Worker(
        client,
        task_queue=task_queue,
        workflows=[BareReminder],
        activities=[bare_noop],
        max_concurrent_activities=200,
        max_cached_workflows=Settings().appointments_worker_cached_workflows,
    ):
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], sys.argv[2], int(sys.argv[3])))
