"""The Kafka consumer processes: `apptremind consume analytics|billing [--rebuild]`."""

import asyncio

from apptremind.analytics.consumer import ANALYTICS
from apptremind.billing.usage_consumer import BILLING_USAGE
from apptremind.consumers.metrics import MetricsServer
from apptremind.consumers.rebuild import rebuild
from apptremind.consumers.runner import ConsumerSpec, EventConsumer
from apptremind.db import create_engine, create_sessionmaker
from apptremind.settings import Settings

CONSUMERS: dict[str, ConsumerSpec] = {"analytics": ANALYTICS, "billing": BILLING_USAGE}


def metrics_port(name: str, settings: Settings) -> int:
    return settings.analytics_metrics_port if name == "analytics" else settings.billing_metrics_port


async def run(name: str, settings: Settings, stop: asyncio.Event) -> None:
    """Consumes until SIGTERM/SIGINT: the batch in progress commits, then the group is left."""
    engine = create_engine(settings)
    consumer = EventConsumer(CONSUMERS[name], create_sessionmaker(engine), settings)
    server = MetricsServer(
        consumer.metrics, settings.consumer_metrics_host, metrics_port(name, settings)
    )
    await server.start()
    try:
        await consumer.run(stop)
    finally:
        await server.stop()
        await engine.dispose()


async def run_rebuild(name: str, settings: Settings, stop: asyncio.Event) -> None:
    engine = create_engine(settings)
    try:
        await rebuild(CONSUMERS[name], create_sessionmaker(engine), settings, stop)
    finally:
        await engine.dispose()
