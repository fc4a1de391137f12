"""Many sleeping appointments (issue 17): tens of thousands of appointment workflows asleep
on their timers, on the embedded stack of one machine.

Starts its own PostgreSQL, Temporal dev server (SQLite, as `apptremind dev` runs it) and the
two workers as `apptremind worker` processes (console providers, metrics on), and the bare
workflow's worker as a process of its own (bench/bare_worker.py, the same sticky cache).
1,000 businesses; BENCH_SLEEPING appointments (default 50,000), whose reminders (the
businesses' default: 24 h and 1 h before) fall due over the next four weeks, written as a
booking writes them (appointment, reminders, history, `appointment.booked` in the outbox)
and started by the relay's own dispatch (`OutboxRelay.dispatch_pending`: the workflow id,
input and policies of `workflow_triggers`, 100 starts at a time, the relay's client).

1. Starts, in chunks, up to three sizes (N/5, N/2, N). Each chunk is timed to the relay's
   last start, and until every workflow in it is asleep (its confirmation recorded: loaded,
   confirmed, on its timer). The last ROUNDS chunks of each size are rounds: the platform's
   chunk, then a chunk of bare workflows sleeping weeks (same client, 100 starts at a time;
   asleep when the bare worker has run as many workflow tasks). Ratios within rounds,
   medians per size.
2. Memory: RSS of the workers and the dev server every 10 s while everything sleeps, and
   the appointments worker's sticky cache (APPOINTMENTS_WORKER_CACHED_WORKFLOWS).
3. Disk: the dev server's SQLite database and PostgreSQL, grown per 1,000 appointments.
4. Lateness: BENCH_SLEEPING_DUE appointments (default 2,000) whose reminder falls due within
   the same 60 s, on top of the sleeping ones, started before as many more sleeping ones as
   the sticky cache holds (so, as in production, their workflows are no longer cached when
   the timer fires); lateness is `sent_at - remind_at` as bench_reminders' spread measures
   it. The bare workflow the same way, after it, with as many bare workflows asleep.
"""

import asyncio
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy

from apptremind import events
from apptremind.booking.reminders import BookedReminder, plan_reminders
from apptremind.booking.repository import AppointmentRepository
from apptremind.business import service as business_service
from apptremind.db import create_engine, create_sessionmaker, one_round_trip, unit_of_work
from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import (
    binary,
    free_port,
    temporal_dev_server_command,
    wait_for_port,
)
from apptremind.migrations.runner import upgrade
from apptremind.outbox.relay import KafkaPublisher, OutboxRelay
from apptremind.outbox.service import emit
from apptremind.settings import Settings
from apptremind.temporal.client import connect_temporal
from bench.bare_workflow import BareReminder
from bench.bench_booking import cpu_seconds
from bench.bench_reminders import Lateness

