"""A bare workflow's worker as a process of its own, as the platform's workers are:
`python -m bench.bare_worker ADDRESS TASK_QUEUE METRICS_PORT [ROLE]` serves, until SIGTERM,
with the appointments worker's sticky cache and the SDK's Prometheus metrics on METRICS_PORT
(the benchmarks count its workflow tasks there). ROLE:

- `both` (the default): BareReminder and its activity on TASK_QUEUE;
- `workflows`: BareSplitReminder on TASK_QUEUE, its activity left to another process;
- `activities`: that activity, on TASK_QUEUE + ACTIVITY_QUEUE_SUFFIX, polled as the
  notification worker polls its queue.
"""

import asyncio
import signal
import sys

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import Worker

from apptremind.settings import Settings
from bench.bare_workflow import ACTIVITY_QUEUE_SUFFIX, BareReminder, BareSplitReminder, bare_noop
from workers.notifications import ACTIVITY_POLLS


def build(client: Client, task_queue: str, role: str) -> Worker:
    cached = Settings().appointments_worker_cached_workflows
    if role == "both":
        return Worker(
            client, task_queue=task_queue, workflows=[BareReminder], activities=[bare_noop],
            max_concurrent_activities=200, max_cached_workflows=cached,
        )  # fmt: skip
    if role == "workflows":
        return Worker(
            client, task_queue=task_queue, workflows=[BareSplitReminder],
            max_cached_workflows=cached,
        )  # fmt: skip
    if role == "activities":
        return Worker(
            client, task_queue=task_queue + ACTIVITY_QUEUE_SUFFIX, activities=[bare_noop],
            max_concurrent_activities=200, max_concurrent_activity_task_polls=ACTIVITY_POLLS,
        )  # fmt: skip
    raise SystemExit(f"unknown role {role!r}: both, workflows or activities")


async def serve(address: str, task_queue: str, metrics_port: int, role: str) -> None:
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
    async with build(client, task_queue, role):
        await stop.wait()


if __name__ == "__main__":
    role = sys.argv[4] if len(sys.argv) > 4 else "both"
    asyncio.run(serve(sys.argv[1], sys.argv[2], int(sys.argv[3]), role))
