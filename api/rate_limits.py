"""Per-client request limits of the gateway, counted with the `limits` library.

Three rules, each `<n>` requests a minute per client: sign-in, registration and password reset
(guessing passwords), the public booking endpoints (scraping slots, flooding bookings), and the
rest of the API. Stripe's webhook is counted by none of them: its deliveries come from a few
Stripe addresses in bursts (retries after an outage), and an unsigned request is refused after
one HMAC. A refused request answers 429 problem+json with `Retry-After`.

The client is the connection's peer, or, when the peer is a trusted proxy
(`FORWARDED_ALLOW_IPS`), the address the proxy puts in `X-Forwarded-For`: uvicorn's proxy
headers handling writes it into the ASGI scope's `client` before the app sees the request.
IPv6 clients count by their /64, since one subscriber is given a whole /64.

Each rule is a sliding window of one minute (two counters per rule and client). The counters
live in Redis when `REDIS_URL` is set, shared by every API process; otherwise in the process's
memory, where each API process counts on its own.
"""

import ipaddress
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import send_problem
from apptremind.settings import Settings

logger = logging.getLogger(__name__)

AUTH_PATHS = frozenset(
    {
        "/api/v1/auth/login",
        "/api/v1/auth/register",
        "/api/v1/auth/register/confirm",
        "/api/v1/auth/password-reset",
        "/api/v1/auth/password-reset/confirm",
    }
)
UNLIMITED_PATHS = frozenset({"/api/v1/billing/webhook"})
PUBLIC_PREFIX = "/api/v1/public/"
API_PREFIX = "/api/v1/"
# A Redis that does not answer in this time lets the request through (see RateLimit).
REDIS_TIMEOUT_SECONDS = 0.25
UNAVAILABLE_LOG_INTERVAL_SECONDS = 60.0


@dataclass(frozen=True)
class Rule:
    name: str
    per_minute: int  # 0 turns the rule off
    applies: Callable[[str, str], bool]  # (method, path)

    @property
    def item(self) -> RateLimitItem:
        return RateLimitItemPerMinute(self.per_minute)


def rules(settings: Settings) -> list[Rule]:
    """The first rule that applies to a request is the one it counts against."""
    return [
        Rule("unlimited", 0, lambda _, path: path in UNLIMITED_PATHS),
        Rule(
            "auth",
            settings.rate_limit_auth_per_minute,
            lambda method, path: method == "POST" and path in AUTH_PATHS,
        ),
        Rule(
            "public",
            settings.rate_limit_public_per_minute,
            lambda method, path: path.startswith(PUBLIC_PREFIX),
        ),
        Rule(
            "api", settings.rate_limit_api_per_minute, lambda _, path: path.startswith(API_PREFIX)
        ),
    ]


def client_key(address: str) -> str:
    """The address a client is counted by: IPv4 as is, IPv6 by its /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address  # not an IP address (a Unix socket's peer)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return f"{ipaddress.IPv6Address(int(ip) >> 64 << 64)}/64"
    return str(ip)


class MemoryCounters(MemoryStorage):
    """limits' in-process storage, swept of expired counters at most once a second.

    MemoryStorage sweeps after every counted request, walking every counter it holds: with
    the clients of the last two minutes at 100,000, each request cost ~12 ms of the event
    loop. Sweeping once a second keeps that cost flat and memory bounded by the clients seen
    in the last two minutes (a counter expires two windows after it started). Counts do not
    change: a counter read after its expiry is dropped on the spot, swept or not.
    """

    SWEEP_INTERVAL_SECONDS = 1.0

    def __init__(self) -> None:
        super().__init__()
        self.sweeps = 0
        self._next_sweep = 0.0

    # Replaces MemoryStorage's private per-request scheduling of its sweep (limits 5.x); only
    # the counters are swept: the sliding-window strategy keeps no moving-window events.
    async def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.time()
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.SWEEP_INTERVAL_SECONDS
        self.sweeps += 1
        expired = [key for key, expiry in self.expirations.items() if expiry <= now]
        for key in expired:
            self.storage.pop(key, None)
            self.expirations.pop(key, None)
            self.locks.pop(key, None)


def redis_storage_uri(redis_url: str) -> str:
    """REDIS_URL (`redis://`, `rediss://`, `unix://`) as limits' asyncio storage URI."""
    if redis_url.startswith("unix://"):
        return "async+redis+unix://" + redis_url.removeprefix("unix://")
    return "async+" + redis_url


def create_storage(settings: Settings) -> Storage:
    if settings.redis_url:
        return RedisStorage(
            redis_storage_uri(settings.redis_url),
            implementation="redispy",
            wrap_exceptions=True,
            key_prefix="apptremind-rate-limits",
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
    return MemoryCounters()


class RateLimit:
    """ASGI middleware applying `rules` per client (see the module's docstring)."""

    def __init__(self, app: ASGIApp, settings: Settings, storage: Storage | None = None):
        self.app = app
        self.rules = rules(settings)
        self.enabled = any(rule.per_minute > 0 for rule in self.rules)
        self.storage = storage or create_storage(settings)
        self.limiter = SlidingWindowCounterRateLimiter(self.storage)
        self._unavailable_logged_at = -math.inf

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.enabled:
            rule = next((r for r in self.rules if r.applies(scope["method"], scope["path"])), None)
            # A rule turned off leaves its requests unlimited, not to the next rule.
            if rule is not None and rule.per_minute > 0:
                client = scope.get("client")
                key = client_key(client[0]) if client else "unknown"
                retry_after = await self._refusal(rule, key)
                if retry_after is not None:
                    await send_problem(
                        send,
                        429,
                        "Too many requests",
                        f"Too many requests from this client; retry in {retry_after} s",
                        [(b"retry-after", str(retry_after).encode())],
                    )
                    return
        await self.app(scope, receive, send)

    async def _refusal(self, rule: Rule, key: str) -> int | None:
        """None when the request may go on, else the seconds to wait before the next one."""
        try:
            if await self.limiter.hit(rule.item, rule.name, key):
                return None
            stats = await self.limiter.get_window_stats(rule.item, rule.name, key)
        except StorageError as error:
            # Limits are a defence, not a dependency: an unreachable Redis lets requests
            # through rather than turning every one of them into a 500.
            self._log_unavailable(error)
            return None
        return max(1, math.ceil(stats.reset_time - time.time()))

    def _log_unavailable(self, error: StorageError) -> None:
        now = time.monotonic()
        if now - self._unavailable_logged_at >= UNAVAILABLE_LOG_INTERVAL_SECONDS:
            self._unavailable_logged_at = now
            logger.warning(
                "rate limit storage unavailable, requests pass unlimited: %s",
                type(error.storage_error).__name__,
            )
