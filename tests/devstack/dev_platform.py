"""One `apptremind dev` process (what `make run` runs) on free ports, in a folder of its own,
its output captured; and the clean-up that leaves no process behind."""

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from apptremind.devstack.processes import binary, free_port

READY_TIMEOUT_SECONDS = 90
STOP_TIMEOUT_SECONDS = 40
EXTERNAL = ("DATABASE_URL", "TEMPORAL_ADDRESS", "KAFKA_BOOTSTRAP_SERVERS")
FIXED_PORTS = {55432, 7233, 8233, 9092, 8080, 12111, 8086, 8087, 8088, 8089, 8090}


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
            "RELAY_METRICS",
            "APPOINTMENTS_WORKER_METRICS",
            "NOTIFICATIONS_WORKER_METRICS",
        )
        self.ports = dict(zip(names, distinct_free_ports(len(names)), strict=True))
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in EXTERNAL and not key.startswith("STRIPE_")
        }
        self.env.update({f"{name}_PORT": str(port) for name, port in self.ports.items()})
        # As `make run` starts it: no ENVIRONMENT, the command is the local platform itself.
        self.env.pop("ENVIRONMENT", None)
        # The console email provider writes the emails to the captured output.
        self.env.update({"EMAIL_PROVIDER": "console", "REDIS_URL": ""})
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
        kill_processes_under(self.cwd)

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


def kill_processes_under(root: Path) -> None:
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
