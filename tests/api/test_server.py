"""`apptremind api` with several processes: they share the port and stop together."""

import os
import signal
import subprocess

import httpx
import pytest

from apptremind.devstack.processes import binary, free_port, wait_for_port
from tests.conftest import TEST_DATABASE


def test_several_api_processes_serve_one_port_and_stop_together_on_sigterm(postgres):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": postgres.url_for(TEST_DATABASE),
        "API_PORT": str(port),
        "API_WORKERS": "2",
    }
    api = subprocess.Popen(
        [binary("apptremind"), "api"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port("127.0.0.1", port)
        clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}") for _ in range(16)]
        assert {client.get("/healthz").status_code for client in clients} == {200}
        for client in clients:
            client.close()

        api.send_signal(signal.SIGTERM)

        assert api.wait(timeout=30) == 0
        with pytest.raises(httpx.ConnectError):  # no worker was left behind on the port
            httpx.get(f"http://127.0.0.1:{port}/healthz")
    finally:
        if api.poll() is None:
            api.kill()
            api.wait()
