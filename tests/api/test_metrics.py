"""GET /metrics on the API port: requests by route template and status, latency, in flight."""

import uuid
from ipaddress import ip_network

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError

from api.app import create_app
from apptremind.settings import Settings
from tests.helpers import bearer, register


def samples(exposition: str) -> dict[tuple[str, frozenset], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


def count(exposition: str, name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(
        value
        for (sample, sample_labels), value in samples(exposition).items()
        if sample == name and wanted <= sample_labels
    )


async def test_requests_are_counted_by_route_template_and_status(client):
    before = (await client.get("/metrics")).text
    owner = await register(client, f"metrics-{uuid.uuid4().hex[:8]}@example.com")
    missing = uuid.uuid4()
    for _ in range(2):
        answer = await client.get(
            f"/api/v1/appointments/{missing}", headers=bearer(owner["access_token"])
        )
        assert answer.status_code == 404
    await client.get("/api/v1/nowhere")
    scraped = await client.get("/metrics")

    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain; version=0.0.4")
    after = scraped.text
    by_template = {"method": "GET", "route": "/api/v1/appointments/{appointment_id}"}
    assert (
        count(after, "apptremind_http_requests_total", status="404", **by_template)
        - count(before, "apptremind_http_requests_total", status="404", **by_template)
        == 2
    )
    assert str(missing) not in after  # ids never become labels
    assert count(after, "apptremind_http_requests_total", route="unmatched", status="404") >= 1
    assert (
        count(after, "apptremind_http_request_duration_seconds_count", **by_template)
        - count(before, "apptremind_http_request_duration_seconds_count", **by_template)
        == 2
    )
    # The scrape itself is in flight while it is rendered.
    assert count(after, "apptremind_http_requests_in_progress", method="GET") >= 1
    assert "apptremind_reminder_lateness_seconds" in after  # the process-wide metrics too
    assert "/metrics" not in (await client.get("/openapi.json")).text


async def test_scrapes_count_against_no_rate_limit(settings, engine):
    strict = settings.model_copy(
        update={
            name: 1
            for name in Settings.model_fields
            if name.startswith("rate_limit_") and name.endswith("_per_minute")
        }
    )
    app = create_app(strict)
    transport = httpx.ASGITransport(app=app, client=("172.18.0.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        answers = [(await http.get("/metrics")).status_code for _ in range(5)]
        limited = [(await http.get("/api/v1/business/profile")).status_code for _ in range(3)]
    await app.state.engine.dispose()
    assert answers == [200] * 5
    assert 429 in limited  # the limits are on: the scrapes were simply not counted


async def test_metrics_answer_only_the_networks_prometheus_scrapes_from(settings: Settings):
    app = create_app(settings.model_copy(update={"metrics_allow_ips": [ip_network("10.0.0.0/8")]}))
    try:
        for client, status in (
            (("10.1.2.3", 5000), 200),
            (("203.0.113.7", 5000), 404),  # the public, or the public through a trusted proxy
            (("::ffff:10.1.2.3", 5000), 200),
            (("127.0.0.1", 5000), 404),  # not in this list
        ):
            transport = httpx.ASGITransport(app=app, client=client)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                answer = await http.get("/metrics")
            assert answer.status_code == status, client
            if status == 404:
                assert answer.headers["content-type"] == "application/problem+json"
                assert "apptremind_http_requests_total" not in answer.text
    finally:
        await app.state.engine.dispose()


def test_metrics_allow_ips_is_read_as_networks_and_refused_when_malformed(settings: Settings):
    env = {"DATABASE_URL": settings.database_url, "ENVIRONMENT": "test"}
    read = Settings(**env, METRICS_ALLOW_IPS="10.0.0.0/8, ::1")  # type: ignore[call-arg]
    assert read.metrics_allow_ips == [ip_network("10.0.0.0/8"), ip_network("::1")]
    with pytest.raises(ValidationError, match="METRICS_ALLOW_IPS"):
        Settings(**env, METRICS_ALLOW_IPS="10.0.0.0/8,not-a-network")  # type: ignore[call-arg]
