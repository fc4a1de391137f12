"""A consumer's counters, served as Prometheus text on /metrics next to /healthz."""

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiokafka.structs import TopicPartition

logger = logging.getLogger("apptremind.consumers")

# A consumer that has not polled the broker for this long is reported unhealthy.
STALE_AFTER_SECONDS = 60.0


@dataclass
class ConsumerMetrics:
    consumer: str
    processed: int = 0  # events applied for the first time
    duplicates: int = 0  # events skipped because their event_id was already processed
    dead_lettered: int = 0
    batches: int = 0
    retries: int = 0
    last_poll: float = field(default_factory=time.monotonic)
    running: bool = False
    # next offset to read and the broker's high watermark, per assigned partition
    lag_source: Callable[[], dict[TopicPartition, int]] = field(default=dict)

    def healthy(self) -> bool:
        return self.running and time.monotonic() - self.last_poll < STALE_AFTER_SECONDS

    def render(self) -> str:
        label = f'consumer="{self.consumer}"'
        lines = []
        for name, kind, help_text, value in (
            ("processed_total", "counter", "Events applied once", self.processed),
            ("duplicates_total", "counter", "Redelivered events skipped", self.duplicates),
            ("dead_lettered_total", "counter", "Messages sent to the DLQ", self.dead_lettered),
            ("batches_total", "counter", "Batches committed", self.batches),
            ("retries_total", "counter", "Batch attempts that failed and retried", self.retries),
        ):
            metric = f"apptremind_consumer_{name}"
            lines += [
                f"# HELP {metric} {help_text}",
                f"# TYPE {metric} {kind}",
                f"{metric}{{{label}}} {value}",
            ]
        lines += [
            "# HELP apptremind_consumer_lag Messages on the broker not yet committed",
            "# TYPE apptremind_consumer_lag gauge",
        ]
        for tp, lag in sorted(self.lag_source().items()):
            lines.append(
                f'apptremind_consumer_lag{{{label},topic="{tp.topic}",partition="{tp.partition}"}}'
                f" {lag}"
            )
        return "\n".join(lines) + "\n"


class MetricsServer:
    """A minimal HTTP/1.1 responder: GET /healthz and GET /metrics, nothing else."""

    def __init__(self, metrics: ConsumerMetrics, host: str, port: int) -> None:
        self.metrics = metrics
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        logger.info(
            "%s metrics on http://%s:%d/metrics", self.metrics.consumer, self.host, self.port
        )

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            method, path = (request.split(b" ", 2) + [b"", b""])[:2]
            status, content_type, body = self._answer(method.decode(), path.decode())
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
            pass
        finally:
            writer.close()

    def _answer(self, method: str, path: str) -> tuple[str, str, bytes]:
        path = path.split("?", 1)[0]
        if method != "GET":
            return "405 Method Not Allowed", "text/plain", b"method not allowed\n"
        if path == "/healthz":
            if self.metrics.healthy():
                return "200 OK", "application/json", b'{"status":"ok"}'
            return "503 Service Unavailable", "application/json", b'{"status":"unavailable"}'
        if path == "/metrics":
            return "200 OK", "text/plain; version=0.0.4", self.metrics.render().encode()
        return "404 Not Found", "text/plain", b"not found\n"
