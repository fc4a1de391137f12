"""The compose stack's database role (deploy/postgres/10-apptremind-role.sql), on a real
PostgreSQL: the platform migrates and works as a role that is no superuser and owns only
its schemas."""

import subprocess
import uuid
from pathlib import Path

import pytest

from apptremind.devstack.postgres import EmbeddedPostgres, postgres_bin_path
from apptremind.migrations.runner import upgrade

ROLE_SQL = Path(__file__).resolve().parents[1] / "deploy" / "postgres" / "10-apptremind-role.sql"
DOMAIN_SCHEMAS = {"analytics", "auth", "billing", "booking", "business", "outbox"}


def psql(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(postgres_bin_path() / "psql"), "-XAtq", url, *args]
    return subprocess.run(command, capture_output=True, text=True)


@pytest.fixture
def role_database(postgres: EmbeddedPostgres):
    suffix = uuid.uuid4().hex[:8]
    database, role = f"roletest_{suffix}", f"app_{suffix}"
    postgres.create_database(database)
    try:
        yield database, role
    finally:
        postgres.psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        postgres.psql(f'DROP ROLE IF EXISTS "{role}"')


def test_the_platform_migrates_as_its_own_role_with_no_superuser_rights(
    postgres: EmbeddedPostgres, role_database: tuple[str, str]
) -> None:
    database, role = role_database
    variables = [
        "-v",
        f"app_role={role}",
        "-v",
        "app_password=pw",
        "-v",
        f"app_database={database}",
    ]
    for _ in range(2):  # the script may run again on the same cluster
        created = psql(postgres.url, *variables, "-f", str(ROLE_SQL))
        assert created.returncode == 0, created.stderr
    url = f"postgresql://{role}:pw@{postgres.host}:{postgres.port}/{database}"

    upgrade(url)

    rights = psql(
        url,
        "-c",
        "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user",
    )
    assert rights.stdout.strip() == "f|f|f"
    owned = psql(
        url,
        "-c",
        "SELECT nspname FROM pg_namespace WHERE nspowner ="
        " (SELECT oid FROM pg_roles WHERE rolname = current_user)",
    )
    assert set(owned.stdout.split()) == DOMAIN_SCHEMAS
    assert psql(url, "-c", "SELECT count(*) FROM auth.users").stdout.strip() == "0"
    intruder = psql(url, "-c", "CREATE TABLE public.intruder (x int)")
    assert intruder.returncode != 0
    assert "permission denied" in intruder.stderr
    other_database = psql(url.rsplit("/", 1)[0] + "/postgres", "-c", "CREATE SCHEMA elsewhere")
    assert other_database.returncode != 0
