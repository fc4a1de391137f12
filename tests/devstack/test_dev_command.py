"""`apptremind dev` (what `make run` runs), started as a user would, on free ports."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from apptremind.devstack.processes import binary, free_port

PASSWORD = "a long password"


class DevPlatform:
    def __init__(self, cwd: Path, extra_env: dict[str, str] | None = None) -> None:
        self.cwd = cwd
        self.ports = {
            name: free_port()
            for name in ("API", "DEV_POSTGRES", "DEV_TEMPORAL", "DEV_TEMPORAL_UI", "DEV_KAFKA")
        }
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "TEMPORAL_ADDRESS", "KAFKA_BOOTSTRAP_SERVERS")
        }
        self.env.update({f"{name}_PORT": str(port) for name, port in self.ports.items()})
        self.env.update(extra_env or {})
        self.output = cwd / "dev-output.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.ports['API']}"

    def start(self) -> None:
        with self.output.open("ab") as log:
            self.process = subprocess.Popen(
                [binary("apptremind"), "dev"], cwd=self.cwd, env=self.env, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output.read_text()[-3000:]
            try:
                if httpx.get(f"{self.api}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise AssertionError(
            "the platform did not become ready:\n" + self.output.read_text()[-3000:]
        )

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=60)
        self.process = None
        return code

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        # Children run in their own sessions: end any the supervisor could not.
        subprocess.run(["pkill", "-KILL", "-f", str(self.cwd)], check=False)

    def wait_for_output(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            output = self.output.read_text()
            if text in output:
                return output
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared:\n{self.output.read_text()[-3000:]}")


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def platform(tmp_path):
    dev = DevPlatform(tmp_path)
    yield dev
    dev.kill()


def test_dev_runs_the_platform_end_to_end_and_stops_cleanly(platform):
    platform.start()
    output = platform.output.read_text()
    assert f"{platform.api}/api/v1" in output
    assert f"{platform.api}/docs" in output
    assert f"http://127.0.0.1:{platform.ports['DEV_TEMPORAL_UI']}" in output
    assert httpx.get(f"http://127.0.0.1:{platform.ports['DEV_TEMPORAL_UI']}/").status_code == 200
    assert httpx.get(f"{platform.api}/docs").status_code == 200

    with httpx.Client(base_url=f"{platform.api}/api/v1") as api:
        owner = api.post(
            "/auth/register",
            json={"email": "dev@example.com", "password": PASSWORD, "business_name": "Dev"},
        )
        assert owner.status_code == 201
        token = api.post("/auth/login", json={"email": "dev@example.com", "password": PASSWORD})
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        assert api.get("/business/profile", headers=auth).json()["name"] == "Dev"
        service = {"name": "Cut", "duration_minutes": 30, "price": "20"}
        assert api.post("/business/services", headers=auth, json=service).status_code == 201
        assert api.post("/business/staff", headers=auth, json={"name": "Mia"}).status_code == 201
        # Outbox → relay → Temporal → notification worker → console email.
        reset = api.post("/auth/password-reset", json={"email": "dev@example.com"})
        assert reset.status_code == 202
    platform.wait_for_output("Your reset code:")

    assert platform.stop() == 0
    for port in platform.ports.values():
        assert not listening(port), port


def test_dev_keeps_data_in_the_data_folder_across_restarts(platform, tmp_path):
    platform.start()
    registered = httpx.post(
        f"{platform.api}/api/v1/auth/register",
        json={"email": "kept@example.com", "password": PASSWORD, "business_name": "Kept"},
    )
    assert registered.status_code == 201
    assert platform.stop() == 0

    platform.start()
    login = httpx.post(
        f"{platform.api}/api/v1/auth/login",
        json={"email": "kept@example.com", "password": PASSWORD},
    )
    assert login.status_code == 200
    assert (tmp_path / ".data" / "postgres" / "pgdata").is_dir()
    assert platform.stop() == 0


def test_dev_uses_an_external_database_when_database_url_is_set(postgres, tmp_path):
    postgres.create_database("apptremind_external")
    dev = DevPlatform(tmp_path, {"DATABASE_URL": postgres.url_for("apptremind_external")})
    try:
        dev.start()
        registered = httpx.post(
            f"{dev.api}/api/v1/auth/register",
            json={"email": "ext@example.com", "password": PASSWORD, "business_name": "Ext"},
        )
        assert registered.status_code == 201
        assert not (tmp_path / ".data" / "postgres").exists()
        assert not listening(dev.ports["DEV_POSTGRES"])
        users = postgres.psql("SELECT email FROM auth.users", "apptremind_external")
        assert users.strip() == "ext@example.com"
        assert dev.stop() == 0
    finally:
        dev.kill()
