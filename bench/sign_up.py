"""Owners for stacks that run no notification worker: a sign-up asked for in this process,
with the token its email would carry, confirmed over HTTP as the emailed link does."""

from typing import Any

import httpx

from apptremind.auth import service as auth_service
from apptremind.db import create_engine, create_sessionmaker, unit_of_work
from apptremind.settings import Settings


async def sign_up_owner(
    http: httpx.AsyncClient,
    database_url: str,
    *,
    email: str,
    password: str,
    business_name: str,
    timezone: str,
) -> dict[str, Any]:
    """The answer of POST /auth/register/confirm: the owner's access token and ids."""
    settings = Settings(database_url=database_url)  # the stack's (local) secrets
    engine = create_engine(settings)
    try:
        async with unit_of_work(create_sessionmaker(engine)) as session:
            stored = await auth_service.store_sign_up(
                session,
                email=email,
                password=password,
                business_name=business_name,
                timezone=timezone,
                secret=settings.jwt_secret,
            )
    finally:
        await engine.dispose()
    if stored is None:
        raise RuntimeError(f"too many sign-ups for {email} within the hour")
    _, token = stored
    confirmed = await http.post("/api/v1/auth/register/confirm", json={"token": token})
    confirmed.raise_for_status()
    return dict(confirmed.json())
