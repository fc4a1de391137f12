"""The outbox relay process, with /healthz and /metrics (the outbox backlog) on its own port."""

import asyncio
import logging

from apptremind.db import create_engine, create_sessionmaker
from apptremind.metrics import MetricsServer
from apptremind.outbox.relay import KafkaPublisher, OutboxRelay
from apptremind.settings import Settings
from apptremind.telemetry.tracing import configure_tracing, flush_traces
from apptremind.temporal.client import connect_temporal

logger = logging.getLogger("apptremind.relay")


async def run(settings: Settings, stop: asyncio.Event) -> None:
    # The relay's own spans continue each event's trace; its polling queries, every half
    # second, would each start a trace of their own, so SQL is not traced here.
    configure_tracing("apptremind-relay")
    engine = create_engine(settings)
    relay = OutboxRelay(
        create_sessionmaker(engine),
        KafkaPublisher(settings.kafka_bootstrap_servers),
        lambda: connect_temporal(settings),
        settings,
    )
    server = MetricsServer(relay.metrics, settings.relay_metrics_host, settings.relay_metrics_port)
    # A port in use (a second relay on the same host) is logged: delivering goes on.
    await server.start_or_log()
    try:
        await relay.run(engine, stop)
    finally:
        await server.stop()
        await engine.dispose()
        flush_traces()
