"""The image's Dockerfile, checked without a Docker engine: its stages, pinned bases, the
runtime lock installed before the sources, no dev tools or embedded stack, a non-root user,
and a build context that holds what the stages copy and nothing else."""

import fnmatch
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from apptremind.settings import REPOSITORY, Settings

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SOURCES = ("api", "apptremind", "workflows", "activities", "workers")


@dataclass
class Stage:
    base: str
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", text)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, args = line.partition(" ")
            found.append((keyword.upper(), " ".join(args.split())))
    return found


def parse() -> tuple[dict[str, str], list[Stage]]:
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for keyword, rest in instructions(DOCKERFILE.read_text()):
        if keyword == "ARG" and not stages:
            name, _, default = rest.partition("=")
            args[name] = default
        elif keyword == "FROM":
            match = re.fullmatch(r"(\S+)(?: AS (\S+))?", rest, re.I)
            assert match, rest
            stages.append(Stage(match[1], match[2] or str(len(stages))))
        else:
            assert stages, f"{keyword} before FROM"
            stages[-1].instructions.append((keyword, rest))
    return args, stages


ARGS, STAGES = parse()
BY_NAME = {stage.name: stage for stage in STAGES}
FINAL = STAGES[-1]


def base_image(stage: Stage) -> str:
    """The image a stage starts from, through ARGs and earlier stages."""
    base = re.sub(r"\$\{(\w+)\}", lambda m: ARGS[m[1]], stage.base)
    return base_image(BY_NAME[base]) if base in BY_NAME else base


def copies(stage: Stage) -> list[list[str]]:
    return [shlex.split(args) for args in stage.all("COPY")]


def test_stages_build_deps_web_and_a_runtime() -> None:
    assert [stage.name for stage in STAGES] == ["python-deps", "openapi", "web", "runtime"]
    assert base_image(BY_NAME["web"]).startswith("node:")
    for name in ("python-deps", "openapi", "runtime"):
        assert base_image(BY_NAME[name]).startswith("python:3.11."), name
    # The web app is built from the OpenAPI document of these very sources.
    web = BY_NAME["web"]
    assert ["--from=openapi", "/tmp/openapi.json", "./openapi.json"] in copies(web)
    assert "npm ci --no-audit --no-fund" in web.all("RUN")
    assert "npm run build" in web.all("RUN")
    assert "python -m api.openapi_export /tmp/openapi.json" in " ".join(
        BY_NAME["openapi"].all("RUN")
    )


@pytest.mark.parametrize("arg", ["PYTHON_IMAGE", "NODE_IMAGE"])
def test_bases_are_pinned_by_exact_tag_or_digest(arg: str) -> None:
    image = ARGS[arg]
    name, _, tag = image.split("@")[0].partition(":")
    assert name in {"python", "node"}
    # Exact release (major.minor.patch) and Debian release, or a digest.
    assert "@sha256:" in image or re.fullmatch(r"\d+\.\d+\.\d+-[a-z-]+", tag), image
    assert name == "node" or tag.startswith("3.11."), "CI and make run use Python 3.11"


def test_the_runtime_lock_is_installed_before_the_sources() -> None:
    deps = BY_NAME["python-deps"]
    assert copies(deps) == [["requirements/runtime.txt", "/tmp/requirements/runtime.txt"]]
    (install,) = [run for run in deps.all("RUN") if "pip install" in run]
    assert "--require-hashes" in install
    assert "--no-deps" in install
    assert "-r /tmp/requirements/runtime.txt" in install
    # The runtime stage takes that environment whole, then the sources.
    runtime = copies(FINAL)
    venv = runtime.index(["--from=python-deps", "/opt/venv", "/opt/venv"])
    first_source = min(i for i, c in enumerate(runtime) if c[0] in SOURCES)
    assert venv < first_source
    assert not any("pip install" in run for run in FINAL.all("RUN"))


def test_no_dev_tools_or_embedded_stack_in_the_image() -> None:
    text = DOCKERFILE.read_text()
    for forbidden in ("requirements/dev.txt", "[dev", "dev-stack", "-e .", "uv.lock"):
        lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        assert not any(forbidden in line for line in lines), forbidden
    assert not any(c[0] == "web/" or c[0].startswith("web/node") for c in copies(FINAL))


def test_the_image_runs_as_a_non_root_user() -> None:
    users = FINAL.all("USER")
    assert users, "the image runs as root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert user.isdigit(), "numeric, so a runtime can check it is not root"
    created = " ".join(FINAL.all("RUN"))
    assert f"--uid {user}" in created
    # Nothing runs as root after the switch.
    after = FINAL.instructions[[kw for kw, _ in FINAL.instructions].index("USER") :]
    assert not [args for kw, args in after if kw == "RUN"]


def test_the_runtime_holds_the_sources_and_the_web_app_where_settings_look() -> None:
    runtime = copies(FINAL)
    for source in SOURCES:
        assert [source, f"./{source}"] in runtime, source
    assert ["--from=web", "/web/dist", "./web/dist"] in runtime
    assert FINAL.all("WORKDIR")[-1] == "/app"
    # Settings find web/dist beside the package: /app/web/dist in the image.
    default = Settings.model_fields["web_dist_dir"].default
    assert default.relative_to(REPOSITORY) == Path("web/dist")
    (entrypoint,) = FINAL.all("ENTRYPOINT")
    assert entrypoint == '["python", "-m", "apptremind.cli"]'
    assert 'if __name__ == "__main__":' in (ROOT / "apptremind" / "cli.py").read_text()
    assert any("PYTHONPATH=/app" in env for env in FINAL.all("ENV"))
    assert any("PATH=/opt/venv/bin:$PATH" in env for env in FINAL.all("ENV"))


def ignored(path: str) -> bool:
    """Whether .dockerignore leaves `path` out of the build context (last match wins)."""
    result = False
    for line in DOCKERIGNORE.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").rstrip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        pattern = pattern.replace("**/", "")
        if any(
            fnmatch.fnmatch(prefix, pattern) or fnmatch.fnmatch(parts[-1], pattern)
            for prefix in prefixes
        ):
            result = not negate
    return result


def test_the_build_context_holds_what_the_stages_copy_and_nothing_else() -> None:
    sources = [c[0] for stage in STAGES for c in copies(stage) if not c[0].startswith("--")]
    for source in sources:
        assert not ignored(source.rstrip("/")), source
        assert (ROOT / source).exists(), source
    for path in (
        ".git/config",
        ".venv/bin/python",
        ".data/postgres",
        ".env",
        "tests/conftest.py",
        "bench/chaos/stack.py",
        "requirements/dev.txt",
        "web/node_modules/react/index.js",
        "web/dist/index.html",
        "web/openapi.json",
        "apptremind/__pycache__/cli.cpython-311.pyc",
    ):
        assert ignored(path), path
