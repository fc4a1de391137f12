"""Alembic, driven from code: `apptremind migrate`, the dev stack and the tests use it."""

from pathlib import Path

from alembic import command
from alembic.config import Config

from apptremind.settings import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", Settings(database_url=database_url).sqlalchemy_url)
    return config


def upgrade(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")
