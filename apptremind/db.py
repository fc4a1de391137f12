"""Engine, session factory and the declarative base shared by every domain's models."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy import DateTime, MetaData, func
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from apptremind.settings import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

DOMAIN_SCHEMAS = ("auth", "business", "booking", "billing", "analytics", "outbox")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampedMixin:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def create_engine(settings: Settings, **kwargs: Any) -> AsyncEngine:
    options: dict[str, Any] = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}
    return create_async_engine(settings.sqlalchemy_url, **(options | kwargs))


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def driver_connection(session: AsyncSession) -> psycopg.AsyncConnection[Any]:
    """The session's own psycopg connection, inside the session's transaction.

    For hot paths: a statement sent here skips SQLAlchemy's statement and result layers
    (a third or more of a round trip's CPU) and still commits or rolls back with the session.
    """
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    if not isinstance(driver, psycopg.AsyncConnection):
        raise TypeError("the engine must use psycopg's async driver (postgresql+psycopg)")
    return driver


@asynccontextmanager
async def one_round_trip(session: AsyncSession) -> AsyncIterator[None]:
    """Statements sent on the session's driver connection inside the block travel to
    PostgreSQL together and are answered together when it ends (psycopg's pipeline mode):
    for writes whose results nothing reads in between. They stay in the session's
    transaction; an error of one is raised by the time the block ends, and the statements
    after it are not run."""
    driver = await driver_connection(session)
    async with driver.pipeline():
        yield


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One transaction: commits when the block succeeds, rolls back when it raises."""
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
