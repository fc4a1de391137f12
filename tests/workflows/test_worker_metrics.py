"""A worker process serves /healthz and /metrics: its own figures and the Temporal SDK's."""

import asyncio
import uuid

import httpx
import pytest

from apptremind.devstack.processes import free_port
from workers import notifications


@pytest.fixture
def worker_settings(settings, temporal_dev_server):
    return settings.model_copy(
        update={
            "temporal_address": temporal_dev_server.address,
            "notifications_task_queue": f"notifications-{uuid.uuid4()}",
            "notifications_worker_metrics_port": free_port(),
        }
    )


async def test_the_worker_serves_health_and_the_sdks_metrics_on_its_port(worker_settings):
    base = f"http://127.0.0.1:{worker_settings.notifications_worker_metrics_port}"
    stop = asyncio.Event()
    process = asyncio.create_task(notifications.run(worker_settings, stop))
    try:
        async with httpx.AsyncClient(base_url=base, timeout=5) as http:
            async with asyncio.timeout(30):
                while True:
                    try:
                        if (await http.get("/healthz")).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    await asyncio.sleep(0.1)
            async with asyncio.timeout(30):  # the SDK reports its pollers once they started
                while "temporal_" not in (metrics := (await http.get("/metrics")).text):
                    await asyncio.sleep(0.2)
            assert (await http.get("/nothing")).status_code == 404
    finally:
        stop.set()
        await asyncio.wait_for(process, 30)

    assert "apptremind_reminders_sent_total" in metrics or "apptremind_reminders_sent" in metrics
    assert "apptremind_reminder_lateness_seconds" in metrics
    assert 'process="worker-notifications"' in metrics  # the SDK's, tagged with the process
    # The worker's own metrics endpoint closed with it.
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base}/healthz")


def test_worker_metrics_are_off_unless_a_port_is_set():
    from apptremind.settings import Settings

    defaults = Settings(environment="test")
    assert defaults.appointments_worker_metrics_port == 0
    assert defaults.notifications_worker_metrics_port == 0