N = int(os.environ.get("BENCH_SLEEPING", "50000"))
DUE = int(os.environ.get("BENCH_SLEEPING_DUE", "2000"))
BUSINESSES = 1000
ROUNDS = 3
SIZES = sorted({max(1, N // 5), max(1, N // 2), N})
CHUNK = max(50, N // 20)
BARE_CHUNK = min(1000, CHUNK)
SAMPLE_EVERY = 10.0
SAMPLE_SECONDS = 120.0
ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo")
MIB = 1024 * 1024
STARTED = time.monotonic()


def say(text: str) -> None:
    elapsed = int(time.monotonic() - STARTED)
    print(f"[{elapsed // 60:02d}:{elapsed % 60:02d}] {text}", flush=True)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def scrape(port: int, names: Sequence[str]) -> dict[str, float]:
    """The sums over labels of these Prometheus series on 127.0.0.1:port/metrics."""
    async with httpx.AsyncClient(timeout=5) as http:
        page = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    found = dict.fromkeys(names, 0.0)
    for line in page.splitlines():
        name = line.split("{", 1)[0].split(" ", 1)[0]
        if name in found:
            found[name] += float(line.rsplit(" ", 1)[1])
    return found


CACHE_SIZE = "temporal_sticky_cache_size"
CACHE_HIT = "temporal_sticky_cache_hit_total"
CACHE_MISS = "temporal_sticky_cache_miss_total"
EVICTED = "temporal_sticky_cache_total_forced_eviction_total"
TASKS = "temporal_workflow_task_execution_latency_count"  # workflow tasks run
CACHE_METRICS = (CACHE_SIZE, CACHE_HIT, CACHE_MISS, EVICTED, TASKS)


def sqlite_bytes(db: Path) -> tuple[int, int]:
    """(pages in use × page size, as the dev server sees it through its WAL; the files)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        free = con.execute("PRAGMA freelist_count").fetchone()[0]
        size = con.execute("PRAGMA page_size").fetchone()[0]
    files = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    return (pages - free) * size, files


def sqlite_tables(db: Path, top: int) -> list[tuple[str, int]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute(
            "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT ?", (top,)
        ).fetchall()
    return [(str(name), int(size)) for name, size in rows]


async def wait_until(check: Callable[[], Awaitable[bool]], timeout: float, poll: float) -> bool:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(poll)
    return True


@dataclass
class Tenant:
    """A business with one staff member, and how many appointments it has so far."""

    business_id: uuid.UUID
    staff_id: uuid.UUID
    service_id: uuid.UUID
    timezone: str
    offsets: list[int]
    channels: list[str]
    minute: int  # where in the day its appointments fall
    booked: int = 0


@dataclass(frozen=True)
class Booking:
    tenant: Tenant
    id: uuid.UUID
    start: datetime
    reminders: list[BookedReminder]


async def create_tenants(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Tenant]:
    tenants: list[Tenant] = []
    for first in range(0, BUSINESSES, 100):
        async with unit_of_work(sessionmaker) as session:
            for n in range(first, min(first + 100, BUSINESSES)):
                zone = ZONES[n % len(ZONES)]
                business = await business_service.create_business(session, f"Salon {n}", zone)
                staff = await business_service.create_staff(
                    session, business.id, name="Staff", working_hours=[]
                )
                tenants.append(
                    Tenant(
                        business.id, staff.id, uuid.uuid4(), zone,
                        list(business.reminder_offsets_minutes), list(business.reminder_channels),
                        minute=(n * 7) % 600,
                    )
                )  # fmt: skip
    return tenants


def sleeping(tenants: list[Tenant], count: int, day0: datetime, now: datetime) -> list[Booking]:
    """Appointments from two days out, each business's 13 h apart (50 a business: four
    weeks), reminders planned as a booking plans them."""
    bookings = []
    for n in range(count):
        tenant = tenants[n % len(tenants)]
        start = day0 + timedelta(days=2, hours=13 * tenant.booked, minutes=tenant.minute)
        tenant.booked += 1
        planned = plan_reminders(
            start, tenant.offsets, tenant.channels, has_email=True, has_phone=False, now=now
        )
        reminders = [BookedReminder(uuid.uuid4(), p.remind_at, p.channel) for p in planned]
        bookings.append(Booking(tenant, uuid.uuid4(), start, reminders))
    return bookings


def due_soon(tenants: list[Tenant], first_due: datetime) -> list[Booking]:
    """DUE appointments, each with one reminder, due evenly within 60 s from `first_due`;
    they start 2 h later, one business's half an hour apart."""
    bookings = []
    for n in range(DUE):
        tenant = tenants[n % len(tenants)]
        due = first_due + timedelta(seconds=60 * n / DUE)
        start = first_due + timedelta(hours=2, minutes=30 * (n // len(tenants)))
        reminders = [BookedReminder(uuid.uuid4(), due, "email")]
        bookings.append(Booking(tenant, uuid.uuid4(), start, reminders))
    return bookings


def booked_event(booking: Booking) -> events.AppointmentBooked:
    """`appointment.booked` as the booking service writes it."""
    tenant, reminders = booking.tenant, booking.reminders
    return events.AppointmentBooked(
        appointment_id=booking.id,
        business_id=tenant.business_id,
        staff_id=tenant.staff_id,
        service_id=tenant.service_id,
        customer_email="customer@example.com",
        customer_phone=None,
        service_name="Haircut",
        start_time=booking.start,
        end_time=booking.start + timedelta(minutes=30),
        timezone=tenant.timezone,
        reminder_times=sorted({r.remind_at for r in reminders}),
        reminders=[
            events.BookedReminder(reminder_id=r.id, remind_at=r.remind_at, type=r.channel)
            for r in reminders
        ],
    )


async def write_bookings(
    sessionmaker: async_sessionmaker[AsyncSession], bookings: list[Booking]
) -> None:
    """Each appointment, its reminders and history and its outbox event as the booking
    service writes them (`insert_booked`, `emit`), a chunk in one transaction."""
    for first in range(0, len(bookings), 1000):
        async with unit_of_work(sessionmaker) as session, one_round_trip(session):
            repo = AppointmentRepository(session)
            for booking in bookings[first : first + 1000]:
                start, tenant = booking.start, booking.tenant
                end = start + timedelta(minutes=30)
                await repo.insert_booked(
                    {
                        "id": booking.id, "business_id": tenant.business_id,
                        "staff_id": tenant.staff_id, "service_id": tenant.service_id,
                        "service_name": "Haircut", "duration_minutes": 30,
                        "price": Decimal("30.00"), "customer_name": "Customer",
                        "customer_email": "customer@example.com", "customer_phone": None,
                        "note": None, "start_time": start, "end_time": end,
                        "block_start": start, "block_end": end, "idempotency_key": None,
                    },
                    booking.reminders,
                )  # fmt: skip
                await emit(session, booked_event(booking))


@dataclass(frozen=True)
class Chunk:
    """One chunk's starts: how many, seconds to the last start, seconds until asleep."""

    count: int
    starting: float
    asleep: float | None  # None: not all asleep within the wait
    temporal_bytes: int  # the dev server's database grew by
    postgres_bytes: int
    cpu: dict[str, float]  # CPU seconds each process spent meanwhile

    @property
    def start_rate(self) -> float:
        return self.count / self.starting

    @property
    def asleep_rate(self) -> float | None:
        return self.count / self.asleep if self.asleep else None


@dataclass
class Stack:
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    client: Client
    relay: OutboxRelay
    temporal_db: Path
    bare_queue: str
    bare_metrics: int
    appointments_metrics: int
    pids: dict[str, int]
    postmaster: int
    platform_started: int = 0
    bare_started: int = 0
    bare_tasks_before: float = 0.0
    platform_chunks: list[Chunk] = field(default_factory=list)
    bare_chunks: list[Chunk] = field(default_factory=list)

    async def postgres_bytes(self) -> int:
        async with self.sessionmaker() as session:
            size = await session.scalar(text("SELECT pg_database_size(current_database())"))
        return int(size or 0)

    async def confirmations(self) -> int:
        async with self.sessionmaker() as session:
            count = await session.scalar(
                text("SELECT count(*) FROM booking.customer_notices WHERE notice = 'confirmation'")
            )
        return int(count or 0)

    async def bare_tasks(self) -> float:
        return (await scrape(self.bare_metrics, [TASKS]))[TASKS]

    async def start_platform(self, bookings: list[Booking], wait: float) -> Chunk:
        """The relay starts their workflows; then waits until each is asleep (its booking
        confirmation recorded), for `wait` seconds at most."""
        await write_bookings(self.sessionmaker, bookings)
        temporal_before, postgres_before = (
            sqlite_bytes(self.temporal_db)[0],
            await self.postgres_bytes(),
        )
        cpu_before, began = self.cpu(), time.monotonic()
        while await self.relay.dispatch_pending():
            pass
        starting = time.monotonic() - began
        self.platform_started += len(bookings)

        async def asleep() -> bool:
            return await self.confirmations() >= self.platform_started

        done = await wait_until(asleep, wait, 0.5)
        chunk = Chunk(
            len(bookings), starting, (time.monotonic() - began) if done else None,
            sqlite_bytes(self.temporal_db)[0] - temporal_before,
            await self.postgres_bytes() - postgres_before, self.cpu_since(cpu_before),
        )  # fmt: skip
        self.platform_chunks.append(chunk)
        return chunk

    async def start_bare(
        self, dues: list[datetime], wait: float
    ) -> tuple[Chunk, list[WorkflowHandle[BareReminder, float]]]:
        """The bare workflows, 100 starts at a time as the relay's batches; then waits until
        the bare worker has run one workflow task for each (each then sleeps)."""
        temporal_before = sqlite_bytes(self.temporal_db)[0]
        batch = self.settings.outbox_batch_size
        handles: list[WorkflowHandle[BareReminder, float]] = []
        cpu_before, began = self.cpu(), time.monotonic()
        for first in range(0, len(dues), batch):
            handles += await asyncio.gather(
                *(
                    self.client.start_workflow(
                        BareReminder.run,
                        due,
                        id=f"bare-{uuid.uuid4()}",
                        task_queue=self.bare_queue,
                        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                    )  # fmt: skip
                    for due in dues[first : first + batch]
                )
            )
        starting = time.monotonic() - began
        self.bare_started += len(dues)

        async def asleep() -> bool:
            return await self.bare_tasks() - self.bare_tasks_before >= self.bare_started

        done = await wait_until(asleep, wait, 0.5)
        chunk = Chunk(
            len(dues), starting, (time.monotonic() - began) if done else None,
            sqlite_bytes(self.temporal_db)[0] - temporal_before, 0, self.cpu_since(cpu_before),
        )  # fmt: skip
        self.bare_chunks.append(chunk)
        return chunk, handles

    def cpu(self) -> dict[str, float]:
        used = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        used["PostgreSQL"] = cpu_seconds(self.postmaster)
        used["bench (relay)"] = sum(os.times()[:2])
        return used

    def cpu_since(self, before: dict[str, float]) -> dict[str, float]:
        return {name: seconds - before[name] for name, seconds in self.cpu().items()}

    def memory(self) -> dict[str, float]:
        return {name: rss_mib(pid) for name, pid in self.pids.items()}

    async def cache(self) -> dict[str, float]:
        return await scrape(self.appointments_metrics, CACHE_METRICS)


@dataclass(frozen=True)
class SizeFigures:
    size: int
    chunks: list[Chunk]
    rounds: list[tuple[Chunk, Chunk]]
    memory: dict[str, float]
    cache_size: float
    temporal_mib: float
    postgres_mib: float


def median_or_none(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def fmt(value: float | None, spec: str = "6.1f", none: str = "   n/a") -> str:
    return none if value is None else format(value, spec)


def chunk_line(kind: str, total: int, chunk: Chunk) -> str:
    asleep = (
        f"all asleep after {chunk.asleep:6.1f} s ({chunk.asleep_rate:6.1f}/s)"
        if chunk.asleep and chunk.asleep_rate
        else "NOT all asleep within the wait"
    )
    return (
        f"{kind} {chunk.count:6d} started in {chunk.starting:6.1f} s ({chunk.start_rate:6.1f}/s), "
        f"{asleep}; {total} in all"
    )


async def fill(stack: Stack, tenants: list[Tenant], day0: datetime) -> list[SizeFigures]:
    figures: list[SizeFigures] = []
    weeks = day0 + timedelta(days=30)
    for size in SIZES:
        chunks: list[Chunk] = []
        rounds: list[tuple[Chunk, Chunk]] = []
        counts = []
        left = size - stack.platform_started
        while left > 0:
            counts.append(min(CHUNK, left))
            left -= counts[-1]
        for n, count in enumerate(counts):
            bookings = sleeping(tenants, count, day0, datetime.now(UTC))
            chunk = await stack.start_platform(bookings, wait=max(180.0, count / 5))
            chunks.append(chunk)
            say(chunk_line("platform", stack.platform_started, chunk))
            if n >= len(counts) - ROUNDS:
                bare, _ = await stack.start_bare(
                    [weeks] * BARE_CHUNK, wait=max(120.0, BARE_CHUNK / 5)
                )
                rounds.append((chunk, bare))
                say(chunk_line("bare    ", stack.bare_started, bare))
        memory = stack.memory()
        cache = await stack.cache()
        temporal_bytes, _ = sqlite_bytes(stack.temporal_db)
        figures.append(
            SizeFigures(
                size, chunks, rounds, memory, cache[CACHE_SIZE],
                temporal_bytes / MIB, await stack.postgres_bytes() / MIB,
            )
        )  # fmt: skip
        say(
            f"size {size}: RSS "
            + ", ".join(f"{name} {mib:.0f} MiB" for name, mib in memory.items())
            + f"; sticky cache {cache[CACHE_SIZE]:.0f} workflows"
        )
    return figures


def cpu_ms(chunks: Sequence[Chunk]) -> float:
    """CPU milliseconds of every process together per workflow started."""
    count = sum(c.count for c in chunks)
    return 1000 * sum(sum(c.cpu.values()) for c in chunks) / count if count else 0.0


def size_table(figures: list[SizeFigures]) -> list[str]:
    lines = [
        "    sleeping | starts/s: platform    bare  ratio | asleep/s: platform  bare  ratio"
        " | CPU ms/workflow: platform  bare | Temporal DB  PostgreSQL",
    ]
    for f in figures:
        platform = [p for p, _ in f.rounds]
        bare = [b for _, b in f.rounds]
        r_start = median_or_none([p.start_rate / b.start_rate for p, b in f.rounds])
        r_asleep = median_or_none(
            [p.asleep_rate / b.asleep_rate for p, b in f.rounds if p.asleep_rate and b.asleep_rate]
        )
        lines.append(
            f"    {f.size:8d} |"
            f"          {fmt(median_or_none([p.start_rate for p in platform]), '6.1f')}"
            f"  {fmt(median_or_none([b.start_rate for b in bare]), '6.1f')}"
            f"  {fmt(r_start, '4.0%', ' n/a')} |"
            f"         {fmt(median_or_none([p.asleep_rate for p in platform]), '5.1f', '  n/a')}"
            f" {fmt(median_or_none([b.asleep_rate for b in bare]), '5.1f', '  n/a')}"
            f"  {fmt(r_asleep, '4.0%', ' n/a')} |"
            f"                {cpu_ms(platform):6.1f}  {cpu_ms(bare):4.1f} |"
            f"  {f.temporal_mib:6.0f} MiB  {f.postgres_mib:6.0f} MiB"
        )
    return lines


async def sample_memory(stack: Stack, until: float) -> list[tuple[float, dict[str, float], float]]:
    """RSS of each process and the sticky cache's size every SAMPLE_EVERY s until `until`
    (monotonic)."""
    samples = []
    began = time.monotonic()
    while True:
        cache = await stack.cache()
        samples.append((time.monotonic() - began, stack.memory(), cache[CACHE_SIZE]))
        if time.monotonic() + SAMPLE_EVERY > until:
            return samples
        await asyncio.sleep(SAMPLE_EVERY)


async def platform_lateness(
    stack: Stack, tenants: list[Tenant], day0: datetime, after: int
) -> tuple[
    Lateness | None, int, int, dict[str, float], list[tuple[float, dict[str, float], float]]
]:
    """DUE reminders due within 60 s, their workflows started before `after` more sleeping
    ones; the workers' memory sampled while all sleep, before the first is due."""
    figures = [p.asleep_rate for p in stack.platform_chunks[-ROUNDS:] if p.asleep_rate]
    rate = statistics.median(figures) if figures else 20.0
    startup = (DUE + after) / rate
    lead = timedelta(seconds=1.5 * startup + SAMPLE_SECONDS + 30)
    first_due = datetime.now(UTC) + lead
    say(
        f"lateness: {DUE} reminders due from {lead.total_seconds():.0f} s on, within 60 s; "
        f"then {after} more sleeping appointments"
    )
    soon = due_soon(tenants, first_due)
    chunk = await stack.start_platform(
        soon + sleeping(tenants, after, day0, datetime.now(UTC)), wait=lead.total_seconds()
    )
    say(chunk_line("platform", stack.platform_started, chunk))
    if datetime.now(UTC) > first_due:
        say("  (starting took past the first due time: the lead was too short)")
    until = time.monotonic() + (first_due - datetime.now(UTC)).total_seconds() - 5
    say("sampling memory every 10 s while they sleep")
    samples = await sample_memory(stack, until)
    cache_before = await stack.cache()
    ids = [b.reminders[0].id for b in soon]
    deadline = first_due + timedelta(seconds=60 + 180)
    pending_query = text(
        "SELECT count(*) FROM booking.reminders WHERE status = 'pending' AND id = ANY(:ids)"
    )

    async def all_sent() -> bool:
        async with stack.sessionmaker() as session:
            pending = await session.scalar(pending_query, {"ids": ids})
        return not pending or datetime.now(UTC) > deadline

    await asyncio.sleep(max(0.0, (first_due - datetime.now(UTC)).total_seconds()))
    await wait_until(all_sent, 400, 1.0)
    cache_after = await stack.cache()
    async with stack.sessionmaker() as session:
        rows = (
            await session.execute(
                text("SELECT remind_at, sent_at FROM booking.reminders WHERE id = ANY(:ids)"),
                {"ids": ids},
            )
        ).all()
        sends = await session.scalar(
            text(
                "SELECT count(*) FROM outbox.events WHERE event_type = :sent"
                " AND envelope->'data'->>'reminder_id' = ANY(:ids)"
            ),
            {"sent": events.NOTIFICATION_SENT, "ids": [str(i) for i in ids]},
        )
    sent = [(r.sent_at - r.remind_at).total_seconds() for r in rows if r.sent_at is not None]
    cache = {
        name: cache_after[name] - cache_before[name]
        for name in (CACHE_HIT, CACHE_MISS, EVICTED, TASKS)
    }
    return (
        (Lateness.of(sent) if sent else None),
        int(sends or 0) - len(sent),
        len(rows) - len(sent),
        cache,
        samples,
    )


async def bare_lateness(stack: Stack, day0: datetime, after: int) -> Lateness:
    figures = [b.asleep_rate for b in stack.bare_chunks[-ROUNDS:] if b.asleep_rate]
    rate = statistics.median(figures) if figures else 50.0
    # Twice the time its rounds took to fall asleep, and a minute's quiet before the window.
    lead = timedelta(seconds=2 * (DUE + after) / rate + 60)
    first_due = datetime.now(UTC) + lead
    dues = [first_due + timedelta(seconds=60 * n / DUE) for n in range(DUE)]
    say(f"bare lateness: {DUE} due from {lead.total_seconds():.0f} s on, then {after} sleeping")
    chunk, handles = await stack.start_bare(
        dues + [day0 + timedelta(days=30)] * after, wait=lead.total_seconds()
    )
    say(chunk_line("bare    ", stack.bare_started, chunk))
    if datetime.now(UTC) > first_due:
        say("  (starting took past the first due time: the lead was too short)")
    # One result at a time, as bench_reminders reads them: each is a long poll, and the dev
    # server refuses more concurrent polls than its namespace limit (1,200).
    return Lateness.of([await handle.result() for handle in handles[:DUE]])


def per_thousand(chunks: list[Chunk], attribute: str) -> float:
    grown = sum(getattr(c, attribute) for c in chunks)
    count = sum(c.count for c in chunks)
    return grown / MIB / count * 1000 if count else 0.0


async def run(stack: Stack, cached: int) -> None:
    load_at_start = os.getloadavg()[0]
    now = datetime.now(UTC)
    day0 = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    tenants = await create_tenants(stack.sessionmaker)
    idle = stack.memory()
    say(f"{len(tenants)} businesses; sizes {SIZES}, chunks of {CHUNK}, bare chunks of {BARE_CHUNK}")
    stack.bare_tasks_before = await stack.bare_tasks()
    figures = await fill(stack, tenants, day0)
    sleepers = stack.platform_started
    # As many started after the due ones as the sticky cache holds, so that their workflows
    # are no longer cached when due, as on a platform whose appointments outnumber the cache.
    evictors = min(cached, N)
    late, duplicates, missing, window, samples = await platform_lateness(
        stack, tenants, day0, evictors
    )
    if late:
        say(f"platform: {late.line(False)}")
    bare: Lateness | None = None
    try:
        bare = await bare_lateness(stack, day0, evictors)
        say(f"bare:     {bare.line(False)}")
    except Exception as exc:  # the baseline failing must not lose the figures measured so far
        say(f"bare lateness failed: {exc!r}")
    say("measuring the databases")
    temporal_used, temporal_files = sqlite_bytes(stack.temporal_db)
    tables = sqlite_tables(stack.temporal_db, 8)
    async with stack.sessionmaker() as session:
        relations = (
            await session.execute(
                text(
                    "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname IN ('booking', 'outbox') AND c.relkind = 'r'"
                    " ORDER BY 2 DESC LIMIT 5"
                )
            )
        ).all()
    postgres = await stack.postgres_bytes()
    minutes = (time.monotonic() - STARTED) / 60

    print()
    print(
        f"SLEEPING APPOINTMENTS: N = {N} over {BUSINESSES} businesses (2 reminders each, due over"
        f" four weeks), Temporal dev server (SQLite), one process per worker"
    )
    print(
        f"  machine: {os.cpu_count()} cores shared; load average {load_at_start:.2f} at the start,"
        f" {os.getloadavg()[0]:.2f} at the end; {minutes:.1f} min"
    )
    print()
    print(
        "1. starts: the relay's dispatch vs the bare workflow's (same client, 100 at a time),"
        f" medians of the last {ROUNDS} rounds at each size;"
    )
    print("   asleep = every workflow of the chunk loaded, confirmed and on its timer")
    for line in size_table(figures):
        print(line)
    for kind, chunks in (("platform", stack.platform_chunks), ("bare", stack.bare_chunks)):
        count = sum(c.count for c in chunks)
        if count:
            spent = {
                name: 1000 * sum(c.cpu[name] for c in chunks) / count for name in chunks[0].cpu
            }
            print(
                f"    CPU ms per {kind} workflow until asleep, every chunk ({count}): "
                + ", ".join(f"{name} {ms:.1f}" for name, ms in spent.items() if ms >= 0.05)
            )
    print()
    print("2. memory (RSS MiB)")
    print("    idle, before any workflow: " + rss_list(idle))
    for f in figures:
        print(f"    at {f.size:6d} sleeping: {rss_list(f.memory)}; sticky cache {f.cache_size:.0f}")
    print(
        f"    every {SAMPLE_EVERY:.0f} s while {stack.platform_started} appointments"
        f" and {stack.bare_started - DUE} bare workflows sleep:"
    )
    names = list(samples[0][1]) if samples else []
    print("          t" + "".join(f"  {name:>13}" for name in names) + "  sticky cache")
    for at, memory, size in samples:
        print(
            f"    {at:5.0f} s" + "".join(f"  {memory[n]:13.0f}" for n in names) + f"  {size:12.0f}"
        )
    for name in names:
        values = [memory[name] for _, memory, _ in samples]
        print(
            f"    {name}: {min(values):.0f}-{max(values):.0f} MiB over {samples[-1][0]:.0f} s"
            f" ({values[-1] - values[0]:+.0f} MiB)"
        )
    if samples:
        full = samples[-1][1]["appointments"]
        per_workflow = (full - idle["appointments"]) * 1024 / max(1.0, samples[-1][2])
        print(
            f"    APPOINTMENTS_WORKER_CACHED_WORKFLOWS = {cached}: the appointments worker keeps"
            f" at most {cached} of the {stack.platform_started} workflows in memory,"
            f" ~{per_workflow:.0f} KiB each ({idle['appointments']:.0f} -> {full:.0f} MiB);"
            " its RSS is bounded by the cache, not by the appointments. Every other workflow's"
            " next task (a timer firing, an update) fetches and replays its history first."
        )
    print()
    print("3. disk")
    print(
        f"    Temporal (SQLite): {temporal_used / MIB:.0f} MiB in use, files"
        f" {temporal_files / MIB:.0f} MiB (database, WAL); grew"
        f" {per_thousand(stack.platform_chunks, 'temporal_bytes'):.1f} MiB per 1,000 appointments,"
        f" {per_thousand(stack.bare_chunks, 'temporal_bytes'):.1f} MiB per 1,000 bare workflows"
    )
    print(
        "      largest: " + ", ".join(f"{name} {size / MIB:.0f}" for name, size in tables) + " MiB"
    )
    print(
        f"    PostgreSQL: {postgres / MIB:.0f} MiB (pg_database_size); grew"
        f" {per_thousand(stack.platform_chunks, 'postgres_bytes'):.1f} MiB per 1,000 appointments"
    )
    print(
        "      largest: "
        + ", ".join(f"{name} {size / MIB:.0f}" for name, size in relations)
        + " MiB"
    )
    print()
    print(
        f"4. {DUE} reminders due within 60 s on top of {sleepers + evictors} sleeping"
        f" appointments ({evictors} of them started after the due ones):"
    )
    print(f"    platform: {late.line(False) if late else 'nothing sent'}")
    bare_text = bare.line(False) if bare else "failed"
    print(f"    bare:     {bare_text}  ({stack.bare_started - DUE} bare asleep)")
    if late and bare:
        print(f"    p99 over the bare workflow's: {late.p99 - bare.p99:+.2f} s")
    print(f"    duplicates {duplicates}  missing {missing}")
    print(
        f"    appointments worker meanwhile: {window[TASKS]:.0f} workflow tasks,"
        f" {window[CACHE_HIT]:.0f} of them on a cached workflow (the other"
        f" {window[TASKS] - window[CACHE_HIT]:.0f} fetched and replayed its history);"
        f" {window[CACHE_MISS]:.0f} sticky cache misses, {window[EVICTED]:.0f} forced evictions"
    )
    print()
    print("5. where one machine's dev server stack stops keeping up")
    for line in verdict(stack, figures, late, bare, load_at_start):
        print(line)


def rss_list(memory: dict[str, float]) -> str:
    return ", ".join(f"{name} {mib:.0f}" for name, mib in memory.items())


def verdict(
    stack: Stack,
    figures: list[SizeFigures],
    late: Lateness | None,
    bare: Lateness | None,
    load: float,
) -> list[str]:
    first, last = figures[0], figures[-1]

    def asleep(f: SizeFigures) -> float | None:
        return median_or_none([p.asleep_rate for p, _ in f.rounds])

    def starts(f: SizeFigures) -> float | None:
        return median_or_none([p.start_rate for p, _ in f.rounds])

    lines = []
    a0, a1, s0, s1 = asleep(first), asleep(last), starts(first), starts(last)
    if a0 and a1 and s0 and s1:
        lines.append(
            f"    from {first.size} to {last.size} sleeping: the relay's starts {s0:.0f} ->"
            f" {s1:.0f}/s ({s1 / s0 - 1:+.0%}), asleep {a0:.1f} -> {a1:.1f}/s"
            f" ({a1 / a0 - 1:+.0%}); CPU per start {cpu_ms([p for p, _ in first.rounds]):.0f}"
            f" -> {cpu_ms([p for p, _ in last.rounds]):.0f} ms"
        )
    spent = cpu_ms(stack.platform_chunks)
    server = (
        1000
        * sum(c.cpu["dev server"] for c in stack.platform_chunks)
        / max(1, sum(c.count for c in stack.platform_chunks))
    )
    cores = os.cpu_count() or 1
    lines.append(
        f"    each appointment costs {spent:.0f} ms of CPU until asleep ({server:.0f} ms in the"
        f" dev server) against the bare workflow's {cpu_ms(stack.bare_chunks):.0f} ms: with all"
        f" {cores} cores to itself this stack brings at most ~{1000 * cores / spent:.0f}"
        f" appointments/s to sleep; here, load average {load:.1f} at the start, it did"
        f" {fmt(a1, '.1f')}/s. Starts beyond that rate queue in Temporal's task queues"
        " (confirmations and reminders falling due meanwhile wait behind them)."
    )
    if late:
        lines.append(
            f"    with {stack.platform_started} asleep, {DUE} reminders within 60 s: p99"
            f" {late.p99:.2f} s, max {late.worst:.2f} s"
            + (f" (bare {bare.p99:.2f} s, max {bare.worst:.2f} s)" if bare else "")
        )
    return lines


async def main() -> None:
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    with tempfile.TemporaryDirectory() as tmp:
        postgres = EmbeddedPostgres(Path(tmp) / "pg", free_port())
        postgres.start()
        temporal_db = Path(tmp) / "temporal.db"
        temporal_port = free_port()
        temporal = subprocess.Popen(
            temporal_dev_server_command(temporal_db, temporal_port, free_port()),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        processes: list[subprocess.Popen[bytes]] = []
        engine = None
        try:
            wait_for_port("127.0.0.1", temporal_port)
            postgres.create_database("bench")
            upgrade(postgres.url_for("bench"))
            settings = Settings(
                database_url=postgres.url_for("bench"),
                temporal_address=f"127.0.0.1:{temporal_port}",
                kafka_bootstrap_servers=f"127.0.0.1:{free_port()}",
            )
            ports = {"appointments": free_port(), "notifications": free_port()}
            env = {
                **os.environ,
                "DATABASE_URL": settings.database_url,
                "TEMPORAL_ADDRESS": settings.temporal_address,
                "EMAIL_PROVIDER": "console",
                "APPOINTMENTS_WORKER_METRICS_PORT": str(ports["appointments"]),
                "NOTIFICATIONS_WORKER_METRICS_PORT": str(ports["notifications"]),
            }
            for queue in ("appointments", "notifications"):
                processes.append(
                    subprocess.Popen(
                        [binary("apptremind"), "worker", queue],
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )  # fmt: skip
                )
            bare_queue, bare_metrics = f"bare-{uuid.uuid4()}", free_port()
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "bench.bare_worker",
                        settings.temporal_address,
                        bare_queue,
                        str(bare_metrics),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
            )
            for port in (*ports.values(), bare_metrics):
                wait_for_port("127.0.0.1", port)
            engine = create_engine(settings)
            sessionmaker = create_sessionmaker(engine)
            client = await connect_temporal(settings)

            async def temporal_client() -> Client:
                return client

            relay = OutboxRelay(
                sessionmaker, KafkaPublisher(settings.kafka_bootstrap_servers),
                temporal_client, settings,
            )  # fmt: skip
            cached = settings.appointments_worker_cached_workflows
            stack = Stack(
                settings, sessionmaker, client, relay, temporal_db, bare_queue, bare_metrics,
                ports["appointments"],
                pids={
                    "appointments": processes[0].pid, "notifications": processes[1].pid,
                    "bare worker": processes[2].pid, "dev server": temporal.pid,
                },
                postmaster=int((postgres.pgdata / "postmaster.pid").read_text().split()[0]),
            )  # fmt: skip
            say(
                f"N = {N} sleeping appointments, {DUE} due; Temporal dev server, one process "
                f"per worker; APPOINTMENTS_WORKER_CACHED_WORKFLOWS = {cached}"
            )
            await run(stack, cached)
            say(f"done in {(time.monotonic() - STARTED) / 60:.1f} min")
        finally:
            if engine is not None:
                await engine.dispose()
            for process in (*processes, temporal):
                process.terminate()
                process.wait()
            postgres.stop()


if __name__ == "__main__":
    asyncio.run(main())
