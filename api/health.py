"""Liveness and readiness: /readyz checks every dependency the platform needs.

Readiness is measured at most once every `READY_CACHE_SECONDS` per process, however often it
is asked (a probe opens a broker connection), and answers only "ok" or "unavailable" per
dependency: why one is down goes to the log, not to whoever asks.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiokafka.client import AIOKafkaClient
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import get_temporal

router = APIRouter(tags=["health"])
logger = logging.getLogger("apptremind.api.health")

PROBE_TIMEOUT_SECONDS = 3.0
READY_CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, str]
    measured_at: float  # time.monotonic()

    @property
    def ready(self) -> bool:
        return all(result == "ok" for result in self.checks.values())


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    readiness = await _readiness(request)
    return JSONResponse(
        {"status": "ready" if readiness.ready else "unavailable", "checks": readiness.checks},
        status_code=200 if readiness.ready else 503,
        headers={"Cache-Control": "no-store"},
    )


async def _readiness(request: Request) -> Readiness:
    """The last measurement while it is fresh; concurrent callers share one new one."""
    app: FastAPI = request.app
    if not hasattr(app.state, "readiness_lock"):
        app.state.readiness_lock = asyncio.Lock()
        app.state.readiness = None
    async with app.state.readiness_lock:
        cached: Readiness | None = app.state.readiness
        if cached is None or time.monotonic() - cached.measured_at >= READY_CACHE_SECONDS:
            app.state.readiness = await _measure(request)
        readiness: Readiness = app.state.readiness
        return readiness


async def _measure(request: Request) -> Readiness:
    probes: dict[str, Callable[[], Awaitable[Any]]] = {
        "database": lambda: _database(request),
        "temporal": lambda: _temporal(request),
        "kafka": lambda: _kafka(request),
    }
    results = await asyncio.gather(*(_run(name, probe) for name, probe in probes.items()))
    return Readiness(dict(zip(probes, results, strict=True)), time.monotonic())


async def _run(name: str, probe: Callable[[], Awaitable[Any]]) -> str:
    try:
        await asyncio.wait_for(probe(), PROBE_TIMEOUT_SECONDS)
    except Exception as exc:  # a probe reports any failure as "unavailable"
        logger.warning("readiness: %s is unavailable (%s)", name, type(exc).__name__)
        return "unavailable"
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
