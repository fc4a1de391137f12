"""`apptremind dev` (what `make run` runs), started as a user would, on free ports.

Every test runs the real command in its own folder: embedded PostgreSQL, the Temporal dev
server and Web UI, the tansu broker, the migrations, the API, the relay and the notification
worker. Nothing here uses the fixed ports of `make run`, so a running platform is left alone.
"""

import contextlib
import re
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import free_port
from tests.conftest import server_dir
from tests.devstack.dev_platform import DevPlatform, kill_processes_under

PASSWORD = "a long password"
CONFIRM_LINK = re.compile(r"/app/confirm-sign-up\?token=([\w.-]+)")


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


def register(platform: DevPlatform, api: httpx.Client, email: str, business: str) -> httpx.Response:
    """Signs up as a new owner does and answers the confirmation: the sign-up, its email
    (the console provider prints it), the link's token."""
    asked = api.post(
        "/auth/register", json={"email": email, "password": PASSWORD, "business_name": business}
    )
    assert asked.status_code == 202, asked.text
    output = platform.wait_for_output(f"To: {email}\nSubject: Confirm your sign-up")
    email_text = output[output.index(f"To: {email}\nSubject: Confirm your sign-up") :]
    found = CONFIRM_LINK.search(email_text)
    assert found, email_text
    return api.post("/auth/register/confirm", json={"token": found.group(1)})


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

        assert register(platform, api, "dev@example.com", "Dev Salon").status_code == 201
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
        assert register(platform, api, "kept@example.com", "Kept").status_code == 201
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
        # The email is taken: signing up again mails how to sign in instead.
        again = api.post(
            "/auth/register",
            json={"email": "kept@example.com", "password": PASSWORD, "business_name": "Again"},
        )
        assert again.status_code == 202
        platform.wait_for_output("Subject: You already have an ApptRemind account")
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
                assert register(dev, api, "ext@example.com", "Ext").status_code == 201
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
        kill_processes_under(postgres_dir)
