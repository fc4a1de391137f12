"""`apptremind api` with several processes: they share the port and stop together."""

import os
import signal
import subprocess
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

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
        # Each kept-alive connection is held by the process that answered on it.
        answered_by = {
            holder_of_connection(port, client_port(client), children(api.pid)) for client in clients
        }
        for client in clients:
            client.close()
        assert len(answered_by) == 2, answered_by
        # One scrape, whichever process answers it, counts the requests of both.
        scraped = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        assert healthz_requests(scraped) == 16

        api.send_signal(signal.SIGTERM)

        assert api.wait(timeout=30) == 0
        with pytest.raises(httpx.ConnectError):  # no worker was left behind on the port
            httpx.get(f"http://127.0.0.1:{port}/healthz")
    finally:
        if api.poll() is None:
            api.kill()
            api.wait()


def healthz_requests(exposition: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        if sample.name == "apptremind_http_requests_total"
        and sample.labels.get("route") == "/healthz"
    )


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def client_port(client: httpx.Client) -> int:
    """The local port of the client's one pooled connection (it was just used)."""
    [connection] = client._transport._pool.connections  # type: ignore[attr-defined]
    stream = connection._connection._network_stream  # type: ignore[union-attr]
    return stream.get_extra_info("client_addr")[1]


def holder_of_connection(server_port: int, peer_port: int, pids: list[int]) -> int:
    """Which of `pids` holds the server end of the TCP connection from `peer_port`."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port, remote_port = (int(address.split(":")[1], 16) for address in fields[1:3])
        if (local_port, remote_port) == (server_port, peer_port):
            inode = fields[9]
    assert inode is not None, f"no server socket for the connection from port {peer_port}"
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except FileNotFoundError:
                continue
    raise AssertionError(f"no API process holds socket {inode}")
