"""Booking latency during a burst of sign-ins, against `apptremind api` on a real stack.

One client books free slots one after another, alone (the baseline) and while LOGIN_CLIENTS
clients sign in as fast as they are answered (argon2, 64 MiB a hash), in alternating rounds
on the same API process and PostgreSQL. Printed: booking p50/p99 in each case, their ratio,
and the sign-ins served during the burst, for each PASSWORD_HASH_THREADS in BENCH_HASH_THREADS.
"""

import asyncio
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import binary, free_port, wait_for_port
from apptremind.migrations.runner import upgrade
from bench.bench_booking import (
    ZONE,
    KeepAliveConnection,
    book_in_turn,
    free_slots,
    make_pro,
    percentile,
    prepare_business,
)
from bench.sign_up import sign_up_owner

BOOKINGS_PER_ROUND = 150
LOGIN_CLIENTS = 16
ROUNDS = 3
HASH_THREADS = tuple(int(t) for t in os.environ.get("BENCH_HASH_THREADS", "2,1").split(","))
PASSWORD = "bench password"


@contextmanager
def api_process(database_url: str, hash_threads: int) -> Iterator[str]:
    """`apptremind api`, one process, on a free port: its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "API_PORT": str(port),
        "PASSWORD_HASH_THREADS": str(hash_threads),
        # every client comes from 127.0.0.1: booking and hashing are measured, not the limiter
        "RATE_LIMIT_AUTH_PER_MINUTE": "0",
        "RATE_LIMIT_PUBLIC_PER_MINUTE": "0",
        "RATE_LIMIT_API_PER_MINUTE": "0",
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


async def sign_in_until(base_url: str, email: str, stop: asyncio.Event) -> int:
    """Signs in again and again until `stop`: the sign-ins that succeeded."""
    url = httpx.URL(base_url)
    served = 0
    async with KeepAliveConnection(url.host, url.port or 80) as connection:
        while not stop.is_set():
            status, _ = await connection.post_json(
                "/api/v1/auth/login", {"email": email, "password": PASSWORD}
            )
            served += status == 200
    return served


async def bench(base_url: str, database_url: str) -> tuple[list[float], list[float], float]:
    """Booking latencies alone and during the burst (ms), and sign-ins a second in the burst."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        ids, business_id = await prepare_business(http)
        email = f"login-{business_id[:8]}@example.com"
        await sign_up_owner(
            http,
            database_url,
            email=email,
            password=PASSWORD,
            business_name="Logins",
            timezone="Europe/Berlin",
        )
    await make_pro(database_url, business_id)
    first_day = datetime.now(ZONE).date() + timedelta(days=2)
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
            for threads in HASH_THREADS:
                with api_process(url, threads) as base_url:
                    results[threads] = asyncio.run(bench(base_url, url))
        finally:
            postgres.stop()
    print(
        f"booking latency, one client booking in turn, alone and during {LOGIN_CLIENTS} clients"
        f" signing in without pause ({ROUNDS} alternating rounds of {BOOKINGS_PER_ROUND}):"
    )
    for threads, (alone, during, login_rate) in results.items():
        p50_alone, p50_during = statistics.median(alone), statistics.median(during)
        p99_alone, p99_during = percentile(alone, 0.99), percentile(during, 0.99)
        print(f"  PASSWORD_HASH_THREADS={threads}:")
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
