"""Prometheus metrics of the platform's processes, on `prometheus-client`.

Each process exposes one `/metrics` page: the API on its own port (api/app.py), the relay,
the consumers and the Temporal workers on a port of their own through `MetricsServer`, a
tiny HTTP responder that also answers `/healthz` from what the process knows of itself.

What a process measures lives in two places:
- counters and histograms of the process as a whole (bookings, reminder sends, HTTP
  requests, workflow starts) are module-level metrics in prometheus-client's default
  registry, defined below;
- a component that tests run many of in one process (a relay, a consumer) keeps its
  figures on its own object and exposes them through a collector of its own
  (`component_registry`), so two of them never mix their numbers.
"""

import asyncio
import inspect
import logging
import os
from collections.abc import Awaitable, Iterable
from typing import Protocol

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

logger = logging.getLogger("apptremind.metrics")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# Counters without their `_created` twin series: half the samples, nothing a panel uses.
disable_created_metrics()

# --- Business metrics --------------------------------------------------------------------

BOOKINGS_CREATED = Counter(
    "apptremind_bookings_created",
    "Appointments booked, counted once their appointment.booked event reached Kafka",
)
REMINDERS_SENT = Counter(
    "apptremind_reminders_sent",
    "Reminders a provider accepted",
    ["provider", "channel"],
)
REMINDERS_FAILED = Counter(
    "apptremind_reminders_failed",
    "Reminders a provider refused for good (the reminder is marked failed)",
    ["provider", "channel"],
)
REMINDER_SEND_ERRORS = Counter(
    "apptremind_reminder_send_errors",
    "Reminder send attempts that failed for now and are retried by Temporal",
    ["provider", "channel"],
)
REMINDER_LATENESS = Histogram(
    "apptremind_reminder_lateness_seconds",
    "How long after its remind_at a reminder was accepted by the provider (sent_at - remind_at)",
    ["channel"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
)


def record_reminder_sent(provider: str, channel: str, lateness_seconds: float) -> None:
    REMINDERS_SENT.labels(provider, channel).inc()
    REMINDER_LATENESS.labels(channel).observe(max(lateness_seconds, 0.0))


def record_reminder_failed(provider: str, channel: str) -> None:
    REMINDERS_FAILED.labels(provider, channel).inc()


def record_reminder_send_error(provider: str, channel: str) -> None:
    REMINDER_SEND_ERRORS.labels(provider, channel).inc()


# --- The API ------------------------------------------------------------------------------

HTTP_REQUESTS = Counter(
    "apptremind_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "apptremind_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method and route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
HTTP_REQUESTS_IN_PROGRESS = Gauge(
    "apptremind_http_requests_in_progress",
    "Requests being answered now",
    ["method"],
    multiprocess_mode="livesum",
)


# --- Exposition --------------------------------------------------------------------------


class _ProcessWide(Collector):
    """Everything in the default registry (process, GC and the module-level metrics above),
    for a registry of one component. No `describe`: registering it checks no names."""

    def collect(self) -> Iterable:  # type: ignore[type-arg]
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            # Several API processes share the port: one page adds up all of their files.
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
            yield from registry.collect()
        else:
            yield from REGISTRY.collect()


def component_registry(*collectors: Collector) -> CollectorRegistry:
    """A registry with the given components' collectors and the process-wide metrics."""
    registry = CollectorRegistry()
    for collector in collectors:
        registry.register(collector)
    registry.register(_ProcessWide())
    return registry


def process_registry() -> CollectorRegistry:
    """The process-wide metrics alone (the API's page)."""
    return component_registry()


def exposition(registry: CollectorRegistry) -> str:
    return generate_latest(registry).decode()


class MetricsSource(Protocol):
    @property
    def name(self) -> str:
        """Names the process in logs."""
        ...

    def healthy(self) -> bool: ...

    def render(self) -> str | Awaitable[str]:
        """The Prometheus text exposition format (version 0.0.4)."""
        ...


class MetricsServer:
    """A minimal HTTP/1.1 responder: GET /healthz and GET /metrics, nothing else.

    Port 0 serves nothing: the process runs without a metrics endpoint (the tests' default,
    where many processes of one kind run side by side)."""

    def __init__(self, metrics: MetricsSource, host: str, port: int) -> None:
        self.metrics = metrics
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        if not self.port:
            return
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        logger.info("%s metrics on http://%s:%d/metrics", self.metrics.name, self.host, self.port)

    async def start_or_log(self) -> None:
        """Starts serving; a port in use is logged and the process carries on without metrics
        (delivering events and sending reminders matters more than reporting on them)."""
        try:
            await self.start()
        except OSError as exc:
            logger.error("%s metrics not served on port %d: %s", self.metrics.name, self.port, exc)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            method, path = (request.split(b" ", 2) + [b"", b""])[:2]
            status, content_type, body = await self._answer(method.decode(), path.decode())
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

    async def _answer(self, method: str, path: str) -> tuple[str, str, bytes]:
        path = path.split("?", 1)[0]
        if method != "GET":
            return "405 Method Not Allowed", "text/plain", b"method not allowed\n"
        if path == "/healthz":
            if self.metrics.healthy():
                return "200 OK", "application/json", b'{"status":"ok"}'
            return "503 Service Unavailable", "application/json", b'{"status":"unavailable"}'
        if path == "/metrics":
            rendered = self.metrics.render()
            if inspect.isawaitable(rendered):
                rendered = await rendered
            return "200 OK", CONTENT_TYPE, rendered.encode()
        return "404 Not Found", "text/plain", b"not found\n"
