"""The faults: planned up front from the seed, then injected at their moments.

Each platform process is killed with SIGKILL and started again after a pause; the broker
becomes unreachable (connections cut, port closed) for an outage; PostgreSQL is shut down
immediately (no checkpoint) and started again; the Temporal dev server is killed and
started again on its database file. Faults on one target never overlap; the three servers'
faults never overlap each other.
"""

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bench.chaos.stack import Stack

KILLED_PROCESSES = (
    "worker-notifications",
    "worker-appointments",
    "relay",
    "consume-analytics",
    "consume-billing",
)
SERVERS = ("broker", "postgres", "temporal")


# An aimed kill waits at its mark until this many reminders of the burst have arrived:
# the rest of the burst is then being sent.
AIMED_AFTER_SENDS = 5
AIMED_WAIT_SECONDS = 30.0


@dataclass
class Fault:
    at: float  # seconds after the run's clock zero
    target: str
    down: float  # seconds
    aimed: bool = False  # at `at` (a mark), wait for the burst's sends to begin, then strike
    note: str = ""
    started: datetime | None = None
    ended: datetime | None = None
    error: str | None = None

    @property
    def action(self) -> str:
        if self.target == "broker":
            return "broker unreachable"
        if self.target == "postgres":
            return "PostgreSQL immediate shutdown + restart"
        if self.target == "temporal":
            return "kill -9 Temporal dev server + restart"
        return f"kill -9 {self.target}{self.note}"

    @property
    def reach(self) -> float:
        return self.down + (AIMED_WAIT_SECONDS if self.aimed else 0.0)

    def overlaps(self, other: "Fault", gap: float) -> bool:
        return self.at < other.at + other.reach + gap and other.at < self.at + self.reach + gap


@dataclass(frozen=True)
class FaultBudget:
    kills_each: int
    pause: tuple[float, float]  # seconds a killed process stays down
    broker_outages: int
    broker_outage: float
    postgres_restarts: int
    temporal_restarts: int
    server_pause: float
    # Aim one kill of each worker at a reminder burst (sends in flight), or keep the kills
    # of the notification worker and the PostgreSQL restart away from every burst of sends.
    aim_at_bursts: bool


def plan_faults(
    rng: random.Random,
    budget: FaultBudget,
    span: float,
    bursts: list[float],
    reserved: list[Fault] | None = None,
) -> list[Fault]:
    """Fault moments in [0, span] seconds, uniform, except that with `aim_at_bursts` one
    kill of each worker is aimed at a reminder burst: the appointments worker's as the
    mark's timers fire, the notification worker's once the burst's sends are in flight.
    Without it, neither a kill of the notification worker nor the PostgreSQL restart falls
    where emails are sent: the confirmations of the first 15 seconds (the bookings), the
    notices of the changes made up to 15 s before a mark, the burst's first 10 seconds.
    `reserved` faults are placed as they are, and the others around them."""
    planned: list[Fault] = list(reserved or [])
    sending = [Fault(0, "bookings", 15)] + [Fault(b - 15, "burst", 25) for b in bursts]

    def place(target: str, down: float, aimed: bool = False, spare_bursts: bool = False) -> None:
        for _ in range(5000):
            at = rng.choice(bursts) if aimed else rng.uniform(0, span)
            if aimed and target == "worker-appointments":
                at += rng.uniform(0.0, 0.5)
            at = min(at, max(0.0, span - down))
            fault = Fault(round(at, 1), target, round(down, 1))
            if aimed and target == "worker-appointments":
                fault.note = " (as a mark's timers fire)"
            elif aimed:
                fault.aimed, fault.note = True, " (mid-burst: sends in flight)"
            same = [f for f in planned if f.target == target]
            servers = [f for f in planned if f.target in SERVERS] if target in SERVERS else []
            avoided = sending if spare_bursts else []
            if not any(fault.overlaps(f, 5) for f in same + servers) and not any(
                fault.overlaps(b, 3) for b in avoided
            ):
                planned.append(fault)
                return
        raise ValueError(f"no room for another fault on {target} in {span:.0f} s")

    for _ in range(budget.broker_outages):
        place("broker", budget.broker_outage)
    for _ in range(budget.postgres_restarts):
        place("postgres", budget.server_pause, spare_bursts=not budget.aim_at_bursts)
    for _ in range(budget.temporal_restarts):
        place("temporal", budget.server_pause)
    for target in KILLED_PROCESSES:
        for n in range(budget.kills_each):
            notifications = target == "worker-notifications"
            place(
                target,
                rng.uniform(*budget.pause),
                aimed=target.startswith("worker-") and n == 0 and budget.aim_at_bursts,
                spare_bursts=notifications and not budget.aim_at_bursts,
            )
    return sorted(planned, key=lambda f: f.at)


@dataclass
class Event:
    """Something the harness saw happen on its own (not injected)."""

    at: datetime
    what: str


class Injector:
    def __init__(
        self, stack: Stack, zero: datetime, reminders_since: Callable[[datetime], int]
    ) -> None:
        self.stack = stack
        self.zero = zero
        self.reminders_since = reminders_since  # reminder messages received since then
        self.down: set[str] = set()  # processes a fault holds down
        self.events: list[Event] = []
        self._stopping = False

    async def run(self, faults: list[Fault]) -> None:
        await asyncio.gather(*(self._inject(fault) for fault in faults))

    async def _inject(self, fault: Fault) -> None:
        delay = (self.zero + timedelta(seconds=fault.at) - datetime.now(UTC)).total_seconds()
        await asyncio.sleep(max(0.0, delay))
        if fault.aimed:
            mark, deadline = datetime.now(UTC), time.monotonic() + AIMED_WAIT_SECONDS
            while self.reminders_since(mark) < AIMED_AFTER_SENDS and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        fault.started = datetime.now(UTC)
        try:
            if fault.target == "broker":
                await asyncio.to_thread(self.stack.proxy.cut)
                await asyncio.sleep(fault.down)
                await asyncio.to_thread(self.stack.proxy.restore)
            elif fault.target == "postgres":
                await asyncio.to_thread(self.stack.restart_postgres, fault.down)
            elif fault.target == "temporal":
                await asyncio.to_thread(self.stack.restart_temporal, fault.down)
            else:
                child = self.stack.apps[fault.target]
                self.down.add(fault.target)
                child.kill()
                await asyncio.sleep(fault.down)
                child.start()
                self.down.discard(fault.target)
        except Exception as exc:  # recorded and shown: a fault that could not be injected
            fault.error = f"{type(exc).__name__}: {exc}"
        fault.ended = datetime.now(UTC)

    async def watch(self) -> None:
        """Restarts a process that exited without being killed (as a restart policy would)
        and writes it down: the platform should not need that."""
        while not self._stopping:
            for name, child in self.stack.apps.items():
                if name not in self.down and not child.alive and not self._stopping:
                    self.events.append(
                        Event(
                            datetime.now(UTC), f"{name} exited on its own (code {child.returncode})"
                        )
                    )
                    await asyncio.sleep(1)
                    if not self._stopping:
                        child.start()
            await asyncio.sleep(0.5)

    def stop_watching(self) -> None:
        self._stopping = True
