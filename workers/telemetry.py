"""/healthz and /metrics of a Temporal worker process.

The SDK measures the worker itself (task schedule-to-start latency, poll and execution
latencies, activity and workflow task failures, sticky cache size, hits and misses, slots)
and serves them in Prometheus format, but only at `/metrics` on an address of its own and
with no health endpoint. So the worker's port (APPOINTMENTS_WORKER_METRICS_PORT,
NOTIFICATIONS_WORKER_METRICS_PORT) is served by `MetricsServer`: `/healthz` answers from the
worker's state, `/metrics` is the process's own metrics (reminder sends, lateness) followed
by the SDK's page, which the SDK serves on a loopback port picked at start and never
published. One scrape target per worker, one health check.
"""

import logging
import socket

import httpx
from prometheus_client import CollectorRegistry
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import Worker

from apptremind.metrics import MetricsServer, component_registry, exposition

logger = logging.getLogger("apptremind.worker.metrics")

SDK_SCRAPE_TIMEOUT_SECONDS = 2.0


class WorkerTelemetry:
    """The metrics endpoint of one worker process; off when `port` is 0."""

    def __init__(self, process: str, host: str, port: int) -> None:
        self.process = process
        self.worker: Worker | None = None
        self.runtime: Runtime | None = None
        self.sdk_port: int | None = None
        self._registry: CollectorRegistry = component_registry()
        self.server = MetricsServer(self, host, port)
        if port:
            self.sdk_port = _free_loopback_port()
            self.runtime = Runtime(
                telemetry=TelemetryConfig(
                    metrics=PrometheusConfig(
                        bind_address=f"127.0.0.1:{self.sdk_port}",
                        # Durations in seconds and counters named *_total, as Prometheus
                        # metrics are elsewhere on the platform.
                        durations_as_seconds=True,
                        counters_total_suffix=True,
                    ),
                    global_tags={"process": process},
                )
            )

    @property
    def name(self) -> str:
        return self.process

    def watch(self, worker: Worker) -> None:
        self.worker = worker

    def healthy(self) -> bool:
        """Polling its task queue: connected to Temporal, started and not shut down."""
        return self.worker is not None and self.worker.is_running and not self.worker.is_shutdown

    async def render(self) -> str:
        return exposition(self._registry) + await self._sdk_metrics()

    async def start(self) -> None:
        await self.server.start_or_log()

    async def stop(self) -> None:
        await self.server.stop()

    async def _sdk_metrics(self) -> str:
        if self.sdk_port is None:
            return ""
        url = f"http://127.0.0.1:{self.sdk_port}/metrics"
        try:
            async with httpx.AsyncClient(timeout=SDK_SCRAPE_TIMEOUT_SECONDS) as http:
                answer = await http.get(url)
                answer.raise_for_status()
        except httpx.HTTPError as exc:
            logger.warning("the Temporal SDK's metrics did not answer: %s", exc)
            return ""
        return answer.text


def _free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
