"""A consumer's counters, served as Prometheus text on /metrics next to /healthz."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiokafka.structs import TopicPartition

from apptremind.metrics import MetricsServer

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

    @property
    def name(self) -> str:
        return self.consumer

    def healthy(self) -> bool:
        return self.running and time.monotonic() - self.last_poll < STALE_AFTER_SECONDS

    def render(self) -> str:
        label = f'consumer="{self.consumer}"'
        lines = []
        for name, kind, help_text, value in (
            ("processed_total", "counter", "Events applied once", self.processed),
            ("duplicates_total", "counter", "Redelivered events skipped", self.duplicates),
            ("dead_lettered_total", "counter", "Messages sent to the DLQ", self.dead_lettered),
            ("batches_total", "counter", "Batches committed", self.batches),
            ("retries_total", "counter", "Batch attempts that failed and retried", self.retries),
        ):
            metric = f"apptremind_consumer_{name}"
            lines += [
                f"# HELP {metric} {help_text}",
                f"# TYPE {metric} {kind}",
                f"{metric}{{{label}}} {value}",
            ]
        lines += [
            "# HELP apptremind_consumer_lag Messages on the broker not yet committed",
            "# TYPE apptremind_consumer_lag gauge",
        ]
        for tp, lag in sorted(self.lag_source().items()):
            lines.append(
                f'apptremind_consumer_lag{{{label},topic="{tp.topic}",partition="{tp.partition}"}}'
                f" {lag}"
            )
        return "\n".join(lines) + "\n"
