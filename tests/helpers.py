"""Small helpers the API tests share."""

import uuid
from typing import Any

import httpx

from apptremind.auth import service as auth_service
from apptremind.db import unit_of_work


async def sign_up_token(
    client: httpx.AsyncClient,
    email: str,
    password: str = "correct horse battery",
    business_name: str = "Studio Nord",
    timezone: str = "Europe/Berlin",
) -> str:
    """Stores a sign-up as POST /auth/register does, in this process, and returns the token
    its email would carry; the test carries it, so no email is asked for (no notification
    worker runs in these tests, and the relay of some runs without Temporal)."""
    app = client._transport.app  # type: ignore[attr-defined]  # the API in this process
    async with unit_of_work(app.state.sessionmaker) as session:
        stored = await auth_service.store_sign_up(
            session,
            email=email,
            password=password,
            business_name=business_name,
            timezone=timezone,
            secret=app.state.settings.jwt_secret,
        )
    assert stored is not None, "too many sign-ups for this address within the hour"
    return stored[1]


async def register(
    client: httpx.AsyncClient,
    email: str | None = None,
    password: str = "correct horse battery",
    business_name: str = "Studio Nord",
    timezone: str = "Europe/Berlin",
) -> dict[str, Any]:
    """An owner signed up and confirmed, as with the link of the sign-up email; the answer
    of POST /auth/register/confirm (tests/workflows/test_sign_up_email.py goes through the
    real email)."""
    email = email or f"owner-{uuid.uuid4().hex[:8]}@example.com"
    token = await sign_up_token(client, email, password, business_name, timezone)
    response = await client.post("/api/v1/auth/register/confirm", json={"token": token})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
