"""What the relay reports on /metrics: the outbox backlog, leadership, what it published and
the workflows it started."""

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from apptremind.metrics import component_registry, exposition
from apptremind.outbox.repository import Backlog


@dataclass
class RelayMetrics:
    interval_seconds: float = 15.0  # how often the backlog is measured
    backlog: Backlog | None = None
    measured_at: float | None = None  # time.monotonic() of the last measurement
    leader: bool = False
    published: int = 0  # events the broker acknowledged
    dispatched: int = 0  # events handed to Temporal or an in-process handler
    failed_batches: int = 0  # batches that stopped at an event that could not be delivered
    started: float = field(default_factory=time.monotonic)
    # events the broker acknowledged, by event type
    published_by_type: Counter[str] = field(default_factory=Counter)
    # workflow starts by (workflow type, outcome: started | already_started | failed)
    workflow_starts: Counter[tuple[str, str]] = field(default_factory=Counter)
    _registry: CollectorRegistry | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return "relay"

    def healthy(self) -> bool:
        """Measuring works (the database answers) and has not stalled."""
        stale_after = 3 * self.interval_seconds + 5
        return self.measured_at is not None and time.monotonic() - self.measured_at < stale_after

    def render(self) -> str:
        if self._registry is None:
            self._registry = component_registry(_RelayCollector(self))
        return exposition(self._registry)


class _RelayCollector(Collector):
    def __init__(self, metrics: RelayMetrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        m = self.metrics
        backlog = m.backlog or Backlog(0, 0.0, 0, 0.0)
        for name, help_text, value in (
            (
                "outbox_unpublished_events",
                "Outbox events not yet acknowledged by the broker",
                backlog.unpublished,
            ),
            (
                "outbox_oldest_unpublished_age_seconds",
                "How long the oldest unpublished outbox event has waited (0: none)",
                backlog.oldest_unpublished_seconds,
            ),
            (
                "outbox_undispatched_events",
                "Outbox events whose workflow start or in-process handler is still due",
                backlog.undispatched,
            ),
            (
                "outbox_oldest_undispatched_age_seconds",
                "How long the oldest undispatched outbox event has waited (0: none)",
                backlog.oldest_undispatched_seconds,
            ),
            (
                "outbox_backlog_measured_age_seconds",
                "Seconds since the backlog above was measured",
                time.monotonic() - (m.measured_at or m.started),
            ),
            ("relay_leader", "1 while this relay holds the leader lock", int(m.leader)),
        ):
            yield GaugeMetricFamily(f"apptremind_{name}", help_text, value=value)
        for name, help_text, count in (
            ("relay_published", "Events published to Kafka", m.published),
            (
                "relay_dispatched",
                "Events that started their workflow or ran their in-process handler",
                m.dispatched,
            ),
            (
                "relay_failed_batches",
                "Batches that stopped at an event that could not be delivered",
                m.failed_batches,
            ),
        ):
            yield CounterMetricFamily(f"apptremind_{name}", help_text, value=count)
        by_type = CounterMetricFamily(
            "apptremind_relay_events_published",
            "Events published to Kafka, by event type",
            labels=["event_type"],
        )
        for event_type, count in sorted(m.published_by_type.items()):
            by_type.add_metric([event_type], count)
        yield by_type
        starts = CounterMetricFamily(
            "apptremind_relay_workflow_starts",
            "Workflow starts the relay asked Temporal for, by workflow type and outcome"
            " (started, already_started: a repeated start, failed: retried later)",
            labels=["workflow", "outcome"],
        )
        for (workflow, outcome), count in sorted(m.workflow_starts.items()):
            starts.add_metric([workflow, outcome], count)
        yield starts
