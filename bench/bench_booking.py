"""Booking benchmarks: slot computation in-process, and HTTP against a real stack.

1. Slot computation for one staff member over 30 days with 500 existing appointments.
2. The month view of the booking page (GET /public/availability, 30 days) for that busy
   staff member, over HTTP, one client.
3. HTTP booking throughput and latency at 8 and 32 concurrent clients, each booking a free
   slot for a Pro business (no monthly limit), against `apptremind api` on its own embedded
   PostgreSQL (BENCH_API_WORKERS processes, default 1). The baseline, measured in the same
   run, round by round, with the same clients: the floor app (`bench.floor_app`), the same
   uvicorn/FastAPI/SQLAlchemy stack answering the same request with one INSERT.

The clients run in a process of their own, so their CPU is not the servers' CPU; on a
machine of two cores they still share the cores with the servers and PostgreSQL.
"""

import asyncio
import gc
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from apptremind.booking.availability import (
    Busy,
    BusyTimes,
    Interval,
    SlotRules,
    day_slots,
    local_instant,
)
from apptremind.booking.repository import AppointmentRepository
from apptremind.business import service as business_service
from apptremind.business.service import WorkingInterval, apply_subscription_tier
from apptremind.db import create_engine, create_sessionmaker, unit_of_work
from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import binary, free_port, wait_for_port
from apptremind.migrations.runner import upgrade
from apptremind.settings import Settings
from bench.floor_app import TABLE_DDL

