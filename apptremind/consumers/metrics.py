"""A consumer's counters and lag, served as Prometheus text on /metrics next to /healthz."""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from aiokafka.structs import TopicPartition
from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from apptremind.metrics import MetricsServer, component_registry, exposition

__all__ = ["ConsumerMetrics", "MetricsServer"]

# A consumer that has not polled the broker for this long is reported unhealthy.
STALE_AFTER_SECONDS = 60.0


@dataclass
class ConsumerMetrics:
    consumer: str
    processed: int = 0  # events applied for the first time
    duplicates: int = 0  # events skipped because their event_id was already processed
    dead_lettered: int = 0
    batches: int = 0
    retries: int = 0
    last_poll: float = field(default_factory=time.monotonic)
    running: bool = False
    # next offset to read and the broker's high watermark, per assigned partition
    lag_source: Callable[[], dict[TopicPartition, int]] = field(default=dict)
    _registry: CollectorRegistry | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.consumer

    def healthy(self) -> bool:
        return self.running and time.monotonic() - self.last_poll < STALE_AFTER_SECONDS

    def render(self) -> str:
        if self._registry is None:
            self._registry = component_registry(_ConsumerCollector(self))
        return exposition(self._registry)


class _ConsumerCollector(Collector):
    def __init__(self, metrics: ConsumerMetrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        m = self.metrics
        for name, help_text, value in (
            ("processed", "Events applied once", m.processed),
            ("duplicates", "Redelivered events skipped", m.duplicates),
            ("dead_lettered", "Messages sent to the DLQ", m.dead_lettered),
            ("batches", "Batches committed", m.batches),
            ("retries", "Batch attempts that failed and retried", m.retries),
        ):
            counter = CounterMetricFamily(
                f"apptremind_consumer_{name}", help_text, labels=["consumer"]
            )
            counter.add_metric([m.consumer], value)
            yield counter
        lag = GaugeMetricFamily(
            "apptremind_consumer_lag",
            "Messages on the broker not yet committed",
            labels=["consumer", "topic", "partition"],
        )
        for tp, behind in sorted(m.lag_source().items()):
            lag.add_metric([m.consumer, tp.topic, str(tp.partition)], behind)
        yield lag
        alive = GaugeMetricFamily(
            "apptremind_consumer_up", "1 while the consumer polls the broker", labels=["consumer"]
        )
        alive.add_metric([m.consumer], int(m.healthy()))
        yield alive
