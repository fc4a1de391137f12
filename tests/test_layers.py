"""Which package may import which, read from the sources' import statements (lazy ones
inside functions included): dependencies point one way, and these tests keep them so.

- Domain code (`apptremind/`) speaks to Temporal only through its adapter,
  `apptremind/temporal/`, and never imports the API or the worker processes; the CLI
  (`apptremind/cli.py`) is the one place that wires the entry points together.
- The API reaches Temporal through that adapter too, and a router never imports another.
- Workflow code imports no database or service module: only the standard library,
  Temporal, pydantic, the activity classes it calls by method and the pydantic-only
  contracts (`apptremind/<domain>/contracts.py`).
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("apptremind", "api", "workers", "workflows", "activities")
ADAPTER = "apptremind.temporal"
CLI = "apptremind.cli"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources(package: str) -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


MODULES = {name: path for package in PACKAGES for name, path in sources(package).items()}


def imports(name: str) -> set[str]:
    """The absolute names of every module `name` imports."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # `from package import module` imports the module.
            found.update(
                f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES
            )
    return found


def within(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(f"{p}.") for p in packages)


def offending(modules: dict[str, Path], *forbidden: str) -> dict[str, list[str]]:
    found = {
        name: sorted(i for i in imports(name) if within(i, *forbidden)) for name in sorted(modules)
    }
    return {name: bad for name, bad in found.items() if bad}


def test_the_rules_see_every_package():
    assert {name.split(".")[0] for name in MODULES} == set(PACKAGES)
    assert "apptremind.outbox.relay" in MODULES
    assert "workflows.appointment" in MODULES
    # The walk finds lazy imports inside functions too.
    assert within("workers.relay", *imports(CLI))


def test_domain_code_reaches_temporal_only_through_its_adapter():
    domain = {
        n: p for n, p in MODULES.items() if within(n, "apptremind") and not within(n, ADAPTER)
    }
    assert offending(domain, "temporalio", "workflows", "activities") == {}


def test_domain_code_imports_no_entry_point_but_the_cli_wires_them():
    domain = {n: p for n, p in MODULES.items() if within(n, "apptremind") and n != CLI}
    assert offending(domain, "api", "workers") == {}


def test_only_the_cli_starts_the_processes():
    others = {n: p for n, p in MODULES.items() if n != CLI and not within(n, "workers")}
    assert offending(others, "workers", "api.server") == {}


def test_the_api_reaches_temporal_through_the_adapter():
    api = {n: p for n, p in MODULES.items() if within(n, "api")}
    assert offending(api, "temporalio", "workflows", "activities", "workers") == {}


def test_a_router_imports_no_other_router():
    # The app (`FastAPI(...)`, api/app.py) composes the routers; a router module is any
    # other module that makes an APIRouter.
    routers = {
        name
        for name, path in MODULES.items()
        if within(name, "api")
        and "APIRouter(" in (text := path.read_text())
        and "FastAPI(" not in text
    }
    assert len(routers) >= 5
    crossing = {name: sorted(imports(name) & (routers - {name})) for name in sorted(routers)}
    assert {name: found for name, found in crossing.items() if found} == {}


def test_activities_and_workers_import_no_api():
    lower = {n: p for n, p in MODULES.items() if within(n, "activities", "workers", "workflows")}
    assert offending(lower, "api") == {}


CONTRACTS = sorted(n for n in MODULES if within(n, "apptremind") and n.endswith(".contracts"))


def test_there_are_contracts_modules():
    assert {"apptremind.booking.contracts", "apptremind.notifications.contracts"} <= set(CONTRACTS)


@pytest.mark.parametrize("name", CONTRACTS)
def test_a_contracts_module_imports_pydantic_and_the_standard_library_only(name: str):
    allowed = {"pydantic"} | set(sys.stdlib_module_names)
    assert {i for i in imports(name) if i.split(".")[0] not in allowed} == set()


WORKFLOWS = sorted(n for n in MODULES if within(n, "workflows"))


@pytest.mark.parametrize("name", WORKFLOWS)
def test_workflow_code_imports_no_database_or_service_module(name: str):
    def allowed(module: str) -> bool:
        return (
            module.split(".")[0] in sys.stdlib_module_names
            or within(module, "temporalio", "pydantic", "workflows", "activities")
            or module in CONTRACTS
            # Timeouts, plain numbers: apptremind/notifications/deadlines.py imports no more.
            or module == "apptremind.notifications.deadlines"
        )

    assert {i for i in imports(name) if not allowed(i)} == set()
    assert {i for i in imports("apptremind.notifications.deadlines") if not allowed(i)} == set()
