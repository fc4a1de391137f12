"""Reminder timing on the embedded stack: how late, how many twice, how many missing.

Starts its own PostgreSQL and Temporal dev server on free ports, and the two workers as
`apptremind worker` processes (console providers). Appointments and their reminders are
written directly (booking speed is bench_booking's subject), then the relay starts one
AppointmentWorkflow each. Two shapes of load, N reminders each:
  spread: due evenly within the same 60 seconds;   burst: all due at the same instant.
Baseline in the same run: a bare workflow that sleeps until the same instants and runs an
activity that does nothing, served by one in-process worker: this machine's own limit.
The burst runs BENCH_ROUNDS times (default 3), each round the platform then the bare
workflow, and once more with a second notification worker process polling the same queue;
figures are medians of the rounds, ratios taken within each round.
"""

import asyncio
import os
import statistics
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, func, select
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Worker

from apptremind import events
from apptremind.booking.models import Appointment, Reminder
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
from bench.bare_workflow import BareReminder, bare_noop

N = int(os.environ.get("BENCH_REMINDERS", "2000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# Time to start all the workflows before the first is due, so start-up work (a sandboxed
# workflow task and a data activity each) does not overlap the timers being measured.
LEAD = timedelta(seconds=float(os.environ.get("BENCH_LEAD_SECONDS", "180")))


def due_times(first: datetime, burst: bool) -> list[datetime]:
    return [first if burst else first + timedelta(seconds=60 * i / N) for i in range(N)]


def warn_if_late(start_seconds: float, first_due: datetime) -> None:
    if datetime.now(UTC) > first_due:
        print(f"    (starting took {start_seconds:.0f} s, past the first due time: raise the lead)")


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


def median_of(runs: list[Lateness]) -> Lateness:
    return Lateness(
        statistics.median(r.p50 for r in runs),
        statistics.median(r.p99 for r in runs),
        statistics.median(r.worst for r in runs),
        statistics.median(r.rate for r in runs),
    )


async def run_platform(settings: Settings, burst: bool) -> tuple[Lateness | None, int, int]:
    engine = create_engine(settings)
    sessionmaker = create_sessionmaker(engine)
    client = await Client.connect(settings.temporal_address, data_converter=pydantic_data_converter)
    first_due = datetime.now(UTC) + LEAD
    async with unit_of_work(sessionmaker) as session:
        business = await business_service.create_business(session, "Bench", "Europe/Berlin")
        staff = await business_service.create_staff(
            session, business.id, name="Bench", working_hours=[]
        )
        for n, due in enumerate(due_times(first_due, burst)):
            start = first_due + timedelta(hours=2, minutes=30 * n)  # one staff member, back to back
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

    async def temporal() -> Client:
        return client

    relay = OutboxRelay(
        sessionmaker, KafkaPublisher(settings.kafka_bootstrap_servers), temporal, settings
    )
    started = time.monotonic()
    while await relay.dispatch_pending():
        pass
    warn_if_late(time.monotonic() - started, first_due)

    deadline = first_due + timedelta(seconds=60 + 120)
    while datetime.now(UTC) < deadline:
        async with sessionmaker() as session:
            pending = await session.scalar(
                select(func.count()).select_from(Reminder).where(Reminder.status == "pending")
            )
        if not pending:
            break
        await asyncio.sleep(1)
    async with sessionmaker() as session:
        rows = (await session.execute(select(Reminder.remind_at, Reminder.sent_at))).all()
        sends = await session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.event_type == events.NOTIFICATION_SENT)
        )
        await session.execute(delete(Reminder))
        await session.execute(delete(Appointment))
        await session.execute(delete(OutboxEvent))
        await session.commit()
    await engine.dispose()
    sent = [r for r in rows if r.sent_at is not None]
    lateness = [(r.sent_at - r.remind_at).total_seconds() for r in sent]
    return (
        (Lateness.of(lateness) if sent else None),
        int(sends or 0) - len(sent),
        len(rows) - len(sent),
    )


