"""Session-wide real infrastructure: PostgreSQL, a Kafka-protocol broker and Temporal.

Every server is started by the suite itself, on free loopback ports, from the wheels the
project installs; nothing is downloaded and the fixed ports of `make run` are never used.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from apptremind.db import DOMAIN_SCHEMAS, create_engine, create_sessionmaker
from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import (
    binary,
    broker_command,
    free_port,
    temporal_dev_server_command,
    wait_for_port,
)
from apptremind.migrations.runner import upgrade
from apptremind.models import Base
from apptremind.settings import Settings
from tests.fake_http import fake_sendgrid, fake_twilio  # noqa: F401 - shared fixtures
from tests.smtp import mail_server  # noqa: F401 - a fixture shared by the suite

TEST_DATABASE = "apptremind_test"

# Settings built anywhere in the suite (and the processes it starts) are a test platform's:
# its built-in secrets and console providers are accepted only there.
os.environ.setdefault("ENVIRONMENT", "test")


@pytest.fixture(scope="session")
def postgres() -> Iterator[EmbeddedPostgres]:
    with server_dir("postgres") as data_dir:
        server = EmbeddedPostgres(data_dir, free_port())
        server.start()
        try:
            server.create_database(TEST_DATABASE)
            upgrade(server.url_for(TEST_DATABASE))
            yield server
        finally:
            server.stop()


@contextlib.contextmanager
def server_dir(name: str) -> Iterator[Path]:
    """A folder outside pytest's tmp tree: pytest resets that tree to mode 0700 whenever a
    session starts, which would lock out the unprivileged user PostgreSQL runs as."""
    path = Path(tempfile.mkdtemp(prefix=f"apptremind-test-{name}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


class Broker:
    """A tansu broker process that tests may stop and start again (an outage)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.bootstrap_servers = f"127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            broker_command(self.port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for_port("127.0.0.1", self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="session")
def broker() -> Iterator[Broker]:
    server = Broker(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def running_broker(broker: Broker) -> Broker:
    """The broker, restarted if an earlier test left it stopped."""
    if broker.process is None or broker.process.poll() is not None:
        broker.start()
    return broker


@pytest.fixture(scope="session")
async def time_skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter,
        test_server_existing_path=binary("temporal-test-server"),
    )
    yield env
    await env.shutdown()


class TemporalDevServer:
    def __init__(self, address: str, ui_port: int, process: subprocess.Popen[bytes]) -> None:
        self.address = address
        self.ui_port = ui_port
        self.process = process


@pytest.fixture(scope="session")
def temporal_dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemporalDevServer]:
    """The real Temporal dev server with its Web UI, as `make run` starts it."""
    port, ui_port = free_port(), free_port()
    db_file = tmp_path_factory.mktemp("temporal") / "temporal.db"
    process = subprocess.Popen(
        temporal_dev_server_command(db_file, port=port, ui_port=ui_port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port("127.0.0.1", port)
        wait_for_port("127.0.0.1", ui_port)
        yield TemporalDevServer(f"127.0.0.1:{port}", ui_port, process)
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
async def temporal_client(temporal_dev_server: TemporalDevServer) -> Client:
    return await Client.connect(temporal_dev_server.address, data_converter=pydantic_data_converter)


@pytest.fixture
def task_queue() -> str:
    return f"test-{uuid.uuid4()}"


@pytest.fixture
def settings(postgres: EmbeddedPostgres) -> Settings:
    """Settings of a platform whose Temporal and Kafka are not running (tests opt in)."""
    return Settings(
        environment="test",
        database_url=postgres.url_for(TEST_DATABASE),
        temporal_address=f"127.0.0.1:{free_port()}",
        kafka_bootstrap_servers=f"127.0.0.1:{free_port()}",
        jwt_secret="test-secret-" + "x" * 40,
        outbox_poll_seconds=0.05,
        # Tests send many requests from one address; tests/api/test_rate_limits.py turns
        # the limits back on.
        rate_limit_auth_per_minute=0,
        rate_limit_public_per_minute=0,
        rate_limit_api_per_minute=0,
    )


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty database: every test starts from clean tables."""
    engine = create_engine(settings)
    tables = ", ".join(
        f"{table.schema}.{table.name}"
        for table in Base.metadata.sorted_tables
        if table.schema in DOMAIN_SCHEMAS
    )
    async with engine.begin() as connection:
        await connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@pytest.fixture
async def client(settings: Settings, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await app.state.engine.dispose()


@pytest.fixture
def project_root() -> Path:
    return Path(__file__).resolve().parents[1]