ZONE = ZoneInfo("Europe/Berlin")
CONCURRENCY = (8, 32)
BOOKINGS_PER_CLIENT = {1: 300, 8: 100, 32: 40}
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
MONTH_REQUESTS = 300
BUSY_APPOINTMENTS = 500
API_WORKERS = int(os.environ.get("BENCH_API_WORKERS", "1"))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def busy_month(first: date) -> list[Busy]:
    """500 appointments spread over the 30 days from `first`, 17 a day, 20 minutes each."""
    busy = []
    for n in range(BUSY_APPOINTMENTS):
        day = first + timedelta(days=n % 30)
        start = local_instant(day, 9 * 60 + (n // 30) * 30, ZONE)
        busy.append(Busy(start, start + timedelta(minutes=20)))
    return busy


def bench_slot_computation() -> None:
    first = date(2027, 3, 1)
    hours = [Interval(9 * 60, 12 * 60), Interval(13 * 60, 19 * 60)]
    busy = busy_month(first)
    rules = SlotRules(duration_minutes=30, buffer_after_minutes=10, step_minutes=15)
    now = datetime(2027, 2, 1, tzinfo=UTC)
    month, per_day = [], []
    gc.collect()
    for _ in range(300):
        started = time.perf_counter()
        times = BusyTimes(busy)  # what a month's answer builds once from the appointments
        for offset in range(30):
            t0 = time.perf_counter()
            day_slots(first + timedelta(days=offset), ZONE, hours, times, rules, now)
            per_day.append((time.perf_counter() - t0) * 1000)
        month.append((time.perf_counter() - started) * 1000)
    print("slot computation, 1 staff member, 500 appointments, in-process:")
    day_p50, day_p99 = statistics.median(per_day), percentile(per_day, 0.99)
    print(f"  one day:  p50 {day_p50:.3f} ms  p99 {day_p99:.3f} ms")
    print(
        f"  30 days:  p50 {statistics.median(month):.2f} ms  p99 {percentile(month, 0.99):.2f} ms"
        "  (target p99 < 2 ms)"
    )


# --- CPU spent per request, by the server process and by PostgreSQL --------------------


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def cpu_seconds(root: int) -> float:
    """User + system CPU of `root` and its descendants alive now (finished ones counted in
    their parent's cutime/cstime only once waited for: the servers' stay alive)."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
        pending += _children(pid)
    return total / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU of the server process (tree) and of PostgreSQL (postmaster and backends)."""

    def __init__(self, server_pid: int, postmaster_pid: int) -> None:
        self.server_pid, self.postmaster_pid = server_pid, postmaster_pid

    def read(self) -> tuple[float, float]:
        return cpu_seconds(self.server_pid), cpu_seconds(self.postmaster_pid)


# --- the stack: PostgreSQL, the API, the floor app ------------------------------------


async def prepare(database_url: str) -> dict[str, str]:
    """A Pro business (no monthly limit) with a 15-minute service, slots every 15 minutes, a
    staff member working around the clock for the bookings and a busy one with 500
    appointments over the next 30 days, written as bookings write them."""
    engine = create_engine(Settings(database_url=database_url))
    sessionmaker = create_sessionmaker(engine)
    all_day = [WorkingInterval(d, 0, 24 * 60) for d in range(7)]
    office = [WorkingInterval(d, s, e) for d in range(7) for s, e in ((540, 720), (780, 1140))]
    async with unit_of_work(sessionmaker) as session:
        business = await business_service.create_business(session, "Bench", "Europe/Berlin")
        await business_service.update_profile(session, business.id, {"slot_interval_minutes": 15})
        event = {"data": {"business_id": str(business.id), "tier": "pro", "revision": 1}}
        await apply_subscription_tier(session, event)
    async with unit_of_work(sessionmaker) as session:
        service = await business_service.create_service(
            session, business.id, name="Quick", duration_minutes=15, price=Decimal("10.00")
        )
        staff = await business_service.create_staff(
            session, business.id, name="Bench", working_hours=all_day
        )
        busy = await business_service.create_staff(
            session, business.id, name="Busy", working_hours=office
        )
    month_first = datetime.now(ZONE).date() + timedelta(days=1)
    async with unit_of_work(sessionmaker) as session:
        repo = AppointmentRepository(session)
        for span in busy_month(month_first):
            await repo.insert_booked(
                {
                    "id": uuid.uuid4(),
                    "business_id": business.id,
                    "staff_id": busy.id,
                    "service_id": service.id,
                    "service_name": "Quick",
                    "duration_minutes": 20,
                    "price": Decimal("10.00"),
                    "customer_name": "Busy",
                    "customer_email": "busy@example.com",
                    "customer_phone": None,
                    "note": None,
                    "start_time": span.start,
                    "end_time": span.end,
                    "block_start": span.start,
                    "block_end": span.end,
                    "idempotency_key": None,
                },
                [],
            )
    await engine.dispose()
    return {
        "service_id": str(service.id),
        "staff_id": str(staff.id),
        "busy_staff_id": str(busy.id),
        "month_first": month_first.isoformat(),
    }


@contextmanager
def server(command: list[str], env: dict[str, str], port: int) -> Iterator[int]:
    """Runs the server until the block ends: its process id."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port("127.0.0.1", port)
        yield process.pid
    finally:
        process.terminate()
        process.wait()


def api_command(port: int) -> tuple[list[str], dict[str, str]]:
    env = {
        "API_PORT": str(port),
        "API_WORKERS": str(API_WORKERS),
        # every client books from 127.0.0.1: the booking path is measured, not the limiter
        "RATE_LIMIT_PUBLIC_PER_MINUTE": "0",
    }
    return [binary("apptremind"), "api"], env


def floor_command(port: int) -> list[str]:
    # The API's own uvicorn settings (api/server.py): uvloop, httptools, no access log.
    return [
        sys.executable, "-m", "uvicorn", "bench.floor_app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--loop", "uvloop", "--http", "httptools",
        "--no-access-log", "--log-level", "warning", "--workers", "1",
    ]  # fmt: skip


# --- the clients, in a process of their own ----------------------------------------------


class KeepAliveConnection:
    """One HTTP/1.1 keep-alive connection on asyncio streams: a small fraction of the CPU
    httpx spends per request, which the servers would otherwise lose to the client."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    async def __aenter__(self) -> "KeepAliveConnection":
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.writer.close()
        await self.writer.wait_closed()

    async def request(self, method: str, path: str, body: object = None) -> tuple[int, bytes]:
        payload = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        self.writer.write(f"{head}\r\n".encode() + payload)
        answer = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = answer.decode("latin-1").split("\r\n")
        headers = dict(line.split(":", 1) for line in header_lines if line)
        length = int({k.lower(): v for k, v in headers.items()}["content-length"])
        return int(status_line.split()[1]), await self.reader.readexactly(length)


async def _in_turn(
    host: str, port: int, method: str, path: str, bodies: list[object], expect: int
) -> tuple[list[float], int]:
    latencies, failures = [], 0
    async with KeepAliveConnection(host, port) as connection:
        for body in bodies:
            started = time.perf_counter()
            status, _ = await connection.request(method, path, body)
            latencies.append((time.perf_counter() - started) * 1000)
            failures += status != expect
    return latencies, failures


def run_clients(
    port: int, method: str, paths: list[str], bodies: list[list[object]], expect: int
) -> tuple[float, list[float], int]:
    """In the client process: one keep-alive connection per client, each sending its
    requests one after another. (requests per second, latencies in ms, failures)"""

    async def run() -> tuple[float, list[float], int]:
        started = time.perf_counter()
        outcomes = await asyncio.gather(
            *(
                _in_turn("127.0.0.1", port, method, path, client_bodies, expect)
                for path, client_bodies in zip(paths, bodies, strict=True)
            )
        )
        elapsed = time.perf_counter() - started
        latencies = [ms for client, _ in outcomes for ms in client]
        return len(latencies) / elapsed, latencies, sum(f for _, f in outcomes)

    return asyncio.run(run())


def _client_process_init() -> None:
    gc.collect()
    gc.freeze()  # the client's own full collections are not the servers' latency


def free_slots(count: int, first_day: date) -> list[str]:
    """Distinct quarter-hours between 06:00 and 22:00 (never near a DST change)."""
    slots: list[str] = []
    day = first_day
    while len(slots) < count:
        for minute in range(6 * 60, 22 * 60, 15):
            slots.append(local_instant(day, minute, ZONE).astimezone(ZONE).isoformat())
        day += timedelta(days=1)
    return slots[:count]


def booking_bodies(ids: dict[str, str], slots: list[str], clients: int) -> list[list[object]]:
    customer = {"name": "Bench", "email": "c@example.com"}
    bodies: list[object] = [
        {"staff_id": ids["staff_id"], "service_id": ids["service_id"], "time": slot,
         "customer_info": customer}
        for slot in slots
    ]  # fmt: skip
    return [bodies[i::clients] for i in range(clients)]


def bench_month_view(
    clients: ProcessPoolExecutor, api_port: int, ids: dict[str, str]
) -> tuple[float, float, int]:
    first = date.fromisoformat(ids["month_first"])
    path = (
        f"/api/v1/public/availability?service_id={ids['service_id']}"
        f"&staff_id={ids['busy_staff_id']}&from={first}&to={first + timedelta(days=29)}"
    )
    warm_up: list[list[object]] = [[None] * 20]
    clients.submit(run_clients, api_port, "GET", [path], warm_up, 200).result()
    measured: list[list[object]] = [[None] * MONTH_REQUESTS]
    _, latencies, failures = clients.submit(
        run_clients, api_port, "GET", [path], measured, 200
    ).result()
    return statistics.median(latencies), percentile(latencies, 0.99), failures


def measured(
    clients: ProcessPoolExecutor, meter: CpuMeter, port: int, path: str, bodies: list[list[object]]
) -> tuple[float, list[float], int, float, float]:
    """One round: rate, latencies, failures, server and PostgreSQL CPU ms per request."""
    server_before, postgres_before = meter.read()
    rate, latencies, failures = clients.submit(
        run_clients, port, "POST", [path] * len(bodies), bodies, 201
    ).result()
    server_after, postgres_after = meter.read()
    per_request = 1000 / len(latencies)
    return (
        rate,
        latencies,
        failures,
        (server_after - server_before) * per_request,
        (postgres_after - postgres_before) * per_request,
    )


def bench_booking_vs_floor(
    clients: ProcessPoolExecutor,
    api: tuple[int, CpuMeter],
    floor: tuple[int, CpuMeter],
    ids: dict[str, str],
) -> list[dict[str, float]]:
    """Per concurrency, ROUNDS rounds of the floor then the API with the same requests."""
    first_day = datetime.now(ZONE).date() + timedelta(days=40)
    results = []
    for concurrency in CONCURRENCY:
        per_client = BOOKINGS_PER_CLIENT[concurrency]
        total = concurrency * per_client
        floor_rates, api_rates, ratios = [], [], []
        floor_ms: list[float] = []
        api_ms: list[float] = []
        floor_failures = api_failures = 0
        cpu: dict[str, list[float]] = {key: [] for key in ("fs", "fp", "as", "ap")}
        for _ in range(ROUNDS):
            slots = free_slots(total, first_day)
            first_day += timedelta(days=total // 64 + 2)
            bodies = booking_bodies(ids, slots, concurrency)
            rate, latencies, failures, server_cpu, postgres_cpu = measured(
                clients, floor[1], floor[0], "/floor", bodies
            )
            floor_rates.append(rate)
            floor_ms += latencies
            floor_failures += failures
            cpu["fs"].append(server_cpu)
            cpu["fp"].append(postgres_cpu)
            rate, latencies, failures, server_cpu, postgres_cpu = measured(
                clients, api[1], api[0], "/api/v1/public/book", bodies
            )
            api_rates.append(rate)
            api_ms += latencies
            api_failures += failures
            cpu["as"].append(server_cpu)
            cpu["ap"].append(postgres_cpu)
            ratios.append(rate / floor_rates[-1])
        results.append(
            {
                "clients": concurrency,
                "floor_rate": statistics.median(floor_rates),
                "api_rate": statistics.median(api_rates),
                "ratio": statistics.median(ratios),
                "floor_p50": statistics.median(floor_ms),
                "floor_p99": percentile(floor_ms, 0.99),
                "api_p50": statistics.median(api_ms),
                "api_p99": percentile(api_ms, 0.99),
                "floor_failures": floor_failures,
                "api_failures": api_failures,
                "floor_server_cpu": statistics.median(cpu["fs"]),
                "floor_postgres_cpu": statistics.median(cpu["fp"]),
                "api_server_cpu": statistics.median(cpu["as"]),
                "api_postgres_cpu": statistics.median(cpu["ap"]),
            }
        )
    return results


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    bench_slot_computation()
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        postgres = EmbeddedPostgres(Path(tmp) / "pg", free_port())
        postgres.start()
        try:
            postgres.create_database("bench")
            url = postgres.url_for("bench")
            upgrade(url)
            with psycopg.connect(url, autocommit=True) as connection:
                connection.execute(TABLE_DDL)
            ids = asyncio.run(prepare(url))
            api_port, floor_port = free_port(), free_port()
            command, api_env = api_command(api_port)
            env = {**os.environ, "DATABASE_URL": url}
            postmaster = int((postgres.pgdata / "postmaster.pid").read_text().split()[0])
            with (
                server(command, env | api_env, api_port) as api_pid,
                server(floor_command(floor_port), env, floor_port) as floor_pid,
                ProcessPoolExecutor(1, mp_context=spawn, initializer=_client_process_init) as pool,
            ):
                month = bench_month_view(pool, api_port, ids)
                booking = bench_booking_vs_floor(
                    pool,
                    (api_port, CpuMeter(api_pid, postmaster)),
                    (floor_port, CpuMeter(floor_pid, postmaster)),
                    ids,
                )
        finally:
            postgres.stop()
    p50, p99, failures = month
    print(f"month view (GET /public/availability, 30 days), staff member with "
          f"{BUSY_APPOINTMENTS} appointments, 1 client over HTTP:")  # fmt: skip
    print(f"  p50 {p50:.1f} ms  p99 {p99:.1f} ms  (target p99 < 20 ms)  failures {failures}")
    print(
        f"HTTP booking (API_WORKERS={API_WORKERS}) against the floor (one INSERT on the same "
        f"stack), medians of {ROUNDS} alternating rounds, clients in their own process:"
    )
    for r in booking:
        print(
            f"  {r['clients']:>2} clients: booking {r['api_rate']:6.1f}/s"
            f"  p50 {r['api_p50']:5.1f} ms  p99 {r['api_p99']:6.1f} ms"
            f" | floor {r['floor_rate']:6.1f}/s  p50 {r['floor_p50']:5.1f} ms"
            f"  p99 {r['floor_p99']:6.1f} ms | booking/floor {r['ratio']:6.1%} (target >= 70%)"
            f"  failures {r['api_failures']:.0f}/{r['floor_failures']:.0f}"
        )
        print(
            f"      CPU per request: booking {r['api_server_cpu']:.2f} ms in the API"
            f" + {r['api_postgres_cpu']:.2f} ms in PostgreSQL"
            f" | floor {r['floor_server_cpu']:.2f} ms + {r['floor_postgres_cpu']:.2f} ms"
        )
    print(f"  load average {os.getloadavg()[0]:.2f} at the end")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
