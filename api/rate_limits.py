"""Per-client request limits of the gateway: a token bucket per rule and client address.

Three rules, each `<n>` requests a minute with bursts up to `<n>`: sign-in and password
reset (guessing passwords), the public booking endpoints (scraping slots, flooding bookings),
and the rest of the API. A refused request answers 429 problem+json with `Retry-After`.

The buckets live in the API process: with API_WORKERS > 1 each process counts on its own,
so a client may get up to that many times the limit.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from api.middleware import send_problem
from apptremind.settings import Settings

AUTH_PATHS = frozenset(
    {
        "/api/v1/auth/login",
        "/api/v1/auth/register",
        "/api/v1/auth/password-reset",
        "/api/v1/auth/password-reset/confirm",
    }
)
PUBLIC_PREFIX = "/api/v1/public/"
API_PREFIX = "/api/v1/"
MAX_BUCKETS = 100_000  # beyond this, full buckets are forgotten (a full bucket is no state)


@dataclass(frozen=True)
class Rule:
    name: str
    per_minute: int  # 0 turns the rule off
    applies: Callable[[str, str], bool]  # (method, path)


def rules(settings: Settings) -> list[Rule]:
    """The first rule that applies to a request is the one it counts against."""
    return [
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


class TokenBuckets:
    """Buckets of `capacity` tokens refilled at `capacity` a minute; a request takes one."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}  # -> (tokens, at)

    def take(self, rule: str, client: str, capacity: int) -> float:
        """0 when the request may go on, else the seconds until a token is back."""
        now = self.clock()
        rate = capacity / 60.0
        tokens, at = self._buckets.get((rule, client), (float(capacity), now))
        tokens = min(float(capacity), tokens + (now - at) * rate)
        if tokens < 1.0:
            self._buckets[(rule, client)] = (tokens, now)
            return (1.0 - tokens) / rate
        if len(self._buckets) >= MAX_BUCKETS:
            self._forget_full(now)
        self._buckets[(rule, client)] = (tokens - 1.0, now)
        return 0.0

    def _forget_full(self, now: float) -> None:
        """Drops buckets idle long enough to be full again (60 s refills any bucket)."""
        self._buckets = {
            key: (tokens, at) for key, (tokens, at) in self._buckets.items() if now - at < 60.0
        }


class RateLimit:
    """ASGI middleware applying `rules` per client address (the connection's peer; behind a
    proxy, run the API with the proxy's forwarded-address handling)."""

    def __init__(self, app: ASGIApp, settings: Settings, buckets: TokenBuckets | None = None):
        self.app = app
        self.rules = rules(settings)
        self.enabled = any(rule.per_minute > 0 for rule in self.rules)
        self.buckets = buckets or TokenBuckets()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.enabled:
            rule = next((r for r in self.rules if r.applies(scope["method"], scope["path"])), None)
            # A rule turned off leaves its requests unlimited, not to the next rule.
            if rule is not None and rule.per_minute > 0:
                client = scope.get("client")
                address = client[0] if client else "unknown"
                wait = self.buckets.take(rule.name, address, rule.per_minute)
                if wait > 0:
                    retry_after = math.ceil(wait)
                    await send_problem(
                        send,
                        429,
                        "Too many requests",
                        f"Too many requests from this client; retry in {retry_after} s",
                        [(b"retry-after", str(retry_after).encode())],
                    )
                    return
        await self.app(scope, receive, send)
