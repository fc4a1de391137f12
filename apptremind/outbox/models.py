import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from apptremind.db import Base


class OutboxEvent(Base):
    """An event written in the same transaction as the state change it describes.

    The relay publishes it to Kafka (`published_at`) and, for event types that drive a
    Temporal workflow, starts that workflow (`dispatched_at`); each is retried until done.
    """

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_unpublished", "id", postgresql_where=text("published_at IS NULL")),
        Index(
            "ix_events_undispatched",
            "id",
            postgresql_where=text("needs_dispatch AND dispatched_at IS NULL"),
        ),
        {"schema": "outbox"},
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), unique=True, nullable=False)
    event_type: Mapped[str] = mapped_column(String(100), nullable=False)
    key: Mapped[str] = mapped_column(String(100), nullable=False)
    envelope: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    needs_dispatch: Mapped[bool] = mapped_column(nullable=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    # W3C trace context (`traceparent`, `tracestate`) of the request that wrote the event,
    # when it was traced: the relay continues that trace into Kafka and Temporal.
    trace_context: Mapped[dict[str, str] | None] = mapped_column(JSONB)
