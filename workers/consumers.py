"""The Kafka consumer processes: `apptremind consume analytics|billing [--rebuild]`."""

import asyncio
from datetime import timedelta

from apptremind.analytics.consumer import ANALYTICS
from apptremind.billing.usage_consumer import BILLING_USAGE
from apptremind.consumers.metrics import MetricsServer
from apptremind.consumers.rebuild import rebuild
from apptremind.consumers.retention import prune_periodically
from apptremind.consumers.runner import ConsumerSpec, EventConsumer
from apptremind.db import create_engine, create_sessionmaker
from apptremind.settings import Settings
from apptremind.telemetry.tracing import configure_tracing, flush_traces

CONSUMERS: dict[str, ConsumerSpec] = {"analytics": ANALYTICS, "billing": BILLING_USAGE}


def metrics_port(name: str, settings: Settings) -> int:
    return settings.analytics_metrics_port if name == "analytics" else settings.billing_metrics_port


async def run(name: str, settings: Settings, stop: asyncio.Event) -> None:
    """Consumes until SIGTERM/SIGINT: the batch in progress commits, then the group is left."""
    configure_tracing(f"apptremind-consume-{name}")  # on when OTEL_EXPORTER_OTLP_ENDPOINT is set
    engine = create_engine(settings)
    spec, sessionmaker = CONSUMERS[name], create_sessionmaker(engine)
    consumer = EventConsumer(spec, sessionmaker, settings)
    server = MetricsServer(
        consumer.metrics, settings.consumer_metrics_host, metrics_port(name, settings)
    )
    await server.start_or_log()
    pruning = None
    if settings.consumer_processed_retention_days:
        retention = timedelta(days=settings.consumer_processed_retention_days)
        pruning = asyncio.create_task(
            prune_periodically(sessionmaker, spec.processed_events, retention, stop)
        )
    try:
        await consumer.run(stop)
    finally:
        stop.set()  # the consumer may have ended on its own: pruning ends with it
        if pruning is not None:
            await pruning
        await server.stop()
        await engine.dispose()
        flush_traces()


async def run_rebuild(name: str, settings: Settings, stop: asyncio.Event) -> None:
    engine = create_engine(settings)
    try:
        await rebuild(CONSUMERS[name], create_sessionmaker(engine), settings, stop)
    finally:
        await engine.dispose()