async def run_bare(client: Client, burst: bool) -> Lateness:
    queue = f"bare-{uuid.uuid4()}"
    first_due = datetime.now(UTC) + LEAD
    cached = Settings().appointments_worker_cached_workflows  # as the appointments worker's
    async with Worker(client, task_queue=queue, workflows=[BareReminder], activities=[bare_noop],
                      max_concurrent_activities=200, max_cached_workflows=cached):  # fmt: skip
        handles = [
            await client.start_workflow(
                BareReminder.run, due, id=f"bare-{uuid.uuid4()}", task_queue=queue
            )
            for due in due_times(first_due, burst)
        ]
        lateness = [await handle.result() for handle in handles]
    return Lateness.of(lateness)


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        postgres = EmbeddedPostgres(Path(tmp) / "pg", free_port())
        postgres.start()
        temporal_port, ui_port = free_port(), free_port()
        temporal = subprocess.Popen(
            temporal_dev_server_command(Path(tmp) / "temporal.db", temporal_port, ui_port),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        workers: list[subprocess.Popen[bytes]] = []
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

            def start_worker(queue: str) -> subprocess.Popen[bytes]:
                return subprocess.Popen(
                    [binary("apptremind"), "worker", queue], env=env,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip

            workers += [start_worker("appointments"), start_worker("notifications")]
            client = await Client.connect(
                settings.temporal_address, data_converter=pydantic_data_converter
            )
            print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
            print(f"reminders: N = {N}, on the Temporal dev server, one process per worker")
            lost = [0, 0]

            async def platform(burst: bool) -> Lateness | None:
                found, duplicates, missing = await run_platform(settings, burst)
                lost[0] += duplicates
                lost[1] += missing
                return found

            spread, bare_spread = await platform(False), await run_bare(client, False)
            print("  spread (due within 60 s), one round:")
            print(f"    platform: {spread.line(False) if spread else 'nothing sent'}")
            print(f"    bare:     {bare_spread.line(False)}")
            if spread:
                print(f"    p99 lateness over the bare workflow's: "
                      f"{spread.p99 - bare_spread.p99:+.2f} s (target <= +0.5 s)")  # fmt: skip
            rounds: list[tuple[Lateness, Lateness]] = []
            for _ in range(ROUNDS):
                burst = await platform(True)
                bare = await run_bare(client, True)
                if burst:
                    rounds.append((burst, bare))
            workers.append(start_worker("notifications"))
            two = await platform(True)
            bare_two = await run_bare(client, True)
            print(f"  burst (all due at once), medians of {len(rounds)} rounds:")
            if rounds:
                platform_burst = median_of([p for p, _ in rounds])
                bare_burst = median_of([b for _, b in rounds])
                ratio = statistics.median(p.rate / b.rate for p, b in rounds)
                print(f"    platform: {platform_burst.line(True)}")
                print(f"    bare:     {bare_burst.line(True)}")
                print(f"    platform/bare throughput {ratio:6.1%} (target >= 90%)")
            if two:
                print("  burst with two notification worker processes, one round:")
                print(f"    platform: {two.line(True)}  {two.rate / bare_two.rate:6.1%} of bare")
                print(f"    bare:     {bare_two.line(True)}")
            print(f"  duplicates {lost[0]}  missing {lost[1]} (over every platform run)")
            print(f"  load average {os.getloadavg()[0]:.2f} at the end")
            memory = ", ".join(
                f"{name} {peak_memory_mib(w.pid):.0f} MiB"
                for name, w in zip(("appointments", "notifications"), workers[:2], strict=True)
            )
            print(f"  workers' peak memory: {memory}")
        finally:
            for process in (*workers, temporal):
                process.terminate()
                process.wait()
            postgres.stop()


if __name__ == "__main__":
    asyncio.run(main())
