"""The platform under test: PostgreSQL, the Temporal dev server, the broker, the API, the
relay, both workers and both consumers, each a real OS process on free loopback ports, as
`make run` starts them; the faults kill, stop and restart them through this class."""

import asyncio
import os
import signal
import subprocess
import time
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter

from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import (
    binary,
    broker_command,
    free_port,
    temporal_dev_server_command,
    wait_for_port,
)
from apptremind.migrations.runner import upgrade
from bench.chaos.proxy import OutageProxy

DATABASE = "apptremind"
# The ports of `make run`: never used here, so a running platform is left alone.
FIXED_PORTS = {55432, 7233, 8233, 9092, 8080, 12111, 8086, 8087, 8088, 1025}
APP_PROCESSES = {
    "api": ["api"],
    "relay": ["relay"],
    "worker-appointments": ["worker", "appointments"],
    "worker-notifications": ["worker", "notifications"],
    "consume-analytics": ["consume", "analytics"],
    "consume-billing": ["consume", "billing"],
}
# The task queue each worker polls, and for what: Temporal lists its pollers once it runs.
POLLED_QUEUES = {
    "worker-appointments": ("appointments", TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
    "worker-notifications": ("notifications", TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
}
READY_TIMEOUT_SECONDS = 120


def distinct_free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports and port not in FIXED_PORTS:
            ports.append(port)
    return ports


class Child:
    """One OS process of the platform, its output appended to a log file of the run."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        with self.log.open("ab") as output:
            output.write(f"\n===== chaos: starting {self.name} ({time.ctime()}) =====\n".encode())
            output.flush()
            # Own session: a signal meant for the harness never reaches it, and vice versa;
            # the run's folder as working directory: a last-resort clean-up finds it there.
            self.process = subprocess.Popen(
                self.command,
                cwd=self.log.parent,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def returncode(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def kill(self) -> None:
        """`kill -9`: no clean-up, no goodbye."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def stop(self, timeout: float = 15) -> None:
        self.terminate()
        if self.process is None:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class Stack:
    def __init__(self, run_dir: Path, smtp_port: int) -> None:
        self.run_dir = run_dir
        names = ["postgres", "temporal", "temporal_ui", "broker", "broker_proxy", "api"]
        names += ["analytics_metrics", "billing_metrics", "relay_metrics"]
        self.ports = dict(zip(names, distinct_free_ports(len(names)), strict=True))
        self.postgres = EmbeddedPostgres(run_dir / "postgres", self.ports["postgres"])
        self.database_url = self.postgres.url_for(DATABASE)
        self.temporal_address = f"127.0.0.1:{self.ports['temporal']}"
        self.api_base = f"http://127.0.0.1:{self.ports['api']}"
        self.proxy = OutageProxy(self.ports["broker_proxy"], self.ports["broker"])
        inherited = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "TEMPORAL_ADDRESS", "KAFKA_BOOTSTRAP_SERVERS")
            and not key.startswith(("STRIPE_", "TWILIO_", "SENDGRID_", "RATE_LIMIT_"))
        }
        self.env = inherited | {
            "ENVIRONMENT": "local",
            "DATABASE_URL": self.database_url,
            "TEMPORAL_ADDRESS": self.temporal_address,
            "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{self.ports['broker_proxy']}",
            "API_HOST": "127.0.0.1",
            "API_PORT": str(self.ports["api"]),
            "API_WORKERS": "1",
            "PUBLIC_BASE_URL": self.api_base,
            "EMAIL_PROVIDER": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "SMS_PROVIDER": "console",
            "REDIS_URL": "",
            # The load comes from one address; the gateway's per-address limits are not
            # what this run is about.
            "RATE_LIMIT_AUTH_PER_MINUTE": "0",
            "RATE_LIMIT_PUBLIC_PER_MINUTE": "0",
            "RATE_LIMIT_API_PER_MINUTE": "0",
            "CONSUMER_METRICS_HOST": "127.0.0.1",
            "ANALYTICS_METRICS_PORT": str(self.ports["analytics_metrics"]),
            "BILLING_METRICS_PORT": str(self.ports["billing_metrics"]),
            "RELAY_METRICS_HOST": "127.0.0.1",
            "RELAY_METRICS_PORT": str(self.ports["relay_metrics"]),
        }
        self.temporal = Child(
            "temporal",
            temporal_dev_server_command(
                run_dir / "temporal.db", self.ports["temporal"], self.ports["temporal_ui"]
            ),
            self.env,
            run_dir / "temporal.log",
        )
        broker = broker_command(self.ports["broker"])
        advertised = broker.index("--advertised-listener-url") + 1
        broker[advertised] = f"tcp://127.0.0.1:{self.ports['broker_proxy']}"
        self.broker = Child("broker", broker, self.env, run_dir / "broker.log")
        cli = binary("apptremind")
        self.apps = {
            name: Child(name, [cli, *args], self.env, run_dir / f"{name}.log")
            for name, args in APP_PROCESSES.items()
        }

    # --- servers ----------------------------------------------------------------------

    def start_servers(self) -> None:
        self.postgres.start()
        self.postgres.create_database(DATABASE)
        self.temporal.start()
        self.broker.start()
        self.proxy.start()
        wait_for_port("127.0.0.1", self.ports["temporal"])
        wait_for_port("127.0.0.1", self.ports["broker"])
        upgrade(self.database_url)

    async def temporal_survives_restart(self) -> bool:
        """Starts a workflow nobody serves, kills the dev server with -9, starts it again on
        the same database file, and answers whether the workflow is still there."""
        client = await self.temporal_client()
        workflow_id = f"chaos-probe-{uuid.uuid4()}"
        await client.start_workflow(
            "ChaosProbe",
            id=workflow_id,
            task_queue="chaos-probe",
            execution_timeout=timedelta(minutes=30),
        )
        await asyncio.sleep(1)  # past the dev server's write of the start
        await asyncio.to_thread(self.restart_temporal, 0.0)
        client = await self.temporal_client()
        deadline = time.monotonic() + 30
        while True:
            try:
                status = (await client.get_workflow_handle(workflow_id).describe()).status
                break
            except Exception:  # the frontend answers NotFound or Unavailable while starting
                if time.monotonic() > deadline:
                    return False
                await asyncio.sleep(0.5)
        if status == WorkflowExecutionStatus.RUNNING:
            await client.get_workflow_handle(workflow_id).terminate("chaos probe done")
            return True
        return False

    def restart_temporal(self, pause: float) -> None:
        self.temporal.kill()
        time.sleep(pause)
        self.temporal.start()
        wait_for_port("127.0.0.1", self.ports["temporal"])

    def restart_postgres(self, pause: float) -> None:
        """An immediate shutdown (no checkpoint: recovery replays the WAL), then start."""
        pgdata = str(self.postgres.pgdata)
        self.postgres._run("pg_ctl", "-D", pgdata, "-m", "immediate", "-w", "stop", check=False)
        time.sleep(pause)
        self.postgres.start()

    async def temporal_client(self) -> Client:
        deadline = time.monotonic() + 30
        while True:
            try:
                return await Client.connect(
                    self.temporal_address, data_converter=pydantic_data_converter
                )
            except Exception:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)

    # --- the platform's processes ---------------------------------------------------------

    def start_platform(self) -> None:
        for child in self.apps.values():
            child.start()

    async def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        pending = set(self.apps)
        temporal = await self.temporal_client()
        async with httpx.AsyncClient(timeout=5) as http:
            while pending:
                for name in sorted(pending):
                    child = self.apps[name]
                    if not child.alive:
                        raise RuntimeError(
                            f"{name} exited with {child.returncode}:\n{child.log_text()[-3000:]}"
                        )
                    if await self._ready(http, temporal, name):
                        pending.discard(name)
                if time.monotonic() > deadline:
                    raise RuntimeError(f"not ready after {READY_TIMEOUT_SECONDS}s: {pending}")
                await asyncio.sleep(0.3)

    async def _ready(self, http: httpx.AsyncClient, temporal: Client, name: str) -> bool:
        if name in POLLED_QUEUES:
            queue, kind = POLLED_QUEUES[name]
            described = await temporal.workflow_service.describe_task_queue(
                DescribeTaskQueueRequest(
                    namespace="default", task_queue=TaskQueue(name=queue), task_queue_type=kind
                )
            )
            return bool(described.pollers)
        if name == "api":
            url = f"{self.api_base}/readyz"
        else:
            metrics = {
                "relay": "relay_metrics",
                "consume-analytics": "analytics_metrics",
                "consume-billing": "billing_metrics",
            }
            url = f"http://127.0.0.1:{self.ports[metrics[name]]}/healthz"
        try:
            response = await http.get(url)
        except httpx.HTTPError:
            return False
        if name == "api":
            checks = response.json().get("checks", {}) if response.status_code == 200 else {}
            return bool(checks) and set(checks.values()) == {"ok"}
        return response.status_code == 200

    def stop(self) -> None:
        for child in self.apps.values():
            child.terminate()
        for child in self.apps.values():
            child.stop()
        self.proxy.close()
        self.broker.stop()
        self.temporal.stop()
        self.postgres.stop()
