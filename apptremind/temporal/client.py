"""Connecting to Temporal: the platform's namespace, the pydantic data converter and, when
tracing is on, the tracing interceptor."""

import asyncio
import logging

from temporalio.client import Client, Interceptor
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import Runtime

from apptremind.backoff import Backoff, sleep_or_stop
from apptremind.settings import Settings
from apptremind.telemetry.tracing import tracer, tracing_enabled

__all__ = ["Client", "connect_temporal", "connect_temporal_when_up"]

logger = logging.getLogger("apptremind.temporal")

RECONNECT_MAX_DELAY_SECONDS = 10.0


async def connect_temporal(settings: Settings, runtime: Runtime | None = None) -> Client:
    """A client of the platform's namespace; its workflow starts, and the workers it runs,
    carry the trace context when tracing is on. `runtime`: the worker's, with the SDK's
    Prometheus metrics (workers/telemetry.py)."""
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
        interceptors=_interceptors(),
        runtime=runtime,
    )


def _interceptors() -> list[Interceptor]:
    """The SDK's tracing interceptor when tracing is on: workflow starts, the workflows and
    their activities continue the caller's trace through Temporal's headers."""
    return [TracingInterceptor(tracer())] if tracing_enabled() else []


async def connect_temporal_when_up(
    settings: Settings, stop: asyncio.Event, runtime: Runtime | None = None
) -> Client | None:
    """Connects, waiting for the Temporal server while it is down (a worker started before
    it, or during its restart, waits instead of exiting). None when asked to stop first."""
    backoff = Backoff(0.5, RECONNECT_MAX_DELAY_SECONDS)
    while not stop.is_set():
        try:
            return await connect_temporal(settings, runtime)
        except RuntimeError as exc:  # the SDK's "failed client connect"
            delay = backoff.next_delay()
            logger.warning(
                "Temporal at %s unreachable (%s); trying again in %.0f s",
                settings.temporal_address,
                exc,
                delay,
            )
        await sleep_or_stop(stop, delay)
    return None
