"""Reminder timing on the embedded stack: how late, how many twice, how many missing.

Starts its own PostgreSQL and Temporal dev server on free ports, and the two workers as
`apptremind worker` processes (console providers). Appointments and their reminders are
written directly (booking speed is bench_booking's subject), then the relay starts one
AppointmentWorkflow each. Two shapes of load, N reminders each:
  spread: due evenly within the same 60 seconds;   burst: all due at the same instant.
Baselines in the same run, each worker a process of its own (bench/bare_worker.py):
- bare: a workflow that sleeps until the same instants and runs an activity that does
  nothing on its own task queue, so the worker that ran the workflow task runs it at once;
- bare, split: the same with the activity on another task queue served by another process,
  as a reminder goes from the appointments worker to the notification worker.
The burst runs BENCH_ROUNDS times (default 3), each round the platform then the two
baselines, and once more with a second notification worker process polling the same queue;
figures are medians of the rounds, ratios taken within each round. Each run also records
the CPU every process spent from the first due time to the last reminder sent: on a machine
whose cores are all busy, a rate cannot exceed cores / CPU per reminder.

"""

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client, WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter

from apptremind import events
from apptremind.booking.models import Appointment, CustomerNotice, Reminder
from apptremind.business import service as business_service
from apptremind.db import create_engine, create_sessionmaker, unit_of_work
from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import (
    binary,
    free_port,
    temporal_dev_server_command,
    wait_for_port,
)
from apptremind.migrations.runner import upgrade
from apptremind.outbox.models import OutboxEvent
from apptremind.outbox.relay import KafkaPublisher, OutboxRelay
from apptremind.outbox.service import emit
from apptremind.settings import Settings
from bench.bare_workflow import BareReminder, BareSplitReminder
from bench.bench_booking import cpu_seconds

