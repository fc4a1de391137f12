"""A worker started while the Temporal server is away waits for it instead of exiting."""

import asyncio
import os
import signal
import subprocess
import time

from apptremind.devstack.processes import binary, free_port
from apptremind.temporal.client import connect_temporal_when_up


def test_a_worker_started_before_temporal_waits_and_still_stops_cleanly(settings, tmp_path):
    nowhere = f"127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "DATABASE_URL": settings.database_url,
        "TEMPORAL_ADDRESS": nowhere,
        "JWT_SECRET": settings.jwt_secret.get_secret_value(),
    }
    output = tmp_path / "worker.log"
    with output.open("wb") as log:
        worker = subprocess.Popen(
            [binary("apptremind"), "worker", "appointments"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while "unreachable" not in output.read_text(errors="replace"):
                assert worker.poll() is None, output.read_text(errors="replace")
                assert time.monotonic() < deadline, "the worker never said it was waiting"
                time.sleep(0.2)
            time.sleep(2)
            assert worker.poll() is None  # still waiting, not exited

            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=20) == 0
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()


async def test_once_the_server_answers_the_client_connects(settings, temporal_dev_server):
    on_the_server = settings.model_copy(update={"temporal_address": temporal_dev_server.address})
    client = await asyncio.wait_for(connect_temporal_when_up(on_the_server, asyncio.Event()), 20)
    assert client is not None
    assert await client.service_client.check_health()
