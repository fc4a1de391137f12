"""Booking benchmarks: in-process slot computation, and HTTP booking against a real stack.

1. Slot computation for one staff member over 30 days with 500 existing appointments.
2. HTTP booking throughput and latency at 1, 8 and 32 concurrent clients, each booking a
   free slot for a Pro business (no monthly limit), against `apptremind api` on its own
   embedded PostgreSQL with one and with two
   API processes (BENCH_API_WORKERS=1,2); in the same run, the raw single-row INSERT rate of
   that PostgreSQL from one connection, as the baseline.
"""

import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import psycopg

from apptremind.booking.availability import Busy, Interval, SlotRules, day_slots, local_instant
from apptremind.business.service import apply_subscription_tier
from apptremind.db import create_engine, create_sessionmaker, unit_of_work
from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import binary, free_port, wait_for_port
from apptremind.migrations.runner import upgrade
from apptremind.settings import Settings

ZONE = ZoneInfo("Europe/Berlin")
CONCURRENCY = (1, 8, 32)
BOOKINGS_PER_CLIENT = {1: 300, 8: 100, 32: 40}
RAW_INSERTS = 3000
ROUNDS = 3
API_WORKERS = tuple(int(w) for w in os.environ.get("BENCH_API_WORKERS", "1,2").split(","))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_slot_computation() -> None:
    first = date(2027, 3, 1)
    hours = [Interval(9 * 60, 12 * 60), Interval(13 * 60, 19 * 60)]
    busy = []
    for n in range(500):  # 500 appointments spread over the 30 days, 17 a day
        day = first + timedelta(days=n % 30)
        start = local_instant(day, 9 * 60 + (n // 30) * 30, ZONE)
        busy.append(Busy(start, start + timedelta(minutes=20)))
    rules = SlotRules(duration_minutes=30, buffer_after_minutes=10, step_minutes=15)
    now = datetime(2027, 2, 1, tzinfo=UTC)
    month, per_day = [], []
    for _ in range(200):
        started = time.perf_counter()
        for offset in range(30):
            t0 = time.perf_counter()
            day_slots(first + timedelta(days=offset), ZONE, hours, busy, rules, now)
            per_day.append((time.perf_counter() - t0) * 1000)
        month.append((time.perf_counter() - started) * 1000)
    print("slot computation, 1 staff member, 500 appointments, in-process:")
    day_p50, day_p99 = statistics.median(per_day), percentile(per_day, 0.99)
    print(f"  one day:  p50 {day_p50:.3f} ms  p99 {day_p99:.3f} ms")
    print(
        f"  30 days:  p50 {statistics.median(month):.2f} ms  p99 {percentile(month, 0.99):.2f} ms"
    )


def raw_insert_rate(url: str) -> float:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS bench_raw (id bigserial primary key, v text)"
        )
        started = time.perf_counter()
        for n in range(RAW_INSERTS):
            connection.execute("INSERT INTO bench_raw (v) VALUES (%s)", (str(n),))
        return RAW_INSERTS / (time.perf_counter() - started)


async def prepare_business(http: httpx.AsyncClient) -> tuple[dict[str, str], str]:
    owner = (
        await http.post(
            "/api/v1/auth/register",
            json={
                "email": f"bench-{uuid.uuid4().hex[:8]}@example.com",
                "password": "bench password",
                "business_name": "Bench",
                "timezone": "Europe/Berlin",
            },
        )
    ).json()
    auth = {"Authorization": f"Bearer {owner['access_token']}"}
    await http.patch("/api/v1/business/profile", headers=auth, json={"slot_interval_minutes": 15})
    service = await http.post(
        "/api/v1/business/services",
        headers=auth,
        json={"name": "Quick", "duration_minutes": 15, "price": "10.00"},
    )
    hours = [{"day_of_week": d, "start_time": "00:00", "end_time": "24:00"} for d in range(7)]
    staff = await http.post(
        "/api/v1/business/staff", headers=auth, json={"name": "Bench", "working_hours": hours}
    )
    return {"service_id": service.json()["id"], "staff_id": staff.json()["id"]}, owner[
        "business_id"
    ]


async def make_pro(database_url: str, business_id: str) -> None:
    """On Pro (no monthly limit), as billing's `subscription.upgraded` event would do."""
    engine = create_engine(Settings(database_url=database_url))
    event = {"data": {"business_id": business_id, "tier": "pro", "revision": 1}}
    async with unit_of_work(create_sessionmaker(engine)) as session:
        await apply_subscription_tier(session, event)
    await engine.dispose()


def free_slots(count: int, first_day: date) -> list[str]:
    """Distinct quarter-hours between 06:00 and 22:00 (never near a DST change)."""
    slots = []
    day = first_day
    while len(slots) < count:
        for minute in range(6 * 60, 22 * 60, 15):
            slots.append(local_instant(day, minute, ZONE).astimezone(ZONE).isoformat())
        day += timedelta(days=1)
    return slots[:count]


class KeepAliveConnection:
    """One HTTP/1.1 keep-alive connection on asyncio streams, posting JSON.

    The benchmark client shares the machine's two cores with the API and PostgreSQL; httpx
    spends over a millisecond of CPU per request, this a small fraction of that.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    async def __aenter__(self) -> "KeepAliveConnection":
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.writer.close()
        await self.writer.wait_closed()

    async def post_json(self, path: str, body: object) -> tuple[int, bytes]:
        payload = json.dumps(body).encode()
        self.writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n".encode()
            + payload
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(":", 1) for line in header_lines if line)
        length = int({k.lower(): v for k, v in headers.items()}["content-length"])
        return int(status_line.split()[1]), await self.reader.readexactly(length)


async def book_in_turn(
    base_url: str, ids: dict[str, str], slots: list[str]
) -> tuple[list[float], int]:
    """One client booking its slots one after another: (latencies in ms, failures)."""
    url = httpx.URL(base_url)
    latencies, failures = [], 0
    async with KeepAliveConnection(url.host, url.port or 80) as connection:
        for slot in slots:
            started = time.perf_counter()
            status, _ = await connection.post_json(
                "/api/v1/public/book",
                {**ids, "time": slot, "customer_info": {"name": "Bench", "email": "c@example.com"}},
            )
            latencies.append((time.perf_counter() - started) * 1000)
            failures += status != 201
    return latencies, failures


async def bench_http(
    base_url: str, database_url: str
) -> list[tuple[int, float, float, float, int]]:
    """Per concurrency: the median rate of ROUNDS runs, p50/p99 over all their bookings."""
    results = []
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        ids, business_id = await prepare_business(http)
    await make_pro(database_url, business_id)
    gc.collect()
    gc.freeze()  # the client's own full collections (~50 ms) are not the API's latency
    first_day = datetime.now(ZONE).date() + timedelta(days=2)
    for clients in CONCURRENCY:
        rates, latencies, failures = [], [], 0
        for _ in range(ROUNDS):
            total = clients * BOOKINGS_PER_CLIENT[clients]
            slots = free_slots(total, first_day)
            first_day += timedelta(days=total // 64 + 2)
            started = time.perf_counter()
            outcomes = await asyncio.gather(
                *(book_in_turn(base_url, ids, slots[i::clients]) for i in range(clients))
            )
            rates.append(total / (time.perf_counter() - started))
            latencies += [ms for client_latencies, _ in outcomes for ms in client_latencies]
            failures += sum(f for _, f in outcomes)
        p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
        results.append((clients, statistics.median(rates), p50, p99, failures))
    return results


@contextmanager
def api_process(database_url: str, workers: int) -> Iterator[str]:
    """`apptremind api` with `workers` processes on a free port: its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "API_PORT": str(port),
        "API_WORKERS": str(workers),
        # every client books from 127.0.0.1: the booking path is measured, not the limiter
        "RATE_LIMIT_PUBLIC_PER_MINUTE": "0",
    }
    api = subprocess.Popen(
        [binary("apptremind"), "api"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port("127.0.0.1", port)
        yield f"http://127.0.0.1:{port}"
    finally:
        api.terminate()
        api.wait()


def main() -> None:
    bench_slot_computation()
    http_results = {}
    with tempfile.TemporaryDirectory() as tmp:
        postgres = EmbeddedPostgres(Path(tmp) / "pg", free_port())
        postgres.start()
        try:
            postgres.create_database("bench")
            url = postgres.url_for("bench")
            upgrade(url)
            # The machine is shared: the baseline is taken around every API run.
            raw_rates = [raw_insert_rate(url)]
            for workers in API_WORKERS:
                with api_process(url, workers) as base_url:
                    http_results[workers] = asyncio.run(bench_http(base_url, url))
                raw_rates.append(raw_insert_rate(url))
        finally:
            postgres.stop()
    raw = statistics.median(raw_rates)
    print(f"raw single-row INSERT, one connection: median {raw:.0f} rows/s", end=" ")
    print(f"(around the API runs: {', '.join(f'{r:.0f}' for r in raw_rates)})")
    for workers, results in http_results.items():
        print(f"HTTP booking, API_WORKERS={workers}, each booking a free slot:")
        for clients, rate, p50, p99, failures in results:
            print(
                f"  {clients:>2} clients: {rate:7.1f} bookings/s  p50 {p50:6.1f} ms"
                f"  p99 {p99:6.1f} ms  {rate / raw:6.1%} of raw inserts  failures {failures}"
            )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
