"""Liveness and readiness: /readyz checks every dependency the platform needs."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka.client import AIOKafkaClient
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import get_temporal

router = APIRouter(tags=["health"])

PROBE_TIMEOUT_SECONDS = 3.0


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    probes: dict[str, Callable[[], Awaitable[Any]]] = {
        "database": lambda: _database(request),
        "temporal": lambda: _temporal(request),
        "kafka": lambda: _kafka(request),
    }
    results = await asyncio.gather(*(_run(probe) for probe in probes.values()))
    checks = dict(zip(probes, results, strict=True))
    ready = all(result == "ok" for result in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )


async def _run(probe: Callable[[], Awaitable[Any]]) -> str:
    try:
        await asyncio.wait_for(probe(), PROBE_TIMEOUT_SECONDS)
    except Exception as exc:  # a probe reports any failure as "unavailable"
        return f"unavailable: {type(exc).__name__}"
    return "ok"


async def _database(request: Request) -> None:
    async with request.app.state.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _temporal(request: Request) -> None:
    client = await get_temporal(request)
    if not await client.service_client.check_health():
        raise RuntimeError("temporal is not serving")


async def _kafka(request: Request) -> None:
    client = AIOKafkaClient(bootstrap_servers=request.app.state.settings.kafka_bootstrap_servers)
    try:
        await client.bootstrap()
    finally:
        await client.close()
