import asyncio
import logging

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from apptremind.settings import Settings

logger = logging.getLogger("apptremind.temporal")

RECONNECT_MAX_DELAY_SECONDS = 10.0


async def connect_temporal(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
    )


async def connect_temporal_when_up(settings: Settings, stop: asyncio.Event) -> Client | None:
    """Connects, waiting for the Temporal server while it is down (a worker started before
    it, or during its restart, waits instead of exiting). None when asked to stop first."""
    delay = 0.5
    while not stop.is_set():
        try:
            return await connect_temporal(settings)
        except RuntimeError as exc:  # the SDK's "failed client connect"
            logger.warning(
                "Temporal at %s unreachable (%s); trying again in %.0f s",
                settings.temporal_address,
                exc,
                delay,
            )
        try:
            await asyncio.wait_for(stop.wait(), delay)
        except TimeoutError:
            delay = min(delay * 2, RECONNECT_MAX_DELAY_SECONDS)
    return None
