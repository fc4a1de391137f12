"""`apptremind dev` (what `make run` runs), started as a user would, on free ports.

Every test runs the real command in its own folder: embedded PostgreSQL, the Temporal dev
server and Web UI, the tansu broker, the migrations, the API, the relay and the notification
worker. Nothing here uses the fixed ports of `make run`, so a running platform is left alone.
"""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import binary, free_port
from tests.conftest import server_dir

PASSWORD = "a long password"
READY_TIMEOUT_SECONDS = 90
STOP_TIMEOUT_SECONDS = 40
EXTERNAL = ("DATABASE_URL", "TEMPORAL_ADDRESS", "KAFKA_BOOTSTRAP_SERVERS")
FIXED_PORTS = {55432, 7233, 8233, 9092, 8080, 12111, 8086, 8087}


class DevPlatform:
    """One `apptremind dev` process in `cwd`, its output captured to a file there."""

    def __init__(self, cwd: Path, extra_env: dict[str, str] | None = None) -> None:
        self.cwd = cwd
        names = (
            "API",
            "DEV_POSTGRES",
            "DEV_TEMPORAL",
            "DEV_TEMPORAL_UI",
            "DEV_KAFKA",
            "DEV_STRIPE",
            "ANALYTICS_METRICS",
            "BILLING_METRICS",
        )
        self.ports = dict(zip(names, distinct_free_ports(len(names)), strict=True))
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in EXTERNAL and not key.startswith("STRIPE_")
        }
        self.env.update({f"{name}_PORT": str(port) for name, port in self.ports.items()})
        # The console email provider writes the emails to the captured output.
        self.env.update({"ENVIRONMENT": "local", "EMAIL_PROVIDER": "console", "REDIS_URL": ""})
        self.env.update(extra_env or {})
        self.output = cwd / "dev-output.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.ports['API']}"

    @property
    def temporal_ui(self) -> str:
        return f"http://127.0.0.1:{self.ports['DEV_TEMPORAL_UI']}"

    def start(self) -> None:
        """Starts the command and waits until /readyz reports every dependency ok."""
        assert self.process is None
        self.started_at = len(self.read_output())
        with self.output.open("ab") as log:
            # Own session, so that the last-resort clean-up can kill its whole group.
            self.process = subprocess.Popen(
                [binary("apptremind"), "dev"],
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"`apptremind dev` exited with {self.process.returncode}:\n{self.tail()}"
                )
            try:
                response = httpx.get(f"{self.api}/readyz", timeout=5)
                last = f"{response.status_code} {response.text}"
                checks = response.json().get("checks", {})
                if response.status_code == 200 and set(checks.values()) == {"ok"}:
                    break
            except (httpx.HTTPError, ValueError) as exc:
                last = repr(exc)
            time.sleep(0.3)
        else:
            raise AssertionError(
                f"not ready after {READY_TIMEOUT_SECONDS}s ({last}):\n{self.tail()}"
            )
        # The banner is printed as soon as the API port answers: wait for it as well.
        self.wait_for_output("Temporal Web UI", timeout=15)

    def stop(self, signum: int = signal.SIGTERM) -> int:
        """SIGTERM as `kill` sends, or SIGINT as Ctrl+C does; returns the exit code."""
        assert self.process is not None
        self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"still running {STOP_TIMEOUT_SECONDS}s after {signum}:\n{self.tail()}"
            ) from None
        self.process = None
        return code

    def clean_up(self) -> None:
        """Ends whatever is still running, even after a failed assertion."""
        process, self.process = self.process, None
        if process is not None:
            children = _children_of(process.pid)
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=STOP_TIMEOUT_SECONDS)
                except subprocess.TimeoutExpired:
                    # The supervisor starts each child in its own session: end their groups.
                    for pid in [process.pid, *children]:
                        _kill_group(pid)
                    process.wait()
        # Last resort, also for children left behind by a supervisor that died on its own.
        _kill_processes_under(self.cwd)

    def read_output(self) -> str:
        return self.output.read_text(errors="replace") if self.output.exists() else ""

    def tail(self, chars: int = 4000) -> str:
        return self.read_output()[-chars:]

    def wait_for_output(self, text: str, timeout: float = 60) -> str:
        """The output of the current run once it contains `text`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            output = self.read_output()[self.started_at :]
            if text in output:
                return output
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared within {timeout}s:\n{self.tail()}")


def distinct_free_ports(count: int) -> list[int]:
    """Free loopback ports, all different and none of the fixed ports of `make run`."""
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports and port not in FIXED_PORTS:
            ports.append(port)
    return ports


def _children_of(parent: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                # The field after the parenthesised command name is the state, then the ppid.
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == parent:
                    children.append(int(entry.name))
    return children


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _kill_processes_under(root: Path) -> None:
    """Kills, by pid, the processes started in `root` or naming a path inside it."""
    root_text = str(root.resolve())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(entry / "cwd")
            if f"{root_text}/" in cmdline or cwd == root_text or cwd.startswith(f"{root_text}/"):
                os.kill(int(entry.name), signal.SIGKILL)


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until_closed(ports: list[int], timeout: float = 10) -> list[int]:
    """The ports still answering after `timeout` (empty when all are closed)."""
    deadline = time.monotonic() + timeout
    while True:
        still_open = [port for port in ports if listening(port)]
        if not still_open or time.monotonic() > deadline:
            return still_open
        time.sleep(0.2)


def healthy(base: str, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                return "apptremind_consumer_processed_total" in httpx.get(f"{base}/metrics").text
        time.sleep(0.3)
    return False


def register(api: httpx.Client, email: str, business: str) -> httpx.Response:
    return api.post(
        "/auth/register", json={"email": email, "password": PASSWORD, "business_name": business}
    )


def login(api: httpx.Client, email: str) -> httpx.Response:
    return api.post("/auth/login", json={"email": email, "password": PASSWORD})


@contextlib.contextmanager
def running(platform: DevPlatform) -> Iterator[httpx.Client]:
    platform.start()
    with httpx.Client(base_url=f"{platform.api}/api/v1", timeout=30) as api:
        yield api


@pytest.fixture
def platform() -> Iterator[DevPlatform]:
    # Outside pytest's tmp tree, which a pytest session starting meanwhile resets to mode
    # 0700, locking out the unprivileged user the embedded PostgreSQL runs as.
    with server_dir("dev") as cwd:
        dev = DevPlatform(cwd)
        try:
            yield dev
        finally:
            dev.clean_up()


def test_dev_starts_the_platform_and_stops_cleanly_on_sigterm(platform: DevPlatform) -> None:
    with running(platform) as api:
        output = platform.wait_for_output("API docs")
        assert f"{platform.api}/api/v1" in output
        assert f"{platform.api}/docs" in output
        assert platform.temporal_ui in output
        postgres = f"127.0.0.1:{platform.ports['DEV_POSTGRES']}/apptremind"
        assert f"PostgreSQL       postgresql://postgres@{postgres}" in output
        assert f"Kafka            127.0.0.1:{platform.ports['DEV_KAFKA']}" in output
        assert f"Stripe           http://127.0.0.1:{platform.ports['DEV_STRIPE']}" in output
        ui = httpx.get(f"{platform.temporal_ui}/", timeout=30)
        assert ui.status_code == 200
        assert "<html" in ui.text.lower()
        assert httpx.get(f"{platform.api}/docs", timeout=30).status_code == 200

        assert register(api, "dev@example.com", "Dev Salon").status_code == 201
        token = login(api, "dev@example.com")
        assert token.status_code == 200
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        profile = api.get("/business/profile", headers=auth)
        assert profile.status_code == 200
        assert profile.json()["name"] == "Dev Salon"
        service = {"name": "Cut", "duration_minutes": 30, "price": "20.00"}
        assert api.post("/business/services", headers=auth, json=service).status_code == 201
        assert api.post("/business/staff", headers=auth, json={"name": "Mia"}).status_code == 201

        # Free → the local Stripe stand-in's checkout → Pay → signed webhooks → relay → Pro.
        assert api.post("/business/staff", headers=auth, json={"name": "Tom"}).status_code == 402
        started = api.post("/billing/checkout", headers=auth)
        assert started.status_code == 200, started.text
        assert started.json()["checkout_url"].startswith(
            f"http://127.0.0.1:{platform.ports['DEV_STRIPE']}/checkout/"
        )
        paid = httpx.post(f"{started.json()['checkout_url']}/pay", timeout=30)
        assert "Webhook answers: 200, 200, 200" in paid.text
        deadline = time.monotonic() + 30
        while api.get("/business/profile", headers=auth).json()["subscription_tier"] != "pro":
            assert time.monotonic() < deadline, "the business never became Pro"
            time.sleep(0.2)
        sms = {"reminder_channels": ["email", "sms"]}
        assert api.patch("/business/profile", headers=auth, json=sms).status_code == 200
        subscription = api.get("/billing/subscription", headers=auth).json()
        assert (subscription["tier"], subscription["status"]) == ("pro", "active")

        # API → outbox → relay → Temporal → notification worker → console email.
        reset = api.post("/auth/password-reset", json={"email": "dev@example.com"})
        assert reset.status_code == 202
        output = platform.wait_for_output("Your reset code", timeout=60)
        assert "dev@example.com" in output

        # The Kafka consumers serve their health and counters; analytics answers owners.
        for consumer in ("ANALYTICS_METRICS", "BILLING_METRICS"):
            assert healthy(f"http://127.0.0.1:{platform.ports[consumer]}"), consumer
        summary = api.get(
            "/analytics/summary", params={"from": "2026-01-01", "to": "2026-01-31"}, headers=auth
        )
        assert summary.status_code == 200
        assert len(summary.json()) == 31

    assert platform.stop() == 0
    output = platform.read_output()
    assert "stopped" in output
    assert wait_until_closed(list(platform.ports.values())) == []


def test_dev_keeps_data_across_restarts(platform: DevPlatform) -> None:
    with running(platform) as api:
        assert register(api, "kept@example.com", "Kept").status_code == 201
    # Stopped with Ctrl+C this time: everything ends as well.
    assert platform.stop(signal.SIGINT) == 0
    assert wait_until_closed(list(platform.ports.values())) == []
    data = platform.cwd / ".data"
    assert (data / "postgres" / "pgdata" / "PG_VERSION").is_file()
    assert (data / "temporal.db").is_file()

    # Same folder, started again: the account is still there and the migrations re-apply.
    with running(platform) as api:
        token = login(api, "kept@example.com")
        assert token.status_code == 200, token.text
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        assert api.get("/business/profile", headers=auth).json()["name"] == "Kept"
        # The email is taken: registering it again is refused.
        assert register(api, "kept@example.com", "Again").status_code == 409
    assert platform.stop() == 0


def test_dev_uses_an_external_database_when_database_url_is_set() -> None:
    with server_dir("external-postgres") as postgres_dir, server_dir("dev") as app_dir:
        run_against_an_external_database(postgres_dir, app_dir)


def run_against_an_external_database(postgres_dir: Path, app_dir: Path) -> None:
    external = EmbeddedPostgres(postgres_dir, free_port())
    external.start()
    try:
        external.create_database("apptremind_external")
        dev = DevPlatform(app_dir, {"DATABASE_URL": external.url_for("apptremind_external")})
        try:
            with running(dev) as api:
                assert register(api, "ext@example.com", "Ext").status_code == 201
                assert login(api, "ext@example.com").status_code == 200
            assert not (app_dir / ".data" / "postgres").exists()
            assert not listening(dev.ports["DEV_POSTGRES"])
            assert "PostgreSQL       postgresql://" not in dev.read_output()
            users = external.psql("SELECT email FROM auth.users", "apptremind_external")
            assert users.split() == ["ext@example.com"]
            assert dev.stop() == 0
        finally:
            dev.clean_up()
    finally:
        external.stop()
        _kill_processes_under(postgres_dir)
