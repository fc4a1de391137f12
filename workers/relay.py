"""The outbox relay process, with /healthz and /metrics (the outbox backlog) on its own port."""

import asyncio
import logging

from apptremind.db import create_engine, create_sessionmaker
from apptremind.metrics import MetricsServer
from apptremind.outbox.relay import KafkaPublisher, OutboxRelay
from apptremind.settings import Settings
from apptremind.temporal_client import connect_temporal

logger = logging.getLogger("apptremind.relay")


async def run(settings: Settings, stop: asyncio.Event) -> None:
    engine = create_engine(settings)
    relay = OutboxRelay(
        create_sessionmaker(engine),
        KafkaPublisher(settings.kafka_bootstrap_servers),
        lambda: connect_temporal(settings),
        settings,
    )
    server = MetricsServer(relay.metrics, settings.relay_metrics_host, settings.relay_metrics_port)
    try:
        await server.start()
    except OSError as exc:
        # Delivering events matters more than reporting on them: carry on without metrics
        # (e.g. a second relay on the same host, left on the default port).
        logger.error("relay metrics not served on port %d: %s", settings.relay_metrics_port, exc)
    try:
        await relay.run(engine, stop)
    finally:
        await server.stop()
        await engine.dispose()
