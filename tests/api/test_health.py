import asyncio

import httpx

from api import health
from api.app import create_app


async def test_readyz_is_ready_when_database_temporal_and_broker_answer(
    settings, engine, temporal_dev_server, running_broker
):
    app = create_app(
        settings.model_copy(
            update={
                "temporal_address": temporal_dev_server.address,
                "kafka_bootstrap_servers": running_broker.bootstrap_servers,
            }
        )
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        response = await http.get("/readyz")
    await app.state.engine.dispose()

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "temporal": "ok", "kafka": "ok"},
    }


async def test_readyz_names_what_is_down_and_answers_503(client):
    # The default test settings point Temporal and Kafka at ports where nothing listens.
    response = await client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    # What is down, never why: exception names stay in the log.
    assert body["checks"] == {"database": "ok", "temporal": "unavailable", "kafka": "unavailable"}


async def test_readyz_measures_at_most_once_within_its_cache_time(client, monkeypatch):
    probes = []

    async def kafka_probe(request):
        probes.append("kafka")

    monkeypatch.setattr(health, "_kafka", kafka_probe)
    answers = await asyncio.gather(*(client.get("/readyz") for _ in range(5)))
    assert [a.json()["checks"]["kafka"] for a in answers] == ["ok"] * 5
    assert probes == ["kafka"]

    monkeypatch.setattr(health, "READY_CACHE_SECONDS", 0.0)
    await client.get("/readyz")
    assert probes == ["kafka", "kafka"]


async def test_healthz_answers_without_touching_dependencies(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
