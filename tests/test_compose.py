"""The production-like stack (docker-compose.yml, Dockerfile), checked without a Docker engine.

Structural, with PyYAML (the test machines have no Compose CLI): the app services run
subcommands the CLI accepts, get only settings it knows, and every dependency, health check
and search attribute lines up.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from apptremind import cli
from apptremind.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
SEARCH_ATTRIBUTES = ROOT / "temporal" / "search_attributes.json"
ROLE_SQL = ROOT / "deploy" / "postgres" / "10-apptremind-role.sql"
ROLE_NAME = "apptremind"

# Environment names app services may get that are not fields of Settings.
KNOWN_NON_SETTINGS: set[str] = set()
DEPENDENCY_CONDITIONS = {
    "service_started",
    "service_healthy",
    "service_completed_successfully",
}
INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


class _Accepted(Exception):
    def __init__(self, args: argparse.Namespace) -> None:
        super().__init__()
        self.args_namespace = args


def cli_accepts(argv: list[str]) -> bool:
    """Parses argv with the real `apptremind` parser and stops before anything runs."""
    original = argparse.ArgumentParser.parse_args

    def parse_then_stop(parser: argparse.ArgumentParser, *a: Any, **kw: Any) -> Any:
        raise _Accepted(original(parser, *a, **kw))

    argparse.ArgumentParser.parse_args = parse_then_stop  # type: ignore[method-assign]
    try:
        cli.main(argv)
    except _Accepted as accepted:
        return accepted.args_namespace.command == argv[0]
    except SystemExit:
        return False
    finally:
        argparse.ArgumentParser.parse_args = original  # type: ignore[method-assign]
    return False


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def app_services(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: svc for name, svc in services.items() if "build" in svc}


def as_dict(value: Any) -> dict[str, Any]:
    """`environment` and `depends_on` may be lists or mappings."""
    if isinstance(value, dict):
        return value
    return {item.split("=", 1)[0]: (item.split("=", 1) + [None])[1] for item in value or []}


def resolve(value: Any, given: dict[str, str] | None = None) -> str:
    """Compose interpolation: `given` values (by default, each required name gets a random
    value of its own), else the defaults; a required name that is not given raises."""
    given = REQUIRED_SECRETS if given is None else given

    def substitute(match: re.Match[str]) -> str:
        if match["name"] in given:
            return given[match["name"]]
        if match["op"] and match["op"].endswith("?"):
            raise KeyError(f"{match['name']} is required: {match['arg']}")
        return match["arg"] or ""

    return INTERPOLATION.sub(substitute, str(value))


# The secrets an operator must give; every other name has a default.
REQUIRED_SECRETS = {
    name: secrets.token_hex(24)
    for name in (
        "POSTGRES_PASSWORD",
        "APPTREMIND_DB_PASSWORD",
        "JWT_SECRET",
        "CUSTOMER_LINK_SECRET",
    )
}
# Who may be published on the host, and on which ports: the API, and for the operator the
# Temporal UI and the development inbox.
PUBLISHED = {"api": {"8080"}, "temporal-ui": {"8233"}, "mailpit": {"8025"}}
SECRET_NAME = re.compile(r"PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_KEY", re.I)


def all_interpolations(compose: dict[str, Any]) -> list[re.Match[str]]:
    return list(INTERPOLATION.finditer(COMPOSE_FILE.read_text()))


def test_only_the_secrets_are_required(compose: dict[str, Any]) -> None:
    required = {m["name"] for m in all_interpolations(compose) if (m["op"] or "").endswith("?")}
    assert required == set(REQUIRED_SECRETS)


def test_no_secret_has_a_default(compose: dict[str, Any]) -> None:
    for match in all_interpolations(compose):
        if SECRET_NAME.search(match["name"]) and match["op"] in (":-", "-"):
            assert match["arg"] == "", f"{match['name']} defaults to {match['arg']!r}"
    for name, service in compose["services"].items():
        for key, value in as_dict(service.get("environment")).items():
            if SECRET_NAME.search(key):
                literal = INTERPOLATION.sub("", str(value))
                assert literal in ("", "None"), f"{name}: {key} is written in the file"
            if key == "DATABASE_URL":
                assert "${" in (urlsplit(str(value)).password or "${"), name


def test_the_file_resolves_with_only_the_required_secrets_set(
    compose: dict[str, Any],
) -> None:
    text = COMPOSE_FILE.read_text()
    resolved = yaml.safe_load(INTERPOLATION.sub(lambda m: resolve(m[0]), text))
    assert set(resolved["services"]) == set(compose["services"])
    for name in REQUIRED_SECRETS:
        missing = {k: v for k, v in REQUIRED_SECRETS.items() if k != name}
        with pytest.raises(KeyError, match=name):
            INTERPOLATION.sub(lambda m, given=missing: resolve(m[0], given), text)


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="no docker-compose CLI")
def test_docker_compose_validates_the_file_with_only_the_required_secrets() -> None:
    env = {"PATH": os.environ["PATH"], **REQUIRED_SECRETS}
    command = ["docker-compose", "-f", str(COMPOSE_FILE), "config", "-q"]
    assert subprocess.run(command, env=env, capture_output=True).returncode == 0
    without = {k: v for k, v in env.items() if k != "POSTGRES_PASSWORD"}
    assert subprocess.run(command, env=without, capture_output=True).returncode != 0


def test_app_secrets_are_required(services: dict[str, dict[str, Any]]) -> None:
    for name, service in app_services(services).items():
        for secret in ("JWT_SECRET", "CUSTOMER_LINK_SECRET"):
            value = as_dict(service["environment"]).get(secret, "")
            assert re.fullmatch(rf"\$\{{{secret}:\?[^}}]+\}}", str(value)), (name, secret)


def test_only_what_users_need_is_published_and_on_loopback(
    services: dict[str, dict[str, Any]],
) -> None:
    published: dict[str, set[str]] = {}
    for name, service in services.items():
        for port in service.get("ports") or []:
            host_ip, host_port, _ = str(port).split(":")
            assert host_ip == "127.0.0.1", (name, port)
            published.setdefault(name, set()).add(host_port)
    assert published == PUBLISHED


def test_images_are_pinned(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        if "build" in service:
            continue
        image = service["image"]
        tag = image.rsplit(":", 1)[1] if ":" in image.split("/")[-1] else ""
        assert "@sha256:" in image or re.match(r"v?\d+\.\d+", tag), f"{name}: {image}"


def test_the_app_connects_as_its_own_role_not_the_superuser(
    services: dict[str, dict[str, Any]],
) -> None:
    postgres = services["postgres"]
    superuser = as_dict(postgres["environment"])["POSTGRES_USER"]
    for name, service in app_services(services).items():
        url = urlsplit(resolve(as_dict(service["environment"])["DATABASE_URL"]))
        assert url.username == ROLE_NAME, name
        assert url.username != superuser
    mounts = {
        str(volume).split(":")[1]: str(volume).split(":")[0] for volume in postgres["volumes"]
    }
    script = mounts["/docker-entrypoint-initdb.d/10-apptremind-role.sh"]
    assert (ROOT / script).read_text().count("/apptremind-init/10-apptremind-role.sql") == 1
    assert (ROOT / mounts["/apptremind-init/10-apptremind-role.sql"]) == ROLE_SQL


def test_app_services_run_cli_subcommands(services: dict[str, dict[str, Any]]) -> None:
    apps = app_services(services)
    expected = {
        "migrate": ["migrate"],
        "api": ["api"],
        "relay": ["relay"],
        "worker-appointments": ["worker", "appointments"],
        "worker-notifications": ["worker", "notifications"],
        "consumer-analytics": ["consume", "analytics"],
        "consumer-billing": ["consume", "billing"],
    }
    assert {name: apps[name].get("command") for name in apps} == expected
    for name, command in expected.items():
        assert cli_accepts(command), f"{name}: `apptremind {' '.join(command)}` is rejected"
    assert not cli_accepts(["worker", "no-such-queue"])  # the check itself can fail


def test_app_services_share_one_image(services: dict[str, dict[str, Any]]) -> None:
    apps = app_services(services)
    assert {svc["build"] for svc in apps.values()} == {"."}
    assert len({svc["image"] for svc in apps.values()}) == 1
    dockerfile = DOCKERFILE.read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.M)
    assert re.search(r'^ENTRYPOINT \["apptremind"\]$', dockerfile, re.M)
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users, "the image runs as root"
    assert users[-1] not in {"root", "0"}
    assert (ROOT / ".dockerignore").exists()


def test_app_environment_names_are_settings(services: dict[str, dict[str, Any]]) -> None:
    fields = {name.upper() for name in Settings.model_fields}
    allowed = fields | KNOWN_NON_SETTINGS
    for name, service in app_services(services).items():
        unknown = set(as_dict(service.get("environment"))) - allowed
        assert not unknown, f"{name}: not settings: {sorted(unknown)}"


def test_app_environment_loads_as_production_settings(
    services: dict[str, dict[str, Any]],
) -> None:
    fields = set(Settings.model_fields)
    for name, service in app_services(services).items():
        env = {k.lower(): resolve(v) for k, v in as_dict(service["environment"]).items()}
        settings = Settings(**{k: v for k, v in env.items() if k in fields})
        assert settings.environment == "production", name
        assert settings.email_provider == "smtp", name
        # Every address names a service of this file.
        hosts = {
            urlsplit(settings.database_url).hostname,
            settings.temporal_address.split(":")[0],
            *(a.split(":")[0] for a in settings.kafka_bootstrap_servers.split(",")),
            settings.smtp_host,
            urlsplit(settings.redis_url).hostname,
        }
        assert hosts <= set(services), f"{name}: {hosts - set(services)}"
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert as_dict(services["api"]["environment"])["API_HOST"] == "0.0.0.0"


def test_services_with_ports_have_healthchecks(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        if service.get("ports") or service.get("expose"):
            check = service.get("healthcheck") or {}
            assert check.get("test"), name
            assert not check.get("disable"), name
    for name, service in app_services(services).items():
        if name != "migrate":
            assert service.get("healthcheck", {}).get("test"), name


def test_app_healthchecks_probe_the_right_endpoint(services: dict[str, dict[str, Any]]) -> None:
    def probe(name: str) -> str:
        return " ".join(map(str, services[name]["healthcheck"]["test"]))

    api_port = as_dict(services["api"]["environment"])["API_PORT"]
    assert f"http://127.0.0.1:{api_port}/healthz" in probe("api")
    assert any(p.endswith(f":{api_port}") for p in services["api"]["ports"])
    for name, port_setting in (
        ("consumer-analytics", "ANALYTICS_METRICS_PORT"),
        ("consumer-billing", "BILLING_METRICS_PORT"),
        ("relay", "RELAY_METRICS_PORT"),
    ):
        port = as_dict(services[name]["environment"])[port_setting]
        assert port == str(Settings.model_fields[port_setting.lower()].default), name
        assert f"http://127.0.0.1:{port}/healthz" in probe(name), name
    for name in ("worker-appointments", "worker-notifications"):
        assert probe(name).endswith(" ".join(services[name]["command"])), name
    assert "pg_isready" in probe("postgres")


def test_depends_on_references_exist(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        for target, spec in as_dict(service.get("depends_on")).items():
            assert target in services, f"{name} depends on unknown {target}"
            condition = (spec or {}).get("condition", "service_started")
            assert condition in DEPENDENCY_CONDITIONS, f"{name} -> {target}: {condition}"
            if condition == "service_healthy":
                assert services[target].get("healthcheck"), f"{name} -> {target}"
            if condition == "service_completed_successfully":
                assert services[target].get("restart", "no") == "no", f"{name} -> {target}"
    for name in app_services(services):
        depends = as_dict(services[name]["depends_on"])
        if name == "migrate":
            assert depends["postgres"]["condition"] == "service_healthy"
        else:
            assert depends["migrate"]["condition"] == "service_completed_successfully", name
            assert depends["temporal-setup"]["condition"] == "service_completed_successfully"


def test_search_attributes_match_the_registration_file(
    services: dict[str, dict[str, Any]],
) -> None:
    setup = services["temporal-setup"]
    script = " ".join(map(str, setup.get("command") or []))
    registered = dict(re.findall(r"--name\s+(\w+)\s+--type\s+(\w+)", script))
    assert registered == json.loads(SEARCH_ATTRIBUTES.read_text())
    assert as_dict(setup["environment"])["TEMPORAL_ADDRESS"] == "temporal:7233"
