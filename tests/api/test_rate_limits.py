from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from api.app import create_app
from api.rate_limits import TokenBuckets
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
    assert 1 <= int(refused.headers["retry-after"]) <= 6  # ten a minute: one back every 6 s
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


def test_a_bucket_refills_at_its_rate_and_never_beyond_its_capacity():
    now = [1000.0]
    buckets = TokenBuckets(clock=lambda: now[0])
    assert [buckets.take("auth", "a", 2) for _ in range(2)] == [0.0, 0.0]
    assert buckets.take("auth", "a", 2) == pytest.approx(30.0)  # two a minute: 30 s each
    now[0] += 30.0
    assert buckets.take("auth", "a", 2) == 0.0
    assert buckets.take("auth", "a", 2) > 0
    now[0] += 3600.0  # an hour idle refills two tokens, not 120
    assert [buckets.take("auth", "a", 2) for _ in range(3)][2] > 0
    assert buckets.take("auth", "b", 2) == 0.0  # another client has its own bucket
