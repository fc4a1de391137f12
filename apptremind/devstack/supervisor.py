"""`apptremind dev`: the whole platform on the embedded stack, stopped cleanly on Ctrl+C.

Starts PostgreSQL, the Temporal dev server (with its Web UI) and a Kafka-protocol broker
unless DATABASE_URL, TEMPORAL_ADDRESS or KAFKA_BOOTSTRAP_SERVERS points elsewhere, and the
local Stripe stand-in unless STRIPE_SECRET_KEY is set; applies the migrations, then runs the
API and every worker as child processes.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType
from typing import IO

from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import (
    binary,
    broker_command,
    temporal_dev_server_command,
    wait_for_port,
)
from apptremind.migrations.runner import upgrade

DATABASE = "apptremind"
LOCAL_STRIPE = {
    "STRIPE_SECRET_KEY": "sk_test_local",
    "STRIPE_WEBHOOK_SECRET": "whsec_local_development",
    "STRIPE_PRO_PRICE_ID": "price_local_pro",
}
WORKER_METRICS_PORTS = {
    "APPOINTMENTS_WORKER_METRICS_PORT": 8089,
    "NOTIFICATIONS_WORKER_METRICS_PORT": 8090,
}
# Longer than the notification worker's graceful shutdown (deadlines.py: a send in flight
# finishes before it exits), which is the longest any process takes to stop.
STOP_TIMEOUT_SECONDS = 40


@dataclass(frozen=True)
class Ports:
    """Fixed local ports; each can be moved with DEV_<NAME>_PORT when one is taken."""

    postgres: int = 55432
    temporal: int = 7233
    temporal_ui: int = 8233
    kafka: int = 9092
    stripe: int = 12111

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Ports":
        return cls(
            **{
                name: int(env.get(f"DEV_{name.upper()}_PORT", default))
                for name, default in asdict(cls()).items()
            }
        )


class Supervisor:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        # The development platform: built-in secrets and console messages, unless told
        # otherwise; set for this process too, which migrates the database itself.
        os.environ.setdefault("ENVIRONMENT", "local")
        self.env = dict(os.environ)
        # Every process serves /metrics: the workers on their ports too (off by default).
        for setting, port in WORKER_METRICS_PORTS.items():
            self.env.setdefault(setting, str(port))
        self.ports = Ports.from_env(self.env)
        self.logs: list[IO[bytes]] = []
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.postgres: EmbeddedPostgres | None = None
        self.stopping = False

    def start_infrastructure(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not self.env.get("DATABASE_URL"):
            self.postgres = EmbeddedPostgres(self.data_dir / "postgres", self.ports.postgres)
            self.postgres.start()
            self.postgres.create_database(DATABASE)
            self.env["DATABASE_URL"] = self.postgres.url_for(DATABASE)
            _say(f"PostgreSQL       {self.env['DATABASE_URL']}")
        if not self.env.get("TEMPORAL_ADDRESS"):
            db_file = self.data_dir / "temporal.db"
            command = temporal_dev_server_command(
                db_file, self.ports.temporal, self.ports.temporal_ui
            )
            self._spawn("temporal", command, log_name="temporal.log")
            wait_for_port("127.0.0.1", self.ports.temporal)
            wait_for_port("127.0.0.1", self.ports.temporal_ui)
            self.env["TEMPORAL_ADDRESS"] = f"127.0.0.1:{self.ports.temporal}"
        if not self.env.get("KAFKA_BOOTSTRAP_SERVERS"):
            self._spawn("kafka", broker_command(self.ports.kafka), log_name="kafka.log")
            wait_for_port("127.0.0.1", self.ports.kafka)
            self.env["KAFKA_BOOTSTRAP_SERVERS"] = f"127.0.0.1:{self.ports.kafka}"

    def start_platform(self) -> None:
        upgrade(self.env["DATABASE_URL"])
        cli = binary("apptremind")
        if not self.env.get("STRIPE_SECRET_KEY"):
            self.env.update(LOCAL_STRIPE)
            self.env["STRIPE_API_BASE"] = f"http://127.0.0.1:{self.ports.stripe}"
            self._spawn("stripe", [cli, "local-stripe"])
            wait_for_port("127.0.0.1", self.ports.stripe)
        self._spawn("api", [cli, "api"])
        self._spawn("relay", [cli, "relay"])
        self._spawn("worker-appointments", [cli, "worker", "appointments"])
        self._spawn("worker-notifications", [cli, "worker", "notifications"])
        self._spawn("consume-analytics", [cli, "consume", "analytics"])
        self._spawn("consume-billing", [cli, "consume", "billing"])
        port = int(self.env.get("API_PORT", "8080"))
        wait_for_port(self.env.get("API_HOST", "127.0.0.1"), port)
        ui = (
            f"http://127.0.0.1:{self.ports.temporal_ui}"
            if "temporal" in dict(self.children)
            else f"(external Temporal at {self.env['TEMPORAL_ADDRESS']})"
        )
        _say(
            "\nApptRemind is running. Ctrl+C stops everything.\n"
            f"  Owner app        http://127.0.0.1:{port}/app (sign up, set up, calendar)\n"
            f"  Booking pages    http://127.0.0.1:{port}/b/<your business's slug>\n"
            f"  API              http://127.0.0.1:{port}/api/v1\n"
            f"  API docs         http://127.0.0.1:{port}/docs\n"
            f"  Temporal Web UI  {ui}\n"
            f"  Kafka            {self.env['KAFKA_BOOTSTRAP_SERVERS']}\n"
            f"  Stripe           {self._stripe_banner()}\n"
            f"  Metrics          {self._metrics_banner(port)}\n"
            f"  Logs of the embedded servers: {self.data_dir}/*.log\n"
        )

    def _metrics_banner(self, api_port: int) -> str:
        ports = [
            api_port,
            *(
                int(self.env.get(name, default))
                for name, default in (
                    ("RELAY_METRICS_PORT", 8088),
                    ("ANALYTICS_METRICS_PORT", 8086),
                    ("BILLING_METRICS_PORT", 8087),
                    *WORKER_METRICS_PORTS.items(),
                )
            ),
        ]
        return "\n                   ".join(
            f"http://127.0.0.1:{port}/metrics" for port in ports if port
        )

    def _stripe_banner(self) -> str:
        if "stripe" in dict(self.children):
            return f"{self.env['STRIPE_API_BASE']} (local stand-in: test checkout, no card)"
        return self.env.get("STRIPE_API_BASE") or "api.stripe.com (STRIPE_SECRET_KEY is set)"

    def wait(self) -> int:
        """Blocks until a signal asks to stop (0) or a child dies on its own (1)."""
        while not self.stopping:
            for name, process in self.children:
                if process.poll() is not None:
                    _say(f"{name} exited with code {process.returncode}; stopping the platform")
                    return 1
            time.sleep(0.5)
        return 0

    def stop(self) -> None:
        for name, process in reversed(self.children):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(STOP_TIMEOUT_SECONDS)
                except subprocess.TimeoutExpired:
                    _say(f"{name} did not stop in time; killing it")
                    process.kill()
                    process.wait()
        self.children.clear()
        if self.postgres is not None:
            self.postgres.stop()
            self.postgres = None
        for log in self.logs:
            log.close()
        self.logs.clear()

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def _spawn(self, name: str, command: list[str], log_name: str | None = None) -> None:
        """Starts a child; infrastructure servers log to a file under the data folder."""
        output: IO[bytes] | None = None
        if log_name:
            output = open(self.data_dir / log_name, "ab")  # noqa: SIM115 - closed in stop()
            self.logs.append(output)
        # Own process group: Ctrl+C reaches only the supervisor, which stops children in order.
        process = subprocess.Popen(
            command, env=self.env, start_new_session=True, stdout=output, stderr=output
        )
        self.children.append((name, process))


def run_dev(data_dir: Path | None = None) -> int:
    supervisor = Supervisor(data_dir or Path.cwd() / ".data")
    signal.signal(signal.SIGINT, supervisor.request_stop)
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    try:
        supervisor.start_infrastructure()
        if supervisor.stopping:
            return 0
        supervisor.start_platform()
        return supervisor.wait()
    except (RuntimeError, TimeoutError, subprocess.SubprocessError) as exc:
        _say(f"could not start the platform: {exc}")
        return 1
    finally:
        _say("stopping…")
        supervisor.stop()
        _say("stopped")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
