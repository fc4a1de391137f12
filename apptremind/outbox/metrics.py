"""What the relay reports on /metrics: the outbox backlog, leadership and counters."""

import time
from dataclasses import dataclass, field

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

    @property
    def name(self) -> str:
        return "relay"

    def healthy(self) -> bool:
        """Measuring works (the database answers) and has not stalled."""
        stale_after = 3 * self.interval_seconds + 5
        return self.measured_at is not None and time.monotonic() - self.measured_at < stale_after

    def render(self) -> str:
        backlog = self.backlog or Backlog(0, 0.0, 0, 0.0)
        lines: list[str] = []
        for name, kind, help_text, value in (
            (
                "outbox_unpublished_events",
                "gauge",
                "Outbox events not yet acknowledged by the broker",
                backlog.unpublished,
            ),
            (
                "outbox_oldest_unpublished_age_seconds",
                "gauge",
                "How long the oldest unpublished outbox event has waited (0: none)",
                backlog.oldest_unpublished_seconds,
            ),
            (
                "outbox_undispatched_events",
                "gauge",
                "Outbox events whose workflow start or in-process handler is still due",
                backlog.undispatched,
            ),
            (
                "outbox_oldest_undispatched_age_seconds",
                "gauge",
                "How long the oldest undispatched outbox event has waited (0: none)",
                backlog.oldest_undispatched_seconds,
            ),
            (
                "outbox_backlog_measured_age_seconds",
                "gauge",
                "Seconds since the backlog above was measured",
                time.monotonic() - (self.measured_at or self.started),
            ),
            ("relay_leader", "gauge", "1 while this relay holds the leader lock", int(self.leader)),
            ("relay_published_total", "counter", "Events published to Kafka", self.published),
            (
                "relay_dispatched_total",
                "counter",
                "Events that started their workflow or ran their in-process handler",
                self.dispatched,
            ),
            (
                "relay_failed_batches_total",
                "counter",
                "Batches that stopped at an event that could not be delivered",
                self.failed_batches,
            ),
        ):
            metric = f"apptremind_{name}"
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            lines += [
                f"# HELP {metric} {help_text}",
                f"# TYPE {metric} {kind}",
                f"{metric} {shown}",
            ]
        return "\n".join(lines) + "\n"
