"""The booking benchmark's floor: the API's own stack doing the least a booking could do.

uvicorn with uvloop and httptools, FastAPI, a pydantic body of the booking request's shape,
an SQLAlchemy async session from the same engine settings and unit of work as the API, and
one INSERT of one row per request: no authentication, no middleware, no reads, no events.
Started by `bench.bench_booking` beside the API; not part of the product.
"""

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Request, status
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.db import create_engine, create_sessionmaker, unit_of_work
from apptremind.settings import get_settings

TABLE_DDL = (
    "CREATE TABLE IF NOT EXISTS bench_floor ("
    " id uuid PRIMARY KEY, staff_id uuid NOT NULL, service_id uuid NOT NULL,"
    " start_time timestamptz NOT NULL, customer_name text NOT NULL, customer_email text)"
)
_INSERT = text(
    "INSERT INTO bench_floor (id, staff_id, service_id, start_time, customer_name, customer_email)"
    " VALUES (:id, :staff_id, :service_id, :start_time, :name, :email)"
)


class Customer(BaseModel):
    name: str
    email: str | None = None


class FloorRequest(BaseModel):
    staff_id: uuid.UUID
    service_id: uuid.UUID
    time: datetime
    customer_info: Customer


class FloorResponse(BaseModel):
    id: uuid.UUID


def create_app() -> FastAPI:
    engine = create_engine(get_settings(), pool_size=20, max_overflow=0)
    app = FastAPI()
    app.state.sessionmaker = create_sessionmaker(engine)

    async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
        async with unit_of_work(request.app.state.sessionmaker) as session:
            yield session

    @app.post("/floor", status_code=status.HTTP_201_CREATED, response_model=FloorResponse)
    async def insert(
        body: FloorRequest,
        session: Annotated[AsyncSession, Depends(get_session, scope="function")],
    ) -> FloorResponse:
        row_id = uuid.uuid4()
        await session.execute(
            _INSERT,
            {
                "id": row_id,
                "staff_id": body.staff_id,
                "service_id": body.service_id,
                "start_time": body.time,
                "name": body.customer_info.name,
                "email": body.customer_info.email,
            },
        )
        return FloorResponse(id=row_id)

    return app