N = int(os.environ.get("BENCH_REMINDERS", "2000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# Time to start all the workflows before the first is due, so start-up work (for the
# platform a sandboxed workflow task, a data activity and the booking confirmation each)
# does not overlap the timers being measured.
LEAD = timedelta(seconds=float(os.environ.get("BENCH_LEAD_SECONDS", "150")))
BARE_LEAD = LEAD / 2
BareWorkflow = type[BareReminder] | type[BareSplitReminder]


def due_times(first: datetime, burst: bool) -> list[datetime]:
    return [first if burst else first + timedelta(seconds=60 * i / N) for i in range(N)]


def warn_if_late(first_due: datetime) -> None:
    if datetime.now(UTC) > first_due:
        print("    (the workflows were not all asleep by the first due time: raise the lead)")


@dataclass(frozen=True)
class Lateness:
    """Lateness (sent - due) percentiles in seconds; for a burst, the sustained send rate."""

    p50: float
    p99: float
    worst: float
    rate: float

    @classmethod
    def of(cls, lateness: list[float]) -> "Lateness":
        ordered = sorted(lateness)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        rate = len(ordered) / ordered[-1] if ordered[-1] > 0 else 0.0
        return cls(statistics.median(ordered), p99, ordered[-1], rate)

    def line(self, burst: bool) -> str:
        text = f"lateness p50 {self.p50:6.2f} s  p99 {self.p99:6.2f} s  max {self.worst:6.2f} s"
        return text + (f"  {self.rate:6.1f} reminders/s" if burst else "")


def median_of(runs: Sequence[Lateness]) -> Lateness:
    return Lateness(
        statistics.median(r.p50 for r in runs),
        statistics.median(r.p99 for r in runs),
        statistics.median(r.worst for r in runs),
        statistics.median(r.rate for r in runs),
    )


class Meter:
    """CPU seconds of named processes (each with its descendants)."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids

    def read(self) -> dict[str, float]:
        return {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    def per_reminder_ms(self, before: dict[str, float]) -> dict[str, float]:
        return {name: 1000 * (used - before[name]) / N for name, used in self.read().items()}


@dataclass(frozen=True)
class Run:
    lateness: Lateness
    cpu_ms: dict[str, float]  # CPU per reminder of each process, first due time to last sent

    @property
    def total_cpu_ms(self) -> float:
        return sum(self.cpu_ms.values())

    def cpu_line(self) -> str:
        spent = ", ".join(f"{name} {ms:.1f}" for name, ms in self.cpu_ms.items())
        return f"CPU ms per reminder: {spent}; {self.total_cpu_ms:.1f} in all"


def median_cpu(runs: Sequence[Run]) -> dict[str, float]:
    return {name: statistics.median(r.cpu_ms[name] for r in runs) for name in runs[0].cpu_ms}


async def sleep_until(moment: datetime) -> None:
    await asyncio.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()))


async def write_appointments(
    sessionmaker: async_sessionmaker[AsyncSession], dues: list[datetime]
) -> None:
    """One appointment a due time, one email reminder each, `appointment.booked` in the outbox."""
    async with unit_of_work(sessionmaker) as session:
        business = await business_service.create_business(session, "Bench", "Europe/Berlin")
        staff = await business_service.create_staff(
            session, business.id, name="Bench", working_hours=[]
        )
        first = min(dues)
        for n, due in enumerate(dues):
            start = first + timedelta(hours=2, minutes=30 * n)  # one staff member, back to back
            appointment = Appointment(
                id=uuid.uuid4(), business_id=business.id, staff_id=staff.id,
                service_id=uuid.uuid4(), service_name="Bench", duration_minutes=30,
                price=Decimal("1"), customer_name="Bench", customer_email="bench@example.com",
                start_time=start, end_time=start + timedelta(minutes=30),
                block_start=start, block_end=start + timedelta(minutes=30),
                reminders=[Reminder(id=uuid.uuid4(), remind_at=due, channel="email")],
            )  # fmt: skip
            session.add(appointment)
            await session.flush()
            reminder = appointment.reminders[0]
            await emit(session, events.AppointmentBooked(
                appointment_id=appointment.id, business_id=business.id, staff_id=staff.id,
                service_id=appointment.service_id, customer_email=appointment.customer_email,
                customer_phone=None, service_name=appointment.service_name,
                start_time=appointment.start_time, end_time=appointment.end_time,
                reminder_times=[reminder.remind_at],
                reminders=[events.BookedReminder(
                    reminder_id=reminder.id, remind_at=reminder.remind_at, type=reminder.channel
                )],
            ))  # fmt: skip


async def count(sessionmaker: async_sessionmaker[AsyncSession], query: object) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(query) or 0)  # type: ignore[call-overload]


async def run_platform(
    settings: Settings, client: Client, meter: Meter, burst: bool
) -> tuple[Run | None, int, int]:
    engine = create_engine(settings)
    sessionmaker = create_sessionmaker(engine)
    first_due = datetime.now(UTC) + LEAD
    await write_appointments(sessionmaker, due_times(first_due, burst))

    async def temporal() -> Client:
        return client

    relay = OutboxRelay(
        sessionmaker, KafkaPublisher(settings.kafka_bootstrap_servers), temporal, settings
    )
    while await relay.dispatch_pending():
        pass
    # Asleep once each workflow has sent its booking confirmation.
    confirmations = select(func.count()).select_from(CustomerNotice)
    while await count(sessionmaker, confirmations) < N and datetime.now(UTC) < first_due:
        await asyncio.sleep(0.5)
    warn_if_late(first_due)
    await sleep_until(first_due)
    before = meter.read()
    pending = select(func.count()).select_from(Reminder).where(Reminder.status == "pending")
    deadline = first_due + timedelta(seconds=60 + 120)
    while datetime.now(UTC) < deadline and await count(sessionmaker, pending):
        await asyncio.sleep(0.2)
    cpu = meter.per_reminder_ms(before)
    async with sessionmaker() as session:
        rows = (await session.execute(select(Reminder.remind_at, Reminder.sent_at))).all()
        sends = await session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.event_type == events.NOTIFICATION_SENT)
        )
        for model in (CustomerNotice, Reminder, Appointment, OutboxEvent):
            await session.execute(delete(model))
        await session.commit()
    await engine.dispose()
    sent = [r for r in rows if r.sent_at is not None]
    lateness = [(r.sent_at - r.remind_at).total_seconds() for r in sent]
    return (
        (Run(Lateness.of(lateness), cpu) if sent else None),
        int(sends or 0) - len(sent),
        len(rows) - len(sent),
    )


async def run_bare(
    client: Client, meter: Meter, workflow: BareWorkflow, queue: str, burst: bool
) -> Run:
    """The bare workflows on `queue`, started before the due time as the relay's are."""
    first_due = datetime.now(UTC) + BARE_LEAD
    handles: list[WorkflowHandle[Any, float]] = []
    for first in range(0, N, 100):
        handles += await asyncio.gather(
            *(
                client.start_workflow(
                    workflow.run, due, id=f"bare-{uuid.uuid4()}", task_queue=queue
                )
                for due in due_times(first_due, burst)[first : first + 100]
            )
        )
    await sleep_until(first_due)
    before = meter.read()
    # One result at a time: each is a long poll, and the dev server limits concurrent polls.
    lateness = [await handle.result() for handle in handles]
    return Run(Lateness.of(lateness), meter.per_reminder_ms(before))


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def report_bursts(rounds: list[tuple[Run, Run, Run]]) -> None:
    """The platform's bursts against both baselines, and the CPU each spent a reminder."""
    print(f"  burst (all due at once), medians of {len(rounds)} rounds:")
    if not rounds:
        return
    kinds = {"platform": 0, "bare": 1, "bare, split": 2}
    for name, at in kinds.items():
        print(f"    {name + ':':13} {median_of([r[at].lateness for r in rounds]).line(True)}")

    def rates(top: int, bottom: int) -> float:
        return statistics.median(r[top].lateness.rate / r[bottom].lateness.rate for r in rounds)

    def inverse_cpu(top: int, bottom: int) -> float:
        return statistics.median(r[bottom].total_cpu_ms / r[top].total_cpu_ms for r in rounds)

    print(f"    platform/bare throughput {rates(0, 1):6.1%} (target >= 90%)")
    print(f"    platform/bare, split     {rates(0, 2):6.1%}")
    print(f"    bare, split/bare         {rates(2, 1):6.1%} (what the queue split costs)")
    for name, at in kinds.items():
        cpu = median_cpu([r[at] for r in rounds])
        spent = ", ".join(f"{process} {ms:.1f}" for process, ms in cpu.items())
        print(f"    CPU ms per reminder, {name}: {spent}; {sum(cpu.values()):.1f} in all")
    print(
        "    with every core busy, a rate ratio cannot exceed the inverse CPU ratio:"
        f" platform/bare {inverse_cpu(0, 1):.0%}, platform/bare, split {inverse_cpu(0, 2):.0%}"
    )


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        postgres = EmbeddedPostgres(Path(tmp) / "pg", free_port())
        postgres.start()
        temporal_port, ui_port = free_port(), free_port()
        temporal = subprocess.Popen(
            temporal_dev_server_command(Path(tmp) / "temporal.db", temporal_port, ui_port),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        workers: dict[str, subprocess.Popen[bytes]] = {}
        try:
            wait_for_port("127.0.0.1", temporal_port)
            postgres.create_database("bench")
            upgrade(postgres.url_for("bench"))
            settings = Settings(
                database_url=postgres.url_for("bench"),
                temporal_address=f"127.0.0.1:{temporal_port}",
                kafka_bootstrap_servers=f"127.0.0.1:{free_port()}",
            )
            env = {
                **os.environ,
                "DATABASE_URL": settings.database_url,
                "TEMPORAL_ADDRESS": settings.temporal_address,
                "EMAIL_PROVIDER": "console",
            }

            def start(name: str, command: list[str]) -> None:
                workers[name] = subprocess.Popen(
                    command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )

            def bare_worker(queue: str, role: str) -> list[str]:
                port = str(free_port())
                return [sys.executable, "-m", "bench.bare_worker", settings.temporal_address,
                        queue, port, role]  # fmt: skip

            for queue in ("appointments", "notifications"):
                start(queue, [binary("apptremind"), "worker", queue])
            bare_queue, split_queue = f"bare-{uuid.uuid4()}", f"split-{uuid.uuid4()}"
            start("bare worker", bare_worker(bare_queue, "both"))
            start("split workflows", bare_worker(split_queue, "workflows"))
            start("split activities", bare_worker(split_queue, "activities"))
            client = await Client.connect(
                settings.temporal_address, data_converter=pydantic_data_converter
            )
            postmaster = int((postgres.pgdata / "postmaster.pid").read_text().split()[0])
            platform_meter = Meter({
                "dev server": temporal.pid, "appointments": workers["appointments"].pid,
                "notifications": workers["notifications"].pid, "PostgreSQL": postmaster,
            })  # fmt: skip
            bare_meter = Meter({"dev server": temporal.pid, "worker": workers["bare worker"].pid})
            split_meter = Meter({
                "dev server": temporal.pid, "workflows": workers["split workflows"].pid,
                "activities": workers["split activities"].pid,
            })  # fmt: skip
            print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
            print(f"reminders: N = {N}, on the Temporal dev server, one process per worker")
            lost = [0, 0]

            async def platform(burst: bool) -> Run | None:
                found, duplicates, missing = await run_platform(
                    settings, client, platform_meter, burst
                )
                lost[0] += duplicates
                lost[1] += missing
                return found

            async def bare(burst: bool) -> Run:
                return await run_bare(client, bare_meter, BareReminder, bare_queue, burst)

            async def split(burst: bool) -> Run:
                return await run_bare(client, split_meter, BareSplitReminder, split_queue, burst)

            spread, bare_spread = await platform(False), await bare(False)
            print("  spread (due within 60 s), one round:")
            print(f"    platform: {spread.lateness.line(False) if spread else 'nothing sent'}")
            print(f"    bare:     {bare_spread.lateness.line(False)}")
            if spread:
                print(f"    p99 lateness over the bare workflow's: "
                      f"{spread.lateness.p99 - bare_spread.lateness.p99:+.2f} s"
                      " (target <= +0.5 s)")  # fmt: skip
            rounds: list[tuple[Run, Run, Run]] = []
            for _ in range(ROUNDS):
                burst = await platform(True)
                baseline, split_baseline = await bare(True), await split(True)
                if burst:
                    rounds.append((burst, baseline, split_baseline))
            report_bursts(rounds)
            start("second notifications", [binary("apptremind"), "worker", "notifications"])
            platform_meter.pids["notifications 2"] = workers["second notifications"].pid
            two, bare_two = await platform(True), await bare(True)
            if two:
                print("  burst with two notification worker processes, one round:")
                print(f"    platform: {two.lateness.line(True)}"
                      f"  {two.lateness.rate / bare_two.lateness.rate:6.1%} of bare")  # fmt: skip
                print(f"    bare:     {bare_two.lateness.line(True)}")
                print(f"    {two.cpu_line()}")
            print(f"  duplicates {lost[0]}  missing {lost[1]} (over every platform run)")
            print(f"  load average {os.getloadavg()[0]:.2f} at the end")
            memory = ", ".join(
                f"{name} {peak_memory_mib(workers[name].pid):.0f} MiB"
                for name in ("appointments", "notifications")
            )
            print(f"  workers' peak memory: {memory}")
        finally:
            for process in (*workers.values(), temporal):
                process.terminate()
                process.wait()
            postgres.stop()


if __name__ == "__main__":
    asyncio.run(main())
