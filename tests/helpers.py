"""Small helpers the API tests share."""

import uuid
from typing import Any

import httpx


async def register(
    client: httpx.AsyncClient,
    email: str | None = None,
    password: str = "correct horse battery",
    business_name: str = "Studio Nord",
    timezone: str = "Europe/Berlin",
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/register",
        json={
            "email": email or f"owner-{uuid.uuid4().hex[:8]}@example.com",
            "password": password,
            "business_name": business_name,
            "timezone": timezone,
        },
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
