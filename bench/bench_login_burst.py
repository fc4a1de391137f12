"""Booking latency during a burst of sign-ins, against `apptremind api` on a real stack.

One client books free slots one after another, alone (the baseline) and while LOGIN_CLIENTS
clients sign in as fast as they are answered (argon2, 64 MiB a hash), in alternating rounds
on the same API process and PostgreSQL. Printed: booking p50/p99 in each case, their ratio,
and the sign-ins served during the burst, for each PASSWORD_HASH_THREADS in BENCH_HASH_THREADS;
0 there is the baseline, argon2 computed on the event loop itself.
"""

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx

from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import binary, free_port, wait_for_port
from apptremind.migrations.runner import upgrade
from bench.bench_booking import (
    ZONE,
    KeepAliveConnection,
    booking_bodies,
    free_slots,
    percentile,
    prepare,
)
from bench.sign_up import sign_up_owner

BOOKINGS_PER_ROUND = 150
LOGIN_CLIENTS = 16
ROUNDS = 3
HASH_THREADS = tuple(int(t) for t in os.environ.get("BENCH_HASH_THREADS", "0,1,2").split(","))
PASSWORD = "bench password"


@contextmanager
def api_process(database_url: str, hash_threads: int) -> Iterator[str]:
    """`apptremind api`, one process, on a free port: its base URL (hash_threads 0: hashing on
    the event loop)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "API_PORT": str(port),
        "PASSWORD_HASH_THREADS": str(max(hash_threads, 1)),
        # every client comes from 127.0.0.1: booking and hashing are measured, not the limiter
        "RATE_LIMIT_AUTH_PER_MINUTE": "0",
        "RATE_LIMIT_PUBLIC_PER_MINUTE": "0",
        "RATE_LIMIT_API_PER_MINUTE": "0",
    }
    command = (
        [binary("apptremind"), "api"]
        if hash_threads
        else [sys.executable, "-m", "bench.api_hashing_on_loop"]
    )
    api = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port("127.0.0.1", port)
        yield f"http://127.0.0.1:{port}"
    finally:
        api.terminate()
        api.wait()


async def sign_in_until(base_url: str, email: str, stop: asyncio.Event) -> int:
    """Signs in again and again until `stop`: the sign-ins that succeeded."""
    url = httpx.URL(base_url)
    served = 0
    async with KeepAliveConnection(url.host, url.port or 80) as connection:
        while not stop.is_set():
            status, _ = await connection.request(
                "POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD}
            )
            served += status == 200
    return served


async def book_in_turn(
    base_url: str, ids: dict[str, str], slots: list[str]
) -> tuple[list[float], int]:
    """One client booking the slots one after another: latencies (ms) and failed bookings."""
    url = httpx.URL(base_url)
    latencies, failures = [], 0
    async with KeepAliveConnection(url.host, url.port or 80) as connection:
        for body in booking_bodies(ids, slots, 1)[0]:
            started = time.perf_counter()
            status, _ = await connection.request("POST", "/api/v1/public/book", body)
            latencies.append((time.perf_counter() - started) * 1000)
            failures += status != 201
    return latencies, failures


async def bench(
    base_url: str, database_url: str, ids: dict[str, str], first_day: date
) -> tuple[list[float], list[float], float]:
    """Booking latencies alone and during the burst (ms), and sign-ins a second in the burst."""
    email = f"login-{uuid.uuid4().hex[:8]}@example.com"
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        await sign_up_owner(
            http,
            database_url,
            email=email,
            password=PASSWORD,
            business_name="Logins",
            timezone="Europe/Berlin",
        )
    alone, during, login_rates = [], [], []
    for _ in range(ROUNDS):
        for burst in (False, True):
            slots = free_slots(BOOKINGS_PER_ROUND, first_day)
            first_day += timedelta(days=BOOKINGS_PER_ROUND // 64 + 2)
            stop = asyncio.Event()
            logins = [
                asyncio.create_task(sign_in_until(base_url, email, stop))
                for _ in range(LOGIN_CLIENTS if burst else 0)
            ]
            if burst:
                await asyncio.sleep(0.5)  # the burst is under way before bookings start
            started = time.perf_counter()
            latencies, failures = await book_in_turn(base_url, ids, slots)
            elapsed = time.perf_counter() - started
            stop.set()
            signed_in = sum(await asyncio.gather(*logins))
            if failures:
                raise RuntimeError(f"{failures} bookings failed")
            (during if burst else alone).extend(latencies)
            if burst:
                login_rates.append(signed_in / (elapsed + 0.5))
    return alone, during, statistics.median(login_rates)


def main() -> None:
    os.environ.setdefault("ENVIRONMENT", "local")  # a local stack with its built-in secrets
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        postgres = EmbeddedPostgres(Path(tmp) / "pg", free_port())
        postgres.start()
        try:
            postgres.create_database("bench")
            url = postgres.url_for("bench")
            upgrade(url)
            ids = asyncio.run(prepare(url))
            first_day = datetime.now(ZONE).date() + timedelta(days=40)
            for threads in HASH_THREADS:
                with api_process(url, threads) as base_url:
                    results[threads] = asyncio.run(bench(base_url, url, ids, first_day))
                first_day += timedelta(days=2 * ROUNDS * (BOOKINGS_PER_ROUND // 64 + 2))
        finally:
            postgres.stop()
    print(
        f"booking latency, one client booking in turn, alone and during {LOGIN_CLIENTS} clients"
        f" signing in without pause ({ROUNDS} alternating rounds of {BOOKINGS_PER_ROUND}):"
    )
    for threads, (alone, during, login_rate) in results.items():
        p50_alone, p50_during = statistics.median(alone), statistics.median(during)
        p99_alone, p99_during = percentile(alone, 0.99), percentile(during, 0.99)
        print(
            f"  PASSWORD_HASH_THREADS={threads}:"
            if threads
            else "  hashing on the event loop (the baseline, as before the hash threads):"
        )
        print(f"    alone (baseline):  p50 {p50_alone:6.1f} ms  p99 {p99_alone:6.1f} ms")
        print(
            f"    during the burst:  p50 {p50_during:6.1f} ms  p99 {p99_during:6.1f} ms"
            f"  ({login_rate:.1f} sign-ins/s served)"
        )
        print(
            f"    ratio burst/alone: p50 {p50_during / p50_alone:5.2f}x"
            f"  p99 {p99_during / p99_alone:5.2f}x"
        )


if __name__ == "__main__":
    main()
