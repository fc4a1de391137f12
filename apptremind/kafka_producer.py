"""Starting an aiokafka producer the way every publisher of the platform needs it."""

import asyncio

from aiokafka import AIOKafkaProducer


async def start_producer(bootstrap_servers: str, timeout_seconds: float) -> AIOKafkaProducer:
    """A started producer that waits for all replicas; stopped again if starting fails.

    Not idempotent: the embedded broker (tansu) does not support the idempotent producer,
    and consumers deduplicate by `event_id` anyway.
    """
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        acks="all",
        enable_idempotence=False,
        request_timeout_ms=int(timeout_seconds * 1000),
    )
    try:
        await asyncio.wait_for(producer.start(), timeout_seconds)
    except BaseException:
        await producer.stop()
        raise
    return producer
