"""The outbox relay process."""

import asyncio

from apptremind.db import create_engine, create_sessionmaker
from apptremind.outbox.relay import KafkaPublisher, OutboxRelay
from apptremind.settings import Settings
from apptremind.temporal_client import connect_temporal


async def run(settings: Settings, stop: asyncio.Event) -> None:
    engine = create_engine(settings)
    relay = OutboxRelay(
        create_sessionmaker(engine),
        KafkaPublisher(settings.kafka_bootstrap_servers),
        lambda: connect_temporal(settings),
        settings,
    )
    try:
        await relay.run(engine, stop)
    finally:
        await engine.dispose()
