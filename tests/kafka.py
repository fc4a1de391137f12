"""Reading what reached the broker, for assertions."""

import json
import time
from typing import Any

from aiokafka import AIOKafkaConsumer


async def read_topic(
    bootstrap_servers: str, topic: str, *, key: str, expected: int, timeout: float = 20.0
) -> list[dict[str, Any]]:
    """The envelopes on `topic` with message key `key`, oldest first, once `expected` arrived."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap_servers,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    try:
        while len(found) < expected and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for messages in batches.values():
                for message in messages:
                    if message.key == key.encode():
                        found.append(json.loads(message.value))
    finally:
        await consumer.stop()
    return found
