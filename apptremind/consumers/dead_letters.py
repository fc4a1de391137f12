"""The dead-letter topic `<topic>.dlq`: the original bytes, with the reason in headers."""

import asyncio
import logging

from aiokafka import AIOKafkaProducer
from aiokafka.structs import ConsumerRecord

from apptremind.kafka_producer import start_producer

logger = logging.getLogger("apptremind.consumers")

SEND_TIMEOUT_SECONDS = 10.0
REASON_HEADER = "dlq.reason"


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dlq"


class DeadLetterPublisher:
    """Connects lazily; a failed send raises, and the caller retries the whole batch."""

    def __init__(self, bootstrap_servers: str, consumer: str) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.consumer = consumer
        self._producer: AIOKafkaProducer | None = None

    async def publish(self, record: ConsumerRecord[bytes, bytes], reason: str) -> None:
        producer = await self._connected()
        headers = [
            *(record.headers or ()),
            (REASON_HEADER, reason[:1000].encode()),
            ("dlq.consumer", self.consumer.encode()),
            ("dlq.topic", record.topic.encode()),
            ("dlq.partition", str(record.partition).encode()),
            ("dlq.offset", str(record.offset).encode()),
        ]
        try:
            await asyncio.wait_for(
                producer.send_and_wait(
                    dead_letter_topic(record.topic), record.value, key=record.key, headers=headers
                ),
                SEND_TIMEOUT_SECONDS,
            )
        except BaseException:
            await self.close()
            raise
        logger.warning(
            "dead-lettered %s/%d@%d: %s", record.topic, record.partition, record.offset, reason
        )

    async def _connected(self) -> AIOKafkaProducer:
        if self._producer is None:
            self._producer = await start_producer(self.bootstrap_servers, SEND_TIMEOUT_SECONDS)
        return self._producer

    async def close(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()
