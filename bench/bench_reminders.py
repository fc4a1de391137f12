"""Reminder timing on the embedded stack: how late, how many twice, how many missing.

Starts its own PostgreSQL and Temporal dev server on free ports, and the two workers as
`apptremind worker` processes (console providers). Appointments and their reminders are
written directly (booking speed is bench_booking's subject), then the relay starts one
AppointmentWorkflow each. Two shapes of load, N reminders each:
  spread: due evenly within the same 60 seconds;   burst: all due at the same instant.
Baseline in the same run: a bare workflow that sleeps until the same instants and runs an
activity that does nothing, served by one in-process worker: this machine's own limit.
"""

import asyncio
import os
import statistics
import subprocess
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
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
# Time to start all the workflows before the first is due, so start-up work (a sandboxed
# workflow task and a data activity each) does not overlap the timers being measured.
LEAD = timedelta(seconds=float(os.environ.get("BENCH_LEAD_SECONDS", "180")))


def due_times(first: datetime, burst: bool) -> list[datetime]:
    return [first if burst else first + timedelta(seconds=60 * i / N) for i in range(N)]


def warn_if_late(start_seconds: float, first_due: datetime) -> None:
    if datetime.now(UTC) > first_due:
        print(f"    (starting took {start_seconds:.0f} s, past the first due time: raise the lead)")


def summary(lateness: list[float], burst: bool) -> str:
    """Lateness (sent - due) percentiles; for a burst, also the sustained send rate."""
    ordered = sorted(lateness)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    p50, worst = statistics.median(ordered), ordered[-1]
    line = f"lateness p50 {p50:6.2f} s  p99 {p99:6.2f} s  max {worst:6.2f} s"
    if burst and ordered[-1] > 0:
        line += f"  {len(ordered) / ordered[-1]:6.1f} reminders/s"
    return line


async def run_platform(settings: Settings, burst: bool) -> tuple[str, int, int]:
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
            await emit(session, events.APPOINTMENT_BOOKED, business.id, {
                "appointment_id": str(appointment.id), "business_id": str(business.id),
            })  # fmt: skip

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
        await session.execute(Reminder.__table__.delete())
        await session.execute(Appointment.__table__.delete())
        await session.execute(OutboxEvent.__table__.delete())
        await session.commit()
    await engine.dispose()
    sent = [r for r in rows if r.sent_at is not None]
    lateness = [(r.sent_at - r.remind_at).total_seconds() for r in sent]
    line = summary(lateness, burst) if sent else "nothing sent"
    return line, int(sends or 0) - len(sent), len(rows) - len(sent)


async def run_bare(client: Client, burst: bool) -> str:
    queue = f"bare-{uuid.uuid4()}"
    first_due = datetime.now(UTC) + LEAD
    async with Worker(client, task_queue=queue, workflows=[BareReminder], activities=[bare_noop],
                      max_concurrent_activities=200):  # fmt: skip
        handles = [
            await client.start_workflow(
                BareReminder.run, due, id=f"bare-{uuid.uuid4()}", task_queue=queue
            )
            for due in due_times(first_due, burst)
        ]
        lateness = [await handle.result() for handle in handles]
    return summary(lateness, burst)


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
            for queue in ("appointments", "notifications"):
                workers.append(subprocess.Popen(
                    [binary("apptremind"), "worker", queue], env=env,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                ))  # fmt: skip
            client = await Client.connect(
                settings.temporal_address, data_converter=pydantic_data_converter
            )
            print(f"reminders: N = {N}, on the Temporal dev server, one process per worker")
            for burst in (False, True):
                shape = "burst (all due at once)" if burst else "spread (due within 60 s)"
                line, duplicates, missing = await run_platform(settings, burst)
                print(f"  {shape}")
                print(f"    platform: {line}  duplicates {duplicates}  missing {missing}")
                print(f"    bare:     {await run_bare(client, burst)}")
            memory = ", ".join(
                f"{name} {peak_memory_mib(w.pid):.0f} MiB"
                for name, w in zip(("appointments", "notifications"), workers, strict=True)
            )
            print(f"  workers' peak memory: {memory}")
        finally:
            for process in (*workers, temporal):
                process.terminate()
                process.wait()
            postgres.stop()


if __name__ == "__main__":
    asyncio.run(main())
